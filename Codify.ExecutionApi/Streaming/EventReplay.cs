using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Streaming;

/// <summary>
/// One execution's events in sequence order: first every logged event (the replay), then live ones, each sequence
/// once and without gaps, ending after <c>completed</c>. The channel is subscribed before the log is read, so an event
/// logged after the read still arrives live; one both read and received is sent once.
/// </summary>
public sealed class EventReplay(IConnectionMultiplexer redis, ExecutionStore store)
{
    public async IAsyncEnumerable<ExecutionEvent> StreamAsync(string id, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var channel = RedisChannel.Literal(RedisKeys.Events(id));
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> onEvent = (_, message) => live.Writer.TryWrite(message.ToString());
        await subscriber.SubscribeAsync(channel, onEvent);
        try
        {
            var replay = await ReadLogAsync(id, after);
            var ended = false;
            if (!replay.Exists(e => e.Type == ExecutionEventType.Completed) && (await store.GetAsync(id))?.Status.IsTerminal() != false)
            {
                // Ended (or gone): its end is logged together with the terminal status, so this read has everything left
                // (nothing, when Last-Event-ID is already past the end). No live event will come: the stream ends here.
                replay = await ReadLogAsync(id, after);
                ended = true;
            }

            foreach (var logged in replay)
            {
                after = logged.Sequence;
                yield return await CompleteAsync(logged);
                if (logged.Type == ExecutionEventType.Completed)
                {
                    yield break;
                }
            }

            if (ended)
            {
                yield break;
            }

            await foreach (var message in live.Reader.ReadAllAsync(cancellationToken))
            {
                var received = Parse(message);
                if (received is null || received.Sequence <= after)
                {
                    continue;
                }

                // A live message lost on the way (a reconnect of the subscription): the log still has it.
                var events = received.Sequence == after + 1 ? [received] : await ReadLogAsync(id, after);
                foreach (var e in events.Where(e => e.Sequence <= received.Sequence))
                {
                    after = e.Sequence;
                    yield return await CompleteAsync(e);
                    if (e.Type == ExecutionEventType.Completed)
                    {
                        yield break;
                    }
                }
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel, onEvent);
        }
    }

    private async Task<List<ExecutionEvent>> ReadLogAsync(string id, long after)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(RedisKeys.EventsLog(id));
        return [.. entries
            .Select(entry => Parse(entry[EventLogScript.EventField].ToString()))
            .OfType<ExecutionEvent>()
            .Where(e => e.Sequence > after)
            .OrderBy(e => e.Sequence)];
    }

    /// <summary>
    /// A <c>completed</c> event carries the final record, same shape as <c>GET /api/execute/{id}</c>: as published by
    /// the Sandbox, or read when the event came from the log (which keeps events small) or carried none.
    /// </summary>
    private async Task<ExecutionEvent> CompleteAsync(ExecutionEvent e) =>
        e.Type == ExecutionEventType.Completed && e.Record is null ? e with { Record = await store.GetAsync(e.ExecutionId) } : e;

    private static ExecutionEvent? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ExecutionEvent>(json, CodifyJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
