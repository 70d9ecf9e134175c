using System.Collections.Concurrent;
using Codify.Contracts;
using Codify.ExecutionApi.Streaming;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// The executions one WebSocket follows: per execution, one task copying <see cref="EventReplay"/> (the replay, then live
/// events, each sequence once) into the <see cref="SocketOutbox"/>. A subscription ends by itself after <c>completed</c>.
/// </summary>
public sealed partial class SocketSubscriptions(EventReplay replay, SocketOutbox outbox, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Subscription> _active = new(StringComparer.Ordinal);

    /// <summary>Raised (on the subscription's task) after an execution's <c>completed</c> event was queued.</summary>
    public event Action<string>? Completed;

    public int Count => _active.Count;

    public bool Contains(string executionId) => _active.ContainsKey(executionId);

    /// <summary>Starts following <paramref name="executionId"/>: its first event is queued after whatever is queued now.</summary>
    public void Start(string executionId)
    {
        var subscription = new Subscription();
        _active[executionId] = subscription;
        subscription.Pump = Task.Run(() => PumpAsync(executionId, subscription));
    }

    /// <summary>Stops following it; once this returns, none of its events is queued any more. False if it was not followed.</summary>
    public async Task<bool> StopAsync(string executionId)
    {
        if (!_active.TryRemove(executionId, out var subscription))
        {
            return false;
        }

        await subscription.StopAsync();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        var all = _active.ToArray();
        _active.Clear();
        await Task.WhenAll(all.Select(s => s.Value.StopAsync()));
    }

    private async Task PumpAsync(string executionId, Subscription subscription)
    {
        try
        {
            await foreach (var e in replay.StreamAsync(executionId, 0, subscription.Cancel.Token))
            {
                if (!await outbox.EnqueueAsync(e, subscription.Cancel.Token))
                {
                    return;
                }

                if (e.Type == ExecutionEventType.Completed)
                {
                    Completed?.Invoke(executionId);
                }
            }
        }
        catch (OperationCanceledException) when (subscription.Cancel.IsCancellationRequested)
        {
            // Unsubscribed or the connection closed.
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStreamFailed(logger, executionId, e);
            var broken = SocketReply.Error(SocketErrors.Unavailable,
                $"The event stream of execution '{executionId}' broke (Redis did not answer); subscribe again to resume.");
            await outbox.EnqueueAsync(broken with { ExecutionId = executionId }, CancellationToken.None);
        }
        finally
        {
            _active.TryRemove(KeyValuePair.Create(executionId, subscription));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event stream of execution {ExecutionId} failed for a WebSocket subscriber")]
    private static partial void LogStreamFailed(ILogger logger, string executionId, Exception exception);

    private sealed class Subscription
    {
        public CancellationTokenSource Cancel { get; } = new();

        public Task Pump { get; set; } = Task.CompletedTask;

        public async Task StopAsync()
        {
            await Cancel.CancelAsync();
            await Pump;
            Cancel.Dispose();
        }
    }
}
