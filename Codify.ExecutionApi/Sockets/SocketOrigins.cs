using Microsoft.Net.Http.Headers;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// Which browser pages may open a WebSocket: those of the CORS origins (FRONTEND_URL) and the API's own pages (the
/// playground, same origin). Clients that send no <c>Origin</c> (not browsers) are not concerned.
/// </summary>
public sealed class SocketOrigins(IEnumerable<string> frontendOrigins)
{
    private readonly HashSet<string> _allowed = new(frontendOrigins, StringComparer.OrdinalIgnoreCase);

    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers[HeaderNames.Origin].ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        // Same origin: the page was served by this API at the address the browser used for the socket too.
        return _allowed.Contains(origin)
            || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }
}
