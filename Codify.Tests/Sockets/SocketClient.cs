using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Codify.Contracts;

namespace Codify.Tests.Sockets;

/// <summary>A real <see cref="ClientWebSocket"/> over TCP to a Kestrel listener, reading JSON messages with a deadline.</summary>
public sealed class SocketClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpMessageInvoker _invoker;

    private SocketClient(ClientWebSocket socket, HttpMessageInvoker invoker) => (Socket, _invoker) = (socket, invoker);

    public ClientWebSocket Socket { get; }

    /// <summary>Connects to <paramref name="uri"/>, sending <paramref name="apiKey"/> as X-API-Key if given; <paramref name="receiveBufferBytes"/> sets the TCP receive buffer (small: a slow reader's backlog reaches the server fast); <paramref name="origin"/> is sent as a browser would.</summary>
    public static async Task<SocketClient> ConnectAsync(Uri uri, string? apiKey = null, int? receiveBufferBytes = null, string? origin = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } bytes)
                {
                    socket.ReceiveBufferSize = bytes; // before connecting, so the advertised window is small too
                }

                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        if (apiKey is not null)
        {
            client.Options.SetRequestHeader("X-API-Key", apiKey);
        }

        if (origin is not null)
        {
            client.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await client.ConnectAsync(uri, invoker, timeout.Token);
        }
        catch
        {
            invoker.Dispose();
            throw;
        }

        return new SocketClient(client, invoker);
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message, CodifyJson.Options));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message, or null when the server closed the connection (see <see cref="ClientWebSocket.CloseStatus"/>).</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? DefaultTimeout);
        using var text = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            text.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(text.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>Messages up to and including the first that <paramref name="last"/> accepts.</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> last)
    {
        var messages = new List<JsonElement>();
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException(
                $"closed ({Socket.CloseStatus} {Socket.CloseStatusDescription}) after {messages.Count} messages: {string.Join(", ", messages.Select(Type))}");
            messages.Add(message);
            if (last(message))
            {
                return messages;
            }
        }
    }

    /// <summary>Messages up to and including <paramref name="executionId"/>'s <c>completed</c> event.</summary>
    public Task<List<JsonElement>> ReceiveUntilCompletedAsync(string executionId) =>
        ReceiveUntilAsync(m => Type(m) == "completed" && m.GetProperty("executionId").GetString() == executionId);

    public static string? Type(JsonElement message) => message.GetProperty("type").GetString();

    public static ExecutionEvent Event(JsonElement message) => message.Deserialize<ExecutionEvent>(CodifyJson.Options)!;

    /// <summary>The execution events among <paramref name="messages"/> (everything but acknowledgements and errors).</summary>
    public static List<ExecutionEvent> Events(IEnumerable<JsonElement> messages, string executionId) =>
    [
        .. messages
            .Where(m => Type(m) is "queued" or "started" or "stdout" or "stderr" or "completed"
                && m.GetProperty("executionId").GetString() == executionId)
            .Select(Event),
    ];

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first.
            }
        }

        Socket.Dispose();
        _invoker.Dispose();
    }
}
