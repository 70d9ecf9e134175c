using System.Net.WebSockets;
using System.Text.Json;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sockets;

namespace Codify.Tests.Piston;

/// <summary>A real WebSocket client of <c>/api/v2/connect</c> speaking Piston's messages, as Piston's CLI does.</summary>
public sealed class PistonConnectClient : IAsyncDisposable
{
    private PistonConnectClient(SocketClient socket) => Socket = socket;

    public SocketClient Socket { get; }

    public WebSocketCloseStatus? CloseStatus => Socket.Socket.CloseStatus;

    public string? CloseReason => Socket.Socket.CloseStatusDescription;

    public static async Task<PistonConnectClient> ConnectAsync(KestrelApi api, string? apiKey = null) =>
        new(await SocketClient.ConnectAsync(api.WebSocketUri("/api/v2/connect"), apiKey));

    /// <summary>Connects and sends <c>init</c> for <paramref name="code"/> (one file) at once, as the CLI does on open.</summary>
    public static async Task<PistonConnectClient> StartAsync(KestrelApi api, string language, string code, int runTimeoutMs = 20_000, string? apiKey = null)
    {
        var client = await ConnectAsync(api, apiKey);
        await client.InitAsync(new { language, version = "*", files = new[] { new { content = code } }, run_timeout = runTimeoutMs });
        return client;
    }

    public Task InitAsync(object fields)
    {
        var init = JsonSerializer.SerializeToNode(fields)!.AsObject();
        init.Insert(0, "type", "init");
        return Socket.SendTextAsync(init.ToJsonString());
    }

    public Task SendAsync(object message) => Socket.SendTextAsync(JsonSerializer.Serialize(message));

    public Task WriteStdinAsync(string data) => SendAsync(new { type = "data", stream = "stdin", data });

    public Task SignalAsync(string signal) => SendAsync(new { type = "signal", signal });

    public async Task<JsonElement> ReceiveAsync() =>
        await Socket.ReceiveAsync() ?? throw new InvalidOperationException($"closed: {CloseStatus} {CloseReason}");

    /// <summary>Messages until one of type <paramref name="type"/> (included), whose <c>data</c> may also have to contain <paramref name="containing"/>.</summary>
    public Task<List<JsonElement>> ReceiveUntilAsync(string type, string? containing = null) =>
        Socket.ReceiveUntilAsync(m => Type(m) == type && (containing is null || m.GetProperty("data").GetString()!.Contains(containing, StringComparison.Ordinal)));

    /// <summary>Every message until the server closes the connection.</summary>
    public async Task<List<JsonElement>> ReceiveUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        while (await Socket.ReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public static string? Type(JsonElement message) => message.GetProperty("type").GetString();

    /// <summary>The text of the <c>data</c> messages of one stream, joined.</summary>
    public static string Output(IEnumerable<JsonElement> messages, string stream) => string.Concat(messages
        .Where(m => Type(m) == "data" && m.GetProperty("stream").GetString() == stream)
        .Select(m => m.GetProperty("data").GetString()));

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
