using System.Runtime.CompilerServices;
using Codify.Contracts;
using Codify.Sandbox.Supervision;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// An interactive execution's standard input from <see cref="RedisKeys.Stdin"/>: every chunk in order, including those
/// sent while it was queued. A poke on <see cref="RedisKeys.StdinAvailable"/> wakes the reader at once; a lost poke
/// costs at most <see cref="PollInterval"/>, because the stream itself is the source of truth.
/// </summary>
public sealed class RedisStdinFeed(IConnectionMultiplexer redis, string executionId) : IStdinFeed
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<StdinChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var poked = new SemaphoreSlim(0);
        var channel = RedisChannel.Literal(RedisKeys.StdinAvailable(executionId));
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> onPoke = (_, _) =>
        {
            try
            {
                poked.Release();
            }
            catch (ObjectDisposedException)
            {
                // A poke delivered after the run ended: nobody reads any more.
            }
        };
        // Subscribed before the first read: a chunk sent in between is either read or poked, never missed.
        await subscriber.SubscribeAsync(channel, onPoke);
        try
        {
            var after = "0-0";
            while (!cancellationToken.IsCancellationRequested)
            {
                // Exclusive start: each entry once.
                var entries = await redis.GetDatabase().StreamRangeAsync(RedisKeys.Stdin(executionId), $"({after}", "+");
                foreach (var entry in entries)
                {
                    after = entry.Id.ToString();
                    var eof = !entry[StdinScript.EofField].IsNull;
                    yield return new StdinChunk(entry[StdinScript.DataField].ToString(), eof);
                    if (eof)
                    {
                        yield break;
                    }
                }

                if (entries.Length == 0 && !await WaitAsync(poked, cancellationToken))
                {
                    yield break;
                }
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel, onPoke);
        }
    }

    /// <returns>false when cancelled (the run ended).</returns>
    private static async Task<bool> WaitAsync(SemaphoreSlim poked, CancellationToken cancellationToken)
    {
        try
        {
            await poked.WaitAsync(PollInterval, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
