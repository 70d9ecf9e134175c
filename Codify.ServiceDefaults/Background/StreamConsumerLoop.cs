using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Codify.Hosting;

/// <summary>How a <see cref="StreamConsumerLoop"/> paces itself.</summary>
/// <param name="WakeChannel">Pub/sub channel the producers poke after adding an entry.</param>
/// <param name="MaxInFlight">Entries handled at once; the loop never reads more than it has free slots.</param>
/// <param name="PollInterval">How long the loop sleeps without a poke (the fallback when a poke is lost).</param>
/// <param name="StaleCheckInterval">How often abandoned entries are looked for while none are found.</param>
public sealed record StreamLoopPacing(string WakeChannel, int MaxInFlight, TimeSpan PollInterval, TimeSpan StaleCheckInterval);

/// <summary>
/// The one consumer-group loop of the services (Sandbox jobs, API callbacks): takes an entry only when a slot is free,
/// claims entries a dead consumer left pending before reading new ones, hands each to its handler on the thread pool,
/// sleeps until a producer's poke or the poll interval, and on shutdown waits for the entries under way.
/// </summary>
public sealed partial class StreamConsumerLoop(
    StreamConsumerGroup group, IConnectionMultiplexer redis, StreamLoopPacing pacing, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(pacing.MaxInFlight, pacing.MaxInFlight);
    private readonly WakeSignal _available = new();
    private readonly RunningTasks _running = new();
    private DateTimeOffset _nextStaleCheck = DateTimeOffset.MinValue;

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled, then waits for the handlers still running.</summary>
    /// <param name="handle">Handles one entry (and completes it on the group); called with <paramref name="stoppingToken"/>.</param>
    /// <param name="mayTake">Checked before every read: while false, nothing is taken and another consumer gets the entries.</param>
    /// <param name="stoppingToken">Ends the loop; entries already taken are still handled.</param>
    public async Task RunAsync(Func<StreamEntry, CancellationToken, Task> handle, Func<bool>? mayTake, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var channel = RedisChannel.Literal(pacing.WakeChannel);
        var subscriber = redis.GetSubscriber();
        try
        {
            await RedisStartup.RetryAsync(group.EnsureGroupAsync, $"creating the consumer group of {group.Member.Stream}", logger, stoppingToken);
            await RedisStartup.RetryAsync(() => subscriber.SubscribeAsync(channel, (_, _) => _available.Poke()), $"subscribing to {pacing.WakeChannel}", logger, stoppingToken);
            await ConsumeAsync(handle, mayTake ?? (() => true), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: stop taking entries; the ones under way finish (or stay pending for another consumer) below.
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel);
            await _running.WhenAllAsync();
        }
    }

    private async Task ConsumeAsync(Func<StreamEntry, CancellationToken, Task> handle, Func<bool> mayTake, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _slots.WaitAsync(stoppingToken);
            StreamEntry? entry = null;
            try
            {
                entry = mayTake() ? await NextEntryAsync() : null;
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // Redis came back without its data (a store without persistence): recreate the group and go on.
                LogGroupLost(logger, group.Member.Stream);
                await RecreateGroupAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, group.Member.Stream, e);
            }

            if (entry is not { } next)
            {
                _slots.Release();
                await _available.WaitAsync(pacing.PollInterval, stoppingToken);
                continue;
            }

            _running.Track(Task.Run(async () =>
            {
                try
                {
                    await handle(next, stoppingToken);
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
        // Abandoned entries first, so nothing stays pending forever behind a busy stream.
        if (time.GetUtcNow() >= _nextStaleCheck)
        {
            if (await group.ClaimStaleAsync() is { } stale)
            {
                return stale;
            }

            _nextStaleCheck = time.GetUtcNow() + pacing.StaleCheckInterval;
        }

        return await group.ReadNewAsync();
    }

    private async Task RecreateGroupAsync()
    {
        try
        {
            await group.EnsureGroupAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, group.Member.Stream, e);
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _available.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The consumer group of {Stream} was gone (Redis lost its data); created it again")]
    private static partial void LogGroupLost(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while reading {Stream}; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, string stream, Exception exception);
}
