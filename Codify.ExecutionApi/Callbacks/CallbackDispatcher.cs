using Codify.Contracts;
using Codify.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>
/// Reads <see cref="RedisKeys.CallbackStream"/> with the "api" consumer group, so each callback is delivered by one
/// replica, never more deliveries at once than <see cref="CallbackOptions.MaxConcurrentDeliveries"/>. Entries a dead
/// replica left pending are claimed (XAUTOCLAIM) before new ones, so no callback is lost with a replica.
/// </summary>
public sealed partial class CallbackDispatcher(
    CallbackFeed feed,
    CallbackDelivery delivery,
    IConnectionMultiplexer redis,
    IOptions<CallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentDeliveries, options.Value.MaxConcurrentDeliveries);
    private readonly WakeSignal _available = new();
    private readonly RunningTasks _running = new();
    private DateTimeOffset _nextStaleCheck = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            // Nothing can be signed here: leave the stream to replicas that have the secret.
            LogNotConfigured(logger);
            return;
        }

        var channel = RedisChannel.Literal(RedisKeys.CallbacksAvailableChannel);
        var subscriber = redis.GetSubscriber();
        try
        {
            await feed.EnsureGroupAsync();
            await subscriber.SubscribeAsync(channel, (_, _) => _available.Poke());
            await DispatchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: deliveries under way end (or stay pending for another replica) below.
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel);
            await _running.WhenAllAsync();
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _slots.WaitAsync(stoppingToken);
            StreamEntry? entry = null;
            try
            {
                entry = await NextEntryAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, e);
            }

            if (entry is not { } next)
            {
                _slots.Release();
                await _available.WaitAsync(TimeSpan.FromMilliseconds(options.Value.PollIntervalMs), stoppingToken);
                continue;
            }

            _running.Track(Task.Run(async () =>
            {
                try
                {
                    await delivery.HandleAsync(next, stoppingToken);
                }
                finally
                {
                    _slots.Release();
                }
            }, CancellationToken.None));
        }
    }

    private async Task<StreamEntry?> NextEntryAsync()
    {
        if (time.GetUtcNow() >= _nextStaleCheck)
        {
            if (await feed.ClaimStaleAsync() is { } stale)
            {
                return stale;
            }

            _nextStaleCheck = time.GetUtcNow().AddSeconds(Math.Max(1, options.Value.ReclaimIdleSeconds / 4));
        }

        return await feed.ReadNewAsync();
    }



    public override void Dispose()
    {
        _slots.Dispose();
        _available.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callbacks:Secret is not set: this replica delivers no callbacks")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while reading callbacks; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
