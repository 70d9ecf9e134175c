using System.Buffers.Text;
using System.Text;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// An API key on a WebSocket upgrade from a browser, which cannot set headers there: the page offers the subprotocols
/// <c>codify</c> and <c>codify.key.&lt;the key, UTF-8, base64url&gt;</c>; the server accepts <c>codify</c>, so the key is
/// never echoed. Read only on upgrade requests; plain requests still need <c>X-API-Key</c> or <c>Authorization</c>.
/// Unlike a query parameter, the key does not end up in URLs (request logs, proxies, browser history).
/// </summary>
public static class SocketKeyProtocol
{
    /// <summary>The subprotocol the server accepts when the client offers it.</summary>
    public const string Protocol = "codify";

    public const string KeyPrefix = "codify.key.";

    public static string? Presented(HttpRequest request)
    {
        if (!IsUpgrade(request))
        {
            return null;
        }

        foreach (var offered in request.Headers.SecWebSocketProtocol.SelectMany(v => (v ?? "").Split(',')))
        {
            var protocol = offered.Trim();
            if (protocol.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                // A value that is not base64url is presented as it is: it matches no key and fails as an invalid one.
                var encoded = protocol[KeyPrefix.Length..];
                return Base64Url.IsValid(encoded) ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded)) : encoded;
            }
        }

        return null;
    }

    /// <summary>An HTTP/1.1 <c>Upgrade: websocket</c> GET, or an HTTP/2 extended CONNECT (the WebSocket middleware runs later, so its flag is not set yet).</summary>
    private static bool IsUpgrade(HttpRequest request) =>
        HttpMethods.IsConnect(request.Method)
        || (HttpMethods.IsGet(request.Method) && request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase));
}
