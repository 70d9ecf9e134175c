using System.Collections.Concurrent;

namespace Codify.Sandbox.Jobs;

/// <summary>Executions running on THIS replica, each with the token that kills it when a cancel arrives.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _runs = new(StringComparer.Ordinal);

    private volatile bool _stopping;

    public IReadOnlyCollection<string> Ids => [.. _runs.Keys];

    /// <summary>True once <see cref="StopAll"/> has ended this replica's runs because it is shutting down.</summary>
    public bool Stopping => _stopping;

    /// <summary>The stop grace has passed: kills every run still under way here (they end saying why, see JobHandler).</summary>
    public void StopAll()
    {
        _stopping = true;
        foreach (var id in Ids)
        {
            TryCancel(id);
        }
    }

    /// <summary>Registers a run (disposing the registration forgets it); null when this replica already handles it.</summary>
    public Registration? TryRegister(string executionId)
    {
        var source = new CancellationTokenSource();
        if (!_runs.TryAdd(executionId, source))
        {
            source.Dispose();
            return null;
        }

        return new Registration(this, executionId, source);
    }

    /// <summary>Asks the run to die; false when it does not run here (another replica has it, or it has ended) or was already asked.</summary>
    public bool TryCancel(string executionId)
    {
        if (!_runs.TryGetValue(executionId, out var source) || source.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            // Callbacks (the supervisor's kill) run on the thread pool, not on the caller's (Redis) thread.
            _ = source.CancelAsync();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // ended meanwhile
        }
    }

    public sealed class Registration(RunningJobs owner, string executionId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            owner._runs.TryRemove(new KeyValuePair<string, CancellationTokenSource>(executionId, source));
            source.Dispose();
        }
    }
}
