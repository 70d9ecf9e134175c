using System.Text.RegularExpressions;

namespace Codify.Sandbox.Capture;

/// <summary>The names a returned file may carry: a plain relative path of safe segments, as the work dir holds it.</summary>
internal static partial class ReturnedPath
{
    /// <summary>No absolute path, no "..", no empty or hidden segment, no control characters: a client may use it as a path.</summary>
    public static bool IsSafe(string name) => name.Length <= 255 && name.Split('/').All(segment => Segment().IsMatch(segment));

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_. -]{0,99}$")]
    private static partial Regex Segment();
}
