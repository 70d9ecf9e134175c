using Codify.Contracts;
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
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
        while (await WaitAsync(timer, stoppingToken));

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

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox heartbeat failed")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
