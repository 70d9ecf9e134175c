using System.Text.Json;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Executions;

/// <summary>
/// This API replica's one subscription to <see cref="RedisKeys.EndedChannel"/>, shared by every request waiting for an
/// execution's end: a waiter is an entry in a dictionary, not a SUBSCRIBE and an UNSUBSCRIBE of its own. The announcement
/// carries the final record when the replica that ended the run knew it (otherwise the waiter reads it).
/// </summary>
public sealed class EndedFeed(IConnectionMultiplexer redis) : IDisposable
{
    private readonly Dictionary<string, Waiting> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;

    /// <summary>
    /// Starts listening for <paramref name="id"/>'s end; once this returns, no announcement of it is missed (a caller then
    /// reads the record, to catch an end announced before). Dispose the handle to stop.
    /// </summary>
    public async Task<Watch> WatchAsync(string id)
    {
        if (!_subscribed)
        {
            await SubscribeAsync();
        }

        lock (_waiting)
        {
            if (!_waiting.TryGetValue(id, out var waiting))
            {
                _waiting[id] = waiting = new Waiting(new TaskCompletionSource<ExecutionRecord?>(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            waiting.Count++;
            return new Watch(this, id, waiting.Ended.Task);
        }
    }

    private async Task SubscribeAsync()
    {
        await _subscribing.WaitAsync();
        try
        {
            if (!_subscribed)
            {
                // Restored by the client after a reconnect; an end announced while Redis was away is caught by the waiter's
                // bound (it then reads the record).
                await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RedisKeys.EndedChannel), (_, message) => OnEnded(message));
                _subscribed = true;
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void OnEnded(RedisValue message)
    {
        var e = JsonSerializer.Deserialize<ExecutionEvent>(message.ToString(), CodifyJson.Options);
        if (e?.Type != ExecutionEventType.Completed)
        {
            return;
        }

        Waiting? waiting;
        lock (_waiting)
        {
            _waiting.TryGetValue(e.ExecutionId, out waiting);
        }

        // Without a record (a lost or unreadable run, a cancel while queued), the waiter reads it.
        waiting?.Ended.TrySetResult(e.Record is { } record && record.Id == e.ExecutionId && record.Status.IsTerminal() ? record : null);
    }

    private void Stop(string id)
    {
        lock (_waiting)
        {
            if (_waiting.TryGetValue(id, out var waiting) && --waiting.Count == 0)
            {
                _waiting.Remove(id);
            }
        }
    }

    public void Dispose() => _subscribing.Dispose();

    private sealed class Waiting(TaskCompletionSource<ExecutionRecord?> ended)
    {
        public TaskCompletionSource<ExecutionRecord?> Ended { get; } = ended;

        public int Count { get; set; }
    }

    /// <summary>One waiter's registration: <see cref="Ended"/> completes with the announced record (null: read it).</summary>
    public sealed class Watch(EndedFeed feed, string id, Task<ExecutionRecord?> ended) : IDisposable
    {
        public Task<ExecutionRecord?> Ended { get; } = ended;

        public void Dispose() => feed.Stop(id);
    }
}
