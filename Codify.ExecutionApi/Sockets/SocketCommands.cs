using System.Collections.Concurrent;
using System.Text.Json;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Interactive;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// What one client message does on its connection. Every message gets an answer (an acknowledgement or an <c>error</c>);
/// none closes the socket.
/// </summary>
public sealed class SocketCommands
{
    private readonly SocketServices _services;
    private readonly SocketOutbox _outbox;
    private readonly SocketSubscriptions _subscriptions;
    private readonly string _client;

    public SocketCommands(SocketServices services, SocketOutbox outbox, SocketSubscriptions subscriptions, string client)
    {
        (_services, _outbox, _subscriptions, _client) = (services, outbox, subscriptions, client);
        _subscriptions.Completed += id => Started.TryRemove(id, out _);
    }

    /// <summary>Executions this connection started that have not been seen to end: cancelled when it closes (if configured).</summary>
    public ConcurrentDictionary<string, bool> Started { get; } = new(StringComparer.Ordinal);

    public async Task HandleAsync(JsonElement message, SocketRequest request, CancellationToken cancellationToken)
    {
        try
        {
            SocketReply? reply = request.Type switch
            {
                "subscribe" => await SubscribeAsync(request, cancellationToken),
                "unsubscribe" => await UnsubscribeAsync(request),
                "execute" => await ExecuteAsync(message, request, cancellationToken),
                "kill" => await KillAsync(request),
                "stdin" => await StdinAsync(request, cancellationToken),
                "ping" => SocketReply.For("pong", request),
                _ => SocketReply.Error(SocketErrors.UnknownType,
                    $"Unknown message type '{request.Type}': one of subscribe, unsubscribe, execute, stdin, kill, ping.", request),
            };
            if (reply is not null)
            {
                await _outbox.EnqueueAsync(reply, cancellationToken);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            await _outbox.EnqueueAsync(SocketReply.Error(SocketErrors.Unavailable, "Redis does not answer; retry later.", request) with { RetryAfter = RetryAfter.UnavailableSeconds }, cancellationToken);
        }
    }

    private async Task<SocketReply?> SubscribeAsync(SocketRequest request, CancellationToken cancellationToken)
    {
        if (Missing(request) is { } missing)
        {
            return missing;
        }

        var id = request.ExecutionId!;
        if (_subscriptions.Contains(id))
        {
            return SocketReply.Error(SocketErrors.AlreadySubscribed, $"Already subscribed to execution '{id}'.", request);
        }

        if (LimitReached(request) is { } limit)
        {
            return limit;
        }

        if (await _services.Store.GetAsync(id) is null)
        {
            return UnknownExecution(request);
        }

        // The acknowledgement goes out before the first event.
        await _outbox.EnqueueAsync(SocketReply.For("subscribed", request), cancellationToken);
        _subscriptions.Start(id);
        return null; // answered
    }

    private async Task<SocketReply?> UnsubscribeAsync(SocketRequest request) =>
        Missing(request) ?? (await _subscriptions.StopAsync(request.ExecutionId!)
            ? SocketReply.For("unsubscribed", request)
            : SocketReply.Error(SocketErrors.NotSubscribed, $"Not subscribed to execution '{request.ExecutionId}' (or its events have all been sent).", request));

    private async Task<SocketReply?> ExecuteAsync(JsonElement message, SocketRequest request, CancellationToken cancellationToken)
    {
        if (LimitReached(request) is { } limit)
        {
            return limit;
        }

        var (record, error) = await _services.Executor.ExecuteAsync(message, request, _client, cancellationToken);
        if (record is null)
        {
            return error!;
        }

        Started[record.Id] = true;
        await _outbox.EnqueueAsync(SocketReply.For("accepted", request, record.Id) with { Execution = record }, cancellationToken);
        _subscriptions.Start(record.Id);
        return null; // answered
    }

    private async Task<SocketReply?> KillAsync(SocketRequest request)
    {
        if (Missing(request) is { } missing)
        {
            return missing;
        }

        var (outcome, message) = await _services.Canceller.CancelAsync(request.ExecutionId!) switch
        {
            CancelOutcome.NotFound => (null, null),
            CancelOutcome.CancelledWhileQueued => ("cancelled", ExecutionCanceller.QueuedMessage),
            CancelOutcome.KillRequested => ("kill_requested", "the execution is being killed; its completed event follows for subscribers"),
            _ => ("already_finished", "the execution had already finished; left as it was"),
        };
        return outcome is null ? UnknownExecution(request) : SocketReply.For("kill_result", request, message: message) with { Outcome = outcome };
    }

    private async Task<SocketReply?> StdinAsync(SocketRequest request, CancellationToken cancellationToken)
    {
        if (Missing(request) is { } missing)
        {
            return missing;
        }

        if (request.Data is null && request.Eof != true)
        {
            return SocketReply.Error(SocketErrors.Malformed, "A 'stdin' message needs data (a string; it may be left out when eof is true).", request);
        }

        var relay = _services.Stdin;
        var id = request.ExecutionId!;
        var outcome = await relay.SendAsync(id, request.Data ?? "", request.Eof == true, cancellationToken);
        return outcome switch
        {
            StdinSendOutcome.Sent => SocketReply.For("stdin_sent", request),
            StdinSendOutcome.NotFound => UnknownExecution(request),
            StdinSendOutcome.TooLarge => SocketReply.Error(SocketErrors.TooLarge, relay.Explain(id, outcome), request),
            StdinSendOutcome.NotInteractive => SocketReply.Error(SocketErrors.NotInteractive, relay.Explain(id, outcome), request),
            _ => SocketReply.Error(SocketErrors.StdinClosed, relay.Explain(id, outcome), request),
        };
    }

    private static SocketReply? Missing(SocketRequest request) =>
        string.IsNullOrWhiteSpace(request.ExecutionId)
            ? SocketReply.Error(SocketErrors.Malformed, $"A '{request.Type}' message needs an executionId.", request)
            : null;

    private static SocketReply UnknownExecution(SocketRequest request) =>
        SocketReply.Error(SocketErrors.UnknownExecution, ExecutionNotFound.Detail(request.ExecutionId!), request);

    private SocketReply? LimitReached(SocketRequest request)
    {
        var max = _services.Options.MaxSubscriptionsPerConnection;
        return _subscriptions.Count >= max
            ? SocketReply.Error(SocketErrors.Limit,
                $"This connection already follows {max} executions (WebSockets:MaxSubscriptionsPerConnection); unsubscribe from one first.", request)
            : null;
    }
}
