using System.Text;

namespace Codify.ExecutionApi.Sessions;

/// <summary>
/// Checks a file path of a session's work dir before it leaves the API. Only plain relative paths pass: the replica
/// checks again, and the in-sandbox kernel opens each component without following symlinks.
/// </summary>
public static class SessionPaths
{
    public const string Field = "path";

    /// <returns>Why <paramref name="path"/> is refused, or null when it is a plain relative path.</returns>
    public static string? Refusal(string? path, int maxBytes)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "path is required: a relative path in the session's work dir, such as data/input.csv";
        }

        // NUL ends a path in every C API below us: "a.txt\0../../etc" must not become something else further down.
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "path must not contain NUL";
        }

        if (Encoding.UTF8.GetByteCount(path) > maxBytes)
        {
            return $"path is longer than the limit of {maxBytes} bytes (Sessions:MaxPathBytes)";
        }

        // Absolute paths would name files outside the work dir (in the sandbox's view: /etc, /proc).
        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            return "path must be relative, with '/' between folders (no leading '/', no '\\')";
        }

        // ".." climbs out of the work dir; "." and empty segments make two names for one file.
        if (path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return "path must not contain '..', '.' or empty segments";
        }

        return path.Any(char.IsControl) ? "path must not contain control characters" : null;
    }
}
