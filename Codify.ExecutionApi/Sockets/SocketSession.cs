using System.Buffers;
using System.Net.WebSockets;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// One accepted WebSocket: a single reader loop (messages handled one at a time, in order), the
/// <see cref="SocketOutbox"/>'s single writer, and the connection's subscriptions. When it ends, executions it started
/// and that have not ended are cancelled (<see cref="SocketOptions.CancelOnDisconnect"/>).
/// </summary>
public sealed partial class SocketSession(WebSocket socket, SocketServices services, string client)
{
    private const int ReceiveChunkBytes = 16 * 1024;

    public async Task RunAsync(CancellationToken requestAborted)
    {
        var options = services.Options;
        using var outbox = new SocketOutbox(socket, options, services.Registry.RecordOverflow);
        using var stopping = services.Lifetime.ApplicationStopping.Register(
            () => outbox.Stop(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, outbox.Aborted);
        var subscriptions = new SocketSubscriptions(services.Replay, outbox, services.Logger);
        var commands = new SocketCommands(services, outbox, subscriptions, client);
        LogOpened(services.Logger, client);
        try
        {
            await ReadAsync(commands, outbox, options.MaxMessageBytes, reading.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away (or was cut off).
        }
        finally
        {
            outbox.Stop(WebSocketCloseStatus.NormalClosure, "");
            await subscriptions.DisposeAsync();
            await outbox.Completion;
            if (outbox.Overflowed)
            {
                LogOverflow(services.Logger, client, options.SendBufferMessages);
            }

            if (options.CancelOnDisconnect)
            {
                await CancelStartedAsync(commands.Started.Keys);
            }

            LogClosed(services.Logger, client, socket.CloseStatus);
        }
    }

    private async Task ReadAsync(SocketCommands commands, SocketOutbox outbox, int maxBytes, CancellationToken cancellationToken)
    {
        var chunk = new byte[ReceiveChunkBytes];
        var message = new ArrayBufferWriter<byte>(ReceiveChunkBytes);
        var tooLarge = false;
        while (true)
        {
            var received = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            tooLarge |= message.WrittenCount + received.Count > maxBytes;
            if (!tooLarge)
            {
                message.Write(chunk.AsSpan(0, received.Count));
            }

            if (!received.EndOfMessage)
            {
                continue;
            }

            if (tooLarge)
            {
                await outbox.EnqueueAsync(SocketReply.Error(SocketErrors.TooLarge,
                    $"The message is larger than the limit of {maxBytes} bytes (WebSockets:MaxMessageBytes); it was ignored."), cancellationToken);
            }
            else if (received.MessageType == WebSocketMessageType.Binary)
            {
                await outbox.EnqueueAsync(SocketReply.Error(SocketErrors.Malformed, "Send JSON text messages, not binary ones."), cancellationToken);
            }
            else
            {
                await HandleAsync(commands, outbox, message.WrittenMemory, cancellationToken);
            }

            tooLarge = false;
            message = message.Capacity > 4 * ReceiveChunkBytes ? new ArrayBufferWriter<byte>(ReceiveChunkBytes) : message;
            message.ResetWrittenCount();
        }
    }

    /// <summary>Parses one text message and hands it to <paramref name="commands"/>; anything unreadable is answered as <c>malformed</c>.</summary>
    private static async Task HandleAsync(SocketCommands commands, SocketOutbox outbox, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        using var parsed = SocketRequestParser.Parse(utf8);
        if (parsed.Error is { } error)
        {
            await outbox.EnqueueAsync(error, cancellationToken);
            return;
        }

        await commands.HandleAsync(parsed.Message, parsed.Request!, cancellationToken);
    }

    private async Task CancelStartedAsync(IEnumerable<string> executionIds)
    {
        foreach (var id in executionIds)
        {
            await services.Canceller.CancelAbandonedAsync(id, client);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket opened by {Client}")]
    private static partial void LogOpened(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket of {Client} closed ({CloseStatus})")]
    private static partial void LogClosed(ILogger logger, string client, WebSocketCloseStatus? closeStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket of {Client} overflowed its send buffer of {Messages} messages; disconnected")]
    private static partial void LogOverflow(ILogger logger, string client, int messages);
}
