using Codify.ExecutionApi.Admission;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>
/// Piston's interactive WebSocket, <c>GET /api/v2/connect</c> (what <c>piston execute -t</c> uses). API keys and allowed
/// browser origins guard the upgrade like any request; a plain GET is a 426 problem with Piston's <c>message</c>.
/// </summary>
public static class PistonConnectApi
{
    public static async Task ConnectAsync(HttpContext http, PistonConnectServices services)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.Headers.Upgrade = "websocket"; // RFC 9110 §15.5.22: a 426 names the protocol to switch to
            await PistonProblems.Of(StatusCodes.Status426UpgradeRequired, "WebSocket upgrade required",
                    "/api/v2/connect serves WebSockets only: connect with a WebSocket client (Upgrade: websocket).",
                    new Dictionary<string, object?> { ["upgrade"] = "websocket" })
                .ExecuteAsync(http);
            return;
        }

        var client = ClientIdentity.Of(http);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var lease = services.Registry.TryEnter(client, services.Sockets.MaxConnectionsPerClient);
        await new PistonConnectSession(socket, services, client).RunAsync(admitted: lease is not null, http.RequestAborted);
    }
}
