using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// Checks a presented API key against the configured ones in constant time: both sides are hashed to SHA-256 first,
/// so neither the content nor the length of a configured key leaks through timing.
/// </summary>
public sealed class ApiKeys(IOptions<ApiKeyOptions> options)
{
    public const string Header = "X-API-Key";

    private readonly byte[][] _hashes = [.. options.Value.Keys.Select(Hash)];

    /// <summary>Whether keys are configured (then every request but the health endpoints needs one).</summary>
    public bool Required => _hashes.Length > 0;

    /// <summary>The key from <c>X-API-Key</c>, else from <c>Authorization: Bearer</c>, else (WebSocket upgrades only) from a subprotocol, else null.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers[Header] is [{ Length: > 0 } key, ..])
        {
            return key.Trim();
        }

        const string Bearer = "Bearer ";
        return request.Headers.Authorization is [{ } authorization, ..]
            && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : SocketKeyProtocol.Presented(request);
    }

    /// <summary>A stable, non-secret id of the configured key that <paramref name="presented"/> equals, or null.</summary>
    public string? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = Hash(presented);
        var matched = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            // Every configured key is compared: the time does not depend on which one matched.
            matched = CryptographicOperations.FixedTimeEquals(_hashes[i], hash) ? i : matched;
        }

        return matched < 0 ? null : Convert.ToHexStringLower(_hashes[matched], 0, 12);
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
