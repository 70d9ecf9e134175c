namespace Codify.Contracts;

/// <summary>A language Codify runs: its canonical name, the names clients may use, and its entry file.</summary>
public sealed record LanguageInfo(string Name, IReadOnlyList<string> Aliases, string FileName)
{
    /// <summary>The source file extension, with its dot: ".py", ".js".</summary>
    public string Extension => Path.GetExtension(FileName);
}

public static class Languages
{
    public static LanguageInfo Python { get; } = new("python", ["py", "python3"], "main.py");

    public static LanguageInfo JavaScript { get; } = new("javascript", ["js", "node", "nodejs"], "main.js");

    public static IReadOnlyList<LanguageInfo> All { get; } = [Python, JavaScript];

    public static LanguageInfo? Find(string? name) =>
        name is null
            ? null
            : All.FirstOrDefault(l =>
                string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)
                || l.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
}
