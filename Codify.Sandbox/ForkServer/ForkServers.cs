using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// Keeps one fork server running per replica (started once the isolation probe passed) and <see cref="ForkServerOptions.Prefork"/>
/// children forked ahead of it. A server that dies is replaced; one that served RecycleAfterRuns runs or lived
/// RecycleAfterMinutes is retired: no new child comes from it, and it is stopped once its last run ended. A server that
/// cannot start puts python on the pool/cold path (<see cref="ExecutionModeState"/>) and is retried with a backoff.
/// </summary>
internal sealed partial class ForkServers(
    IsolationState isolation,
    ExecutionModeState modes,
    ICgroupDriver cgroups,
    HostUidPool uids,
    SeccompProvider seccomp,
    ProcessLauncher launcher,
    IOptions<IsolationOptions> isolationOptions,
    IOptions<ForkServerOptions> options,
    IOptions<SandboxOptions> sandbox,
    ILogger<ForkServers> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly List<(ForkServerProcess Server, Task<PreforkedRun?> Child)> _children = [];
    private readonly List<ForkServerProcess> _retired = [];
    private readonly SemaphoreSlim _wake = new(0);
    private ForkServerProcess? _current;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    /// <summary>The DI key of the lean server (nothing preloaded); the unkeyed one has the preloads.</summary>
    public const string LeanKey = "lean";

    public bool Enabled => sandbox.Value.Mode == SandboxMode.ForkServer && !options.Value.Unused;

    /// <summary>The top-level names of the modules this server preloads (numpy for numpy.linalg).</summary>
    internal IReadOnlyList<string> PreloadRoots { get; } =
        [.. options.Value.Preload.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('.')[0]).Distinct()];

    /// <summary>Servers started so far (for tests: replacement and recycling).</summary>
    internal int ServersStarted { get; private set; }

    /// <summary>Preforked children of the current server ready for a program.</summary>
    internal int ReadyChildren
    {
        get
        {
            lock (_gate)
            {
                return _children.Count(c => ReferenceEquals(c.Server, _current) && c.Child.IsCompletedSuccessfully && c.Child.Result is not null);
            }
        }
    }

    /// <summary>The current server (for tests: killing it).</summary>
    internal ForkServerProcess? Current => _current;

    /// <summary>A live preforked child of the current server (waiting for one being forked if none is ready); null: none.</summary>
    public async Task<PreforkedRun?> TakeAsync()
    {
        for (var attempt = 0; attempt <= options.Value.Prefork; attempt++)
        {
            (ForkServerProcess Server, Task<PreforkedRun?> Child) entry;
            lock (_gate)
            {
                var index = _children.FindIndex(c => c.Child.IsCompletedSuccessfully && c.Child.Result is not null);
                if (index < 0 && _children.Count == 0)
                {
                    return null;
                }

                entry = _children[Math.Max(index, 0)];
                _children.Remove(entry);
            }

            _wake.Release();
            if (await entry.Child is { } child)
            {
                if (child.IsAlive && ReferenceEquals(entry.Server, _current))
                {
                    return child;
                }

                child.Dispose();
            }
        }

        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        modes.Configure(sandbox.Value.Mode.ToString());
        if (!Enabled)
        {
            return;
        }

        isolation.ReadinessChanged += Poke;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (isolation.IsReady)
                    {
                        await KeepServerAsync();
                        Fill();
                    }

                    ReapRetired();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Never take the replica down: python runs use the pool or start cold until the next round.
                    modes.FellBack(e.Message);
                    LogStartFailed(logger, 1, e.ToString());
                }

                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            isolation.ReadinessChanged -= Poke;
            await DrainAsync();
        }
    }

    private void Poke() => _wake.Release();

    private void Fill()
    {
        lock (_gate)
        {
            if (_current is not { } server)
            {
                return;
            }

            // A failed prefork holds nothing: it makes room, and a server that keeps failing them dies and is replaced.
            _children.RemoveAll(c => c.Child.IsCompleted && (!c.Child.IsCompletedSuccessfully || c.Child.Result is null));
            while (_children.Count(c => ReferenceEquals(c.Server, server)) < options.Value.Prefork)
            {
                _children.Add((server, PreforkAsync(server)));
            }
        }
    }

    private async Task<PreforkedRun?> PreforkAsync(ForkServerProcess server)
    {
        await Task.Yield();
        try
        {
            return await PreforkedRun.CreateAsync(server, cgroups, uids, options.Value);
        }
        catch (Exception e) when (e is IOException or CgroupException or UnauthorizedAccessException or TimeoutException)
        {
            LogPreforkFailed(logger, e.Message);
            return null;
        }
        finally
        {
            _wake.Release();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A fork server child could not be prepared: {Reason}")]
    private static partial void LogPreforkFailed(ILogger logger, string reason);
}
