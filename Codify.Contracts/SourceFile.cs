using System.Text.RegularExpressions;

namespace Codify.Contracts;

/// <summary>One file of a multi-file program; it lands in the sandbox's work dir under <see cref="Name"/>.</summary>
public sealed partial record SourceFile(string Name, string Content)
{
    /// <summary>One plain file name: no folders, no "..", no hidden files; both the API and the Sandbox check it.</summary>
    public static bool IsSafeName(string? name) => name is not null && SafeName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex SafeName();
}
