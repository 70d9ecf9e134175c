using Codify.Contracts;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Pool;

/// <summary>
/// Keeps, per language, up to the configured number of warm sandboxes ready or starting, and starts a replacement for
/// each one taken. A run may take one that is still starting: it was started earlier, so it is never slower than a cold
/// start. Nothing starts until the isolation probe has passed; a failing start backs off. Single use: a taken sandbox
/// never comes back.
/// </summary>
internal sealed partial class SandboxPool(
    IsolationState isolation,
    SandboxStarter starter,
    IOptions<IsolationOptions> isolationOptions,
    IOptions<PoolOptions> options,
    ILogger<SandboxPool> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Lane> _lanes = Languages.All
        .Where(l => options.Value.SizeFor(l.Name) > 0)
        .ToDictionary(l => l.Name, l => new Lane(l, options.Value.SizeFor(l.Name)), StringComparer.Ordinal);

    private readonly SemaphoreSlim _refill = new(0);

    /// <summary>Whether this language has a pool at all (its size is not 0).</summary>
    public bool Serves(string language) => _lanes.ContainsKey(language);

    /// <summary>The ready warm sandboxes of <paramref name="language"/>, left in the pool.</summary>
    internal IReadOnlyList<WarmSandbox> ReadyNow(string language) => _lanes.TryGetValue(language, out var lane) ? lane.Ready() : [];

    /// <summary>A live warm sandbox for <paramref name="language"/>, waiting for one still starting if none is ready; null: none.</summary>
    internal async Task<WarmSandbox?> TakeAsync(string language)
    {
        if (!_lanes.TryGetValue(language, out var lane))
        {
            return null;
        }

        // Bounded: each entry is tried once; a dead or failed one is dropped and replaced.
        for (var attempt = 0; attempt < lane.Size; attempt++)
        {
            var entry = lane.Take();
            if (entry is null)
            {
                return null;
            }

            _refill.Release();
            if (!entry.Ready.IsCompleted)
            {
                entry.Claim();
            }

            if (await entry.Ready is { } warm)
            {
                if (warm.IsAlive)
                {
                    return warm;
                }

                LogDiedIdle(logger, language);
                warm.Dispose();
            }
        }

        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        isolation.ReadinessChanged += Poke;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (isolation.IsReady)
                {
                    foreach (var lane in _lanes.Values)
                    {
                        FillLane(lane);
                    }
                }

                // Woken by a take, a finished start, a readiness change; the timeout retries backed-off lanes.
                await _refill.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
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

    private void Poke() => _refill.Release();

    private void FillLane(Lane lane)
    {
        // Only this loop adds entries (takes only remove them), so room seen here is still there when adding.
        while (lane.HasRoom(DateTimeOffset.UtcNow))
        {
            var start = new WarmStart();
            start.Ready = StartOneAsync(lane, start);
            lane.Add(start);
        }
    }

    private async Task<WarmSandbox?> StartOneAsync(Lane lane, WarmStart start)
    {
        // Off the refill loop: starts run side by side, and a slow one never holds up the others.
        await Task.Yield();
        WarmSandbox? warm;
        string? failure;
        try
        {
            (warm, failure) = await WarmSandbox.StartAsync(starter, isolationOptions.Value, options.Value, lane.Language, start.Launched);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            (warm, failure) = (null, e.Message);
        }

        if (warm is null)
        {
            var backoff = lane.Failed(MaxBackoff);
            LogStartFailed(logger, lane.Language.Name, backoff.TotalSeconds, failure);
        }
        else
        {
            lane.Succeeded();
        }

        _refill.Release();
        return warm;
    }

    /// <summary>Kills every idle warm sandbox (and waits for the ones still starting): nothing outlives the service.</summary>
    private async Task DrainAsync()
    {
        foreach (var lane in _lanes.Values)
        {
            while (lane.Take() is { } entry)
            {
                (await entry.Ready)?.Dispose();
            }
        }
    }

    public override void Dispose()
    {
        _refill.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Language} warm sandbox failed to start; retrying in {BackoffSeconds} s: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string language, double backoffSeconds, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Language} warm sandbox had exited while idle; discarded")]
    private static partial void LogDiedIdle(ILogger logger, string language);
}
