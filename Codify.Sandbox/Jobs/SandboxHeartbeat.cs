using Codify.Contracts;
using Codify.Hosting;
using Codify.Sandbox.Isolation;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// Every few seconds: advertises this replica in Redis while it can isolate (the API answers 503 when none is
/// advertised), and touches the stream entries it is running so no other replica reclaims them.
/// </summary>
public sealed partial class SandboxHeartbeat(
    IConnectionMultiplexer redis,
    IsolationState isolation,
    InFlightJobs inFlight,
    JobFeed queue,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SandboxHeartbeat> logger) : BackgroundService
{
    private readonly WakeSignal _readinessChanged = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        isolation.ReadinessChanged += OnReadinessChanged;
        do
        {
            try
            {
                await BeatAsync();
            }
            catch (RedisException e)
            {
                LogBeatFailed(logger, e);
            }
        }
        while (await WaitAsync(stoppingToken));

        isolation.ReadinessChanged -= OnReadinessChanged;
        await redis.GetDatabase().SortedSetRemoveAsync(RedisKeys.HealthySandboxes, options.Value.ConsumerName);
    }

    private async Task BeatAsync()
    {
        var db = redis.GetDatabase();
        if (isolation.IsReady)
        {
            await db.SortedSetAddAsync(RedisKeys.HealthySandboxes, options.Value.ConsumerName, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        else
        {
            await db.SortedSetRemoveAsync(RedisKeys.HealthySandboxes, options.Value.ConsumerName);
        }

        await queue.TouchAsync(inFlight.Snapshot());
    }

    /// <summary>Until the next beat is due, or at once when readiness flips.</summary>
    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _readinessChanged.WaitAsync(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void OnReadinessChanged() => _readinessChanged.Poke();

    public override void Dispose()
    {
        _readinessChanged.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox heartbeat failed")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
