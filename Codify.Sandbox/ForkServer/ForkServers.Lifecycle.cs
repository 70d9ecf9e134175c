using Codify.Sandbox.Cgroups;

namespace Codify.Sandbox.ForkServer;

/// <summary>The servers' lives: started (with a backoff when that fails), retired when due, stopped once idle.</summary>
internal sealed partial class ForkServers
{
    private async Task KeepServerAsync()
    {
        var o = options.Value;
        if (_current is { } server && (server.Death is not null || server.Dispatched >= o.RecycleAfterRuns
            || DateTimeOffset.UtcNow - server.StartedAt > TimeSpan.FromMinutes(o.RecycleAfterMinutes)))
        {
            if (server.Death is { } death)
            {
                LogServerDied(logger, death);
            }

            lock (_gate)
            {
                _current = null;
                _retired.Add(server);
            }
        }

        if (_current is not null || DateTimeOffset.UtcNow < _retryAt)
        {
            return;
        }

        string? failure;
        ForkServerProcess? started;
        try
        {
            var start = new ForkServerStart(isolationOptions.Value, o, cgroups, launcher, seccomp.Filter.BpfPath,
                sandbox.Value.MaxConcurrentExecutions, logger);
            (started, failure) = await ForkServerProcess.StartAsync(start);
        }
        catch (Seccomp.SeccompException e)
        {
            (started, failure) = (null, e.Message);
        }

        if (started is null)
        {
            _failures++;
            var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(_failures - 1, 6))));
            _retryAt = DateTimeOffset.UtcNow + backoff;
            modes.FellBack(failure!);
            LogStartFailed(logger, backoff.TotalSeconds, failure);
            return;
        }

        _failures = 0;
        ServersStarted++;
        _current = started;
        modes.Recovered();
    }

    private void ReapRetired()
    {
        List<ForkServerProcess> done;
        List<Task<PreforkedRun?>> idle;
        lock (_gate)
        {
            // Idle children of a retired server are never handed out: dropped at once.
            idle = _children.Where(c => !ReferenceEquals(c.Server, _current) && c.Child.IsCompleted).Select(c => c.Child).ToList();
            _children.RemoveAll(c => idle.Contains(c.Child));
            done = _retired.Where(s => s.InFlight == 0 && !_children.Any(c => ReferenceEquals(c.Server, s))).ToList();
            _retired.RemoveAll(done.Contains);
        }

        idle.ForEach(c => c.Result?.Dispose());
        done.ForEach(s => s.Dispose());
    }

    private async Task DrainAsync()
    {
        List<Task<PreforkedRun?>> children;
        lock (_gate)
        {
            children = _children.Select(c => c.Child).ToList();
            _children.Clear();
        }

        foreach (var child in children)
        {
            try
            {
                (await child)?.Dispose();
            }
            catch (Exception e) when (e is IOException or CgroupException)
            {
                // Going down with its server.
            }
        }

        _current?.Dispose();
        _retired.ForEach(s => s.Dispose());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fork server failed to start; python runs use the pool or start cold; retrying in {BackoffSeconds} s: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, double backoffSeconds, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fork server died and is replaced: {Reason}")]
    private static partial void LogServerDied(ILogger logger, string reason);
}
