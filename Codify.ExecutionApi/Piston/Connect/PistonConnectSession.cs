using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Codify.ExecutionApi.Sockets;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>
/// One accepted <c>/api/v2/connect</c> socket, following Piston's protocol: <c>init</c> first, once, within the init
/// timeout; then stdin <c>data</c> and <c>signal</c>; anything out of turn closes with Piston's code for it. Messages are
/// handled one at a time, in order; an unknown <c>type</c> is ignored, as Piston ignores it.
/// </summary>
public sealed class PistonConnectSession(WebSocket socket, PistonConnectServices services, string client)
{
    private const int ReceiveChunkBytes = 16 * 1024;
    private const int Waiting = 0, Initialized = 1, TimedOut = 2;
    private int _init;

    /// <summary>Runs the connection until it closes; <paramref name="admitted"/> false (over the per-client socket limit) refuses it at once.</summary>
    public async Task RunAsync(bool admitted, CancellationToken requestAborted)
    {
        using var outbox = new SocketOutbox(socket, services.Sockets, services.Registry.RecordOverflow);
        var connection = new PistonConnection(outbox);
        using var stopping = services.Lifetime.ApplicationStopping.Register(
            () => outbox.Stop(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, outbox.Aborted);
        using var initDeadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(services.Options.InitTimeoutMilliseconds));
        // A client that connects and never says what to run holds a socket of its budget for nothing.
        using var onInitTimeout = initDeadline.Token.Register(() =>
        {
            if (Interlocked.CompareExchange(ref _init, TimedOut, Waiting) == Waiting)
            {
                connection.Close(PistonClose.InitializationTimeout);
            }
        });
        var run = new PistonConnectRun(services, connection, client);
        try
        {
            if (!admitted)
            {
                // One client must not hold every socket of this replica (shared with Codify's own WebSocket).
                await connection.FailAsync($"This client already has {services.Sockets.MaxConnectionsPerClient} open WebSockets "
                    + "(WebSockets:MaxConnectionsPerClient); close one first.");
            }

            await ReadAsync(connection, run, reading.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away (or was cut off).
        }
        finally
        {
            outbox.Stop(WebSocketCloseStatus.NormalClosure, "");
            await run.DisposeAsync();
            await outbox.Completion;
        }
    }

    /// <summary>Reads whole messages until the client's close; after the server's own close, what arrives is ignored.</summary>
    private async Task ReadAsync(PistonConnection connection, PistonConnectRun run, CancellationToken cancellationToken)
    {
        var max = services.Sockets.MaxMessageBytes;
        var chunk = new byte[ReceiveChunkBytes];
        var message = new ArrayBufferWriter<byte>(ReceiveChunkBytes);
        while (true)
        {
            var received = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (connection.IsClosing)
            {
                continue;
            }

            // A message is buffered whole before it is parsed: the cap bounds the memory one client can take.
            if (message.WrittenCount + received.Count > max)
            {
                await connection.FailAsync($"The message is larger than the limit of {max} bytes (WebSockets:MaxMessageBytes).", PistonClose.MessageTooBig);
                continue;
            }

            message.Write(chunk.AsSpan(0, received.Count));
            if (received.EndOfMessage)
            {
                // Text or binary alike: Piston parses either as JSON.
                await HandleAsync(connection, run, message.WrittenMemory, cancellationToken);
                message.ResetWrittenCount();
            }
        }
    }

    private async Task HandleAsync(PistonConnection connection, PistonConnectRun run, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var (message, unreadable) = PistonClientMessages.Read(document.RootElement);
            if (message is null)
            {
                await connection.FailAsync(unreadable!);
                return;
            }

            await DispatchAsync(connection, run, message, document.RootElement, cancellationToken);
            if (connection.IsClosing)
            {
                await run.DisposeAsync(); // closed for this message: the run ends now, not when the client answers the close
            }
        }
        catch (JsonException)
        {
            await connection.FailAsync("The message is not valid JSON: send one object such as {\"type\":\"init\",\"language\":\"python\",...}.");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            await connection.FailAsync("Redis does not answer; retry later.");
        }
    }

    private async Task DispatchAsync(
        PistonConnection connection, PistonConnectRun run, PistonClientMessage message, JsonElement whole, CancellationToken cancellationToken)
    {
        var initialized = Volatile.Read(ref _init) == Initialized;
        switch (message.Type)
        {
            case "init" when Interlocked.CompareExchange(ref _init, Initialized, Waiting) == Waiting:
                await run.StartAsync(whole, cancellationToken);
                break;
            case "init":
                connection.Close(PistonClose.AlreadyInitialized);
                break;
            case "data" or "signal" when !initialized:
                connection.Close(PistonClose.NotYetInitialized);
                break;
            case "data" when message.Stream != "stdin":
                connection.Close(PistonClose.OnlyStdin);
                break;
            case "data":
                await run.WriteStdinAsync(message.Data ?? "", message.Eof == true, cancellationToken);
                break;
            case "signal" when !PistonSignals.IsKnown(message.Signal):
                connection.Close(PistonClose.InvalidSignal);
                break;
            case "signal":
                await run.SignalAsync(message.Signal!);
                break;
        }
    }
}
