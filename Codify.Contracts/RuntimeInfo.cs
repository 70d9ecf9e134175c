namespace Codify.Contracts;

/// <summary>
/// One installed runtime as the Sandbox found it: the version its interpreter printed at start-up.
/// Stored in <see cref="RedisKeys.Runtimes"/> and served by <c>GET /api/runtimes</c>.
/// </summary>
public sealed record RuntimeInfo(string Language, string Version, IReadOnlyList<string> Aliases, string Extension, string Interpreter)
{
    /// <summary>
    /// Whether <paramref name="requested"/> selects this runtime: "*", "latest", "x", the exact version, or a
    /// prefix of whole components ("3", "3.11", also written "3.x" or "3.11.*").
    /// </summary>
    public bool Matches(string requested)
    {
        var wanted = requested.Trim();
        while (wanted.EndsWith(".x", StringComparison.OrdinalIgnoreCase) || wanted.EndsWith(".*", StringComparison.Ordinal))
        {
            wanted = wanted[..^2];
        }

        if (wanted is "*" or "x" or "X" || wanted.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        wanted = wanted.TrimStart('v', 'V');
        return wanted.Length > 0
            && (Version == wanted || Version.StartsWith(wanted + ".", StringComparison.Ordinal));
    }
}
