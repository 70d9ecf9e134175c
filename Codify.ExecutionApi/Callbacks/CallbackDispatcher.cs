using Codify.Contracts;
using Codify.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>
/// Reads <see cref="RedisKeys.CallbackStream"/> with the "api" consumer group, so each callback is delivered by one
/// replica, never more deliveries at once than <see cref="CallbackOptions.MaxConcurrentDeliveries"/>. Entries a dead
/// replica left pending are claimed (XAUTOCLAIM) before new ones, so no callback is lost with a replica
/// (<see cref="StreamConsumerLoop"/>).
/// </summary>
public sealed partial class CallbackDispatcher(
    CallbackFeed feed,
    CallbackDelivery delivery,
    IConnectionMultiplexer redis,
    IOptions<CallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackDispatcher> logger) : BackgroundService
{
    private readonly StreamConsumerLoop _loop = new(feed, redis, new StreamLoopPacing(
        RedisKeys.CallbacksAvailableChannel,
        options.Value.MaxConcurrentDeliveries,
        TimeSpan.FromMilliseconds(options.Value.PollIntervalMs),
        // A quarter of the idle time: a dead replica's callbacks go out soon after they turn stale.
        TimeSpan.FromSeconds(Math.Max(1, options.Value.ReclaimIdleSeconds / 4))), time, logger);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            // Nothing can be signed here: leave the stream to replicas that have the secret.
            LogNotConfigured(logger);
            return Task.CompletedTask;
        }

        return _loop.RunAsync(delivery.HandleAsync, mayTake: null, stoppingToken);
    }

    public override void Dispose()
    {
        _loop.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callbacks:Secret is not set: this replica delivers no callbacks")]
    private static partial void LogNotConfigured(ILogger logger);
}
