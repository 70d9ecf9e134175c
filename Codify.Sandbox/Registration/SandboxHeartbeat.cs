using Codify.Hosting;
using Codify.Sandbox.Jobs;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Registration;

/// <summary>
/// Every few seconds: registers this replica in Redis with its state (see <see cref="ReplicaRegistration"/>), advertised
/// only while it can isolate (the API answers 503 when none is advertised), and touches the stream entries it is running
/// so no other replica reclaims them. It beats soon when readiness flips or a job is taken or let go, so the slot
/// counts the API reports are not up to a heartbeat stale: at once after a quiet spell, and under load at most once per
/// <see cref="SandboxOptions.SlotUpdateIntervalMs"/> (the changes in between are published together by that beat).
/// </summary>
public sealed partial class SandboxHeartbeat(
    ReplicaRegistration registration,
    IsolationState isolation,
    InFlightJobs inFlight,
    JobFeed queue,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SandboxHeartbeat> logger) : BackgroundService
{
    private readonly WakeSignal _stateChanged = new();
    private DateTimeOffset _lastTouch = DateTimeOffset.MinValue;
    private DateTimeOffset _lastBeat = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        isolation.ReadinessChanged += OnStateChanged;
        inFlight.Changed += OnStateChanged;
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogBeatFailed(logger, e);
            }
        }
        while (await WaitAsync(stoppingToken));

        isolation.ReadinessChanged -= OnStateChanged;
        inFlight.Changed -= OnStateChanged;
        await registration.WithdrawAsync();
    }

    /// <summary>
    /// Publishes the replica's state; touches the held entries only when a heartbeat is due (a slot change needs the new
    /// counts published, not every in-flight entry claimed again: that would cost one XCLAIM per job taken or freed).
    /// </summary>
    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        _lastBeat = time.GetUtcNow();
        await registration.BeatAsync(stoppingToken);
        var now = time.GetUtcNow();
        if (now - _lastTouch >= TimeSpan.FromSeconds(options.Value.HeartbeatSeconds))
        {
            await queue.TouchAsync(inFlight.Snapshot());
            _lastTouch = now;
        }
    }

    /// <summary>
    /// Until the next beat is due, or when readiness flips or a slot is taken or freed: then no sooner than
    /// <see cref="SandboxOptions.SlotUpdateIntervalMs"/> after the last beat (pokes meanwhile coalesce into that beat).
    /// </summary>
    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await _stateChanged.WaitAsync(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), stoppingToken))
            {
                var early = _lastBeat + TimeSpan.FromMilliseconds(options.Value.SlotUpdateIntervalMs) - time.GetUtcNow();
                if (early > TimeSpan.Zero)
                {
                    await Task.Delay(early, time, stoppingToken);
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void OnStateChanged() => _stateChanged.Poke();

    public override void Dispose()
    {
        _stateChanged.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox heartbeat failed")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
