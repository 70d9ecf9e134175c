using System.Net.WebSockets;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Admission;

using Codify.ExecutionApi.Sockets;

namespace Codify.ExecutionApi.Apis;

/// <summary>
/// The WebSocket endpoint at <c>/</c> (the seed's <c>ws://localhost:8080</c>) and <c>/ws</c>. API keys guard the upgrade
/// like any request; browser origins are those CORS allows (FRONTEND_URL, checked by <see cref="SocketServiceExtensions.UseExecutionWebSockets"/>).
/// A plain GET of <c>/</c> stays a 404; of <c>/ws</c> it is a 426 problem.
/// </summary>
public static class SocketApi
{
    public static IEndpointRouteBuilder MapSocketApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ConnectAsync).ExcludeFromDescription();
        app.MapGet("/ws", ConnectAsync).ExcludeFromDescription();
        return app;
    }

    public static async Task ConnectAsync(HttpContext http, SocketServices services)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await NotWebSocket(http).ExecuteAsync(http);
            return;
        }

        var client = ClientIdentity.Of(http);
        // A browser that offered subprotocols (the playground: "codify" and its key) fails unless one is chosen.
        var protocol = http.WebSockets.WebSocketRequestedProtocols.Contains(SocketKeyProtocol.Protocol) ? SocketKeyProtocol.Protocol : null;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(protocol);
        using var lease = services.Registry.TryEnter(client, services.Options.MaxConnectionsPerClient);
        if (lease is null)
        {
            await RefuseAsync(socket, services.Options.MaxConnectionsPerClient, http.RequestAborted);
            return;
        }

        await new SocketSession(socket, services, client).RunAsync(http.RequestAborted);
    }

    /// <summary>Over the per-client limit: one <c>error</c> that says so, then close (1008); the client's other sockets are untouched.</summary>
    private static async Task RefuseAsync(WebSocket socket, int max, CancellationToken cancellationToken)
    {
        var error = SocketReply.Error(SocketErrors.Limit,
            $"This client already has {max} open WebSockets (WebSockets:MaxConnectionsPerClient); close one first.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(error, CodifyJson.Options), WebSocketMessageType.Text, true, timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many connections", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Gone already.
        }
    }

    private static IResult NotWebSocket(HttpContext http)
    {
        if (http.Request.Path == "/")
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.Upgrade = "websocket"; // RFC 9110 §15.5.22: a 426 names the protocol to switch to
        return TypedResults.Problem("This address serves WebSockets only: connect with a WebSocket client (Upgrade: websocket).",
            statusCode: StatusCodes.Status426UpgradeRequired, title: "WebSocket upgrade required",
            extensions: new Dictionary<string, object?> { ["upgrade"] = "websocket" });
    }
}
