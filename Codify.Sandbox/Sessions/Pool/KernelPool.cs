using System.Collections.Concurrent;
using Codify.Contracts;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Sessions.Pool;

/// <summary>
/// Keeps, per language, up to the configured number of session kernels started and ready (python's with its preload
/// imported), in the background at a lower priority, and starts a replacement for each one taken or found dead. Single
/// use: a kernel is handed to one session and never comes back; it has run nothing but the host's own preload. Nothing
/// starts until the isolation probe has passed; a failing start backs off. Stopping kills every idle kernel.
/// </summary>
internal sealed partial class KernelPool(
    IsolationState isolation,
    SandboxStarter starter,
    SandboxCleanup cleanup,
    IOptions<IsolationOptions> isolationOptions,
    IOptions<KernelPoolOptions> options,
    IOptions<SessionHostOptions> hostOptions,
    IOptions<PoolOptions> warmOptions,
    ILogger<KernelPool> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, KernelLane> _lanes = Languages.All
        .Where(l => options.Value.SizeFor(l.Name) > 0)
        .ToDictionary(l => l.Name, l => new KernelLane(l, options.Value.SizeFor(l.Name)), StringComparer.Ordinal);

    private readonly SemaphoreSlim _refill = new(0);
    private readonly ConcurrentDictionary<Task, byte> _starts = new();
    private volatile bool _stopping;

    /// <summary>Ready kernels of <paramref name="language"/> in the pool now.</summary>
    public int ReadyCount(string language) => _lanes.TryGetValue(language, out var lane) ? lane.ReadyCount : 0;

    /// <summary>The ready kernels of <paramref name="language"/>, left in the pool (for checks of what an idle kernel holds).</summary>
    internal IReadOnlyList<SessionKernel> ReadyNow(string language) => _lanes.TryGetValue(language, out var lane) ? lane.Ready() : [];

    /// <summary>
    /// A ready, live kernel for a session with these limits, taken out of the pool for good; null: none (the session starts
    /// its own). Never waits for one still starting: with the preload, that takes longer than a kernel of its own.
    /// </summary>
    public SessionKernel? Take(LanguageInfo language, ExecutionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(limits);
        if (!_lanes.TryGetValue(language.Name, out var lane))
        {
            return null;
        }

        // Node's heap cap was fixed when it started: only a session with the memory limit it was built for may have it.
        var kernel = lane.Take(k => k.IsAlive && (language.Name != Languages.JavaScript.Name || k.CommandMemoryBytes == limits.MemoryBytes));
        if (kernel is not null)
        {
            Poke();
        }

        return kernel;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        isolation.ReadinessChanged += Poke;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var lane in _lanes.Values)
                {
                    foreach (var dead in lane.TakeDead())
                    {
                        LogDiedIdle(logger, lane.Language.Name);
                        cleanup.Defer(dead);
                    }

                    while (isolation.IsReady && lane.TryBeginStart(DateTimeOffset.UtcNow))
                    {
                        var start = StartOneAsync(lane);
                        _starts[start] = 0;
                        _ = start.ContinueWith(t => _starts.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }

                // Woken by a take, a finished start, a kernel's exit, a readiness change; the timeout retries backed-off lanes.
                await _refill.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            isolation.ReadinessChanged -= Poke;
            await DrainAsync();
        }
    }

    private void Poke()
    {
        try
        {
            _refill.Release();
        }
        catch (ObjectDisposedException)
        {
            // The pool has stopped: a kernel's exit or a late take has nothing left to wake.
        }
    }

    private async Task StartOneAsync(KernelLane lane)
    {
        // Off the refill loop: starts run side by side, and a slow one never holds up the others.
        await Task.Yield();
        SessionKernel? kernel;
        string? failure;
        try
        {
            (kernel, failure) = await StartKernelAsync(lane.Language);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            (kernel, failure) = (null, e.Message);
        }

        if (kernel is not null && _stopping)
        {
            // Started while the pool drained: nobody will take it.
            kernel.Dispose();
            kernel = null;
        }

        if (lane.EndStart(kernel, MaxBackoff) is { } backoff && !_stopping)
        {
            LogStartFailed(logger, lane.Language.Name, backoff.TotalSeconds, failure);
        }

        // A kernel that dies while idle wakes the loop, which drops it and starts a replacement.
        _ = kernel?.Channel.Reading.ContinueWith(_ => Poke(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Poke();
    }

    private async Task<(SessionKernel? Kernel, string? Failure)> StartKernelAsync(LanguageInfo language)
    {
        var pool = options.Value;
        var timeout = TimeSpan.FromMilliseconds(hostOptions.Value.StartTimeoutMs);
        // The idle caps; the launch wrapper's rlimits start high because handover can only lower them to the session's.
        var idle = new ExecutionLimits(WallTimeMs: hostOptions.Value.StartTimeoutMs, CpuTimeMs: int.MaxValue - 1000,
            MemoryBytes: pool.IdleMemoryBytes, Processes: pool.IdleProcesses, OutputBytes: 1, FileSizeBytes: 1L << 40);
        // The cgroup keeps this name for the session it will serve (cgroup v2 cannot rename one); the folder is renamed at handover.
        var start = new KernelStart(language, $"kernel-{language.Name}-{Guid.NewGuid():N}", $"kernel-{language.Name}", idle,
            warmOptions.Value.MemoryBytes, Niceness.Idle);
        var (kernel, failure) = await SessionKernel.StartAsync(starter, isolationOptions.Value, start, hostOptions.Value.MaxFrameBytes, timeout);
        if (kernel is null || pool.PreloadFor(language.Name) is not { Count: > 0 } modules)
        {
            return (kernel, failure);
        }

        await kernel.Channel.SendAsync(new { op = "preload", modules });
        while (await kernel.ReceiveAsync(timeout) is { } frame)
        {
            if (frame.Type != "reply")
            {
                continue; // what the imports printed (a font cache note): nobody's output
            }

            if (frame.Text("error") is { } error)
            {
                // Still a good kernel: a session's own import of that module is only as slow as without the pool.
                LogPreloadFailed(logger, error);
            }

            return (kernel, null);
        }

        return (null, await kernel.FailAsync("its preload did not finish"));
    }

    /// <summary>Waits for the starts under way, then kills every idle kernel: nothing outlives the service.</summary>
    private async Task DrainAsync()
    {
        _stopping = true;
        await Task.WhenAll(_starts.Keys);
        foreach (var lane in _lanes.Values)
        {
            foreach (var kernel in lane.TakeAll())
            {
                kernel.Dispose();
            }
        }
    }

    public override void Dispose()
    {
        _refill.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Language} session kernel for the pool failed to start; retrying in {BackoffSeconds} s: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string language, double backoffSeconds, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pooled {Language} session kernel exited while idle; replaced")]
    private static partial void LogDiedIdle(ILogger logger, string language);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pooled python kernel could not preload a module: {Error}")]
    private static partial void LogPreloadFailed(ILogger logger, string error);
}
