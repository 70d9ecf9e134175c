namespace Codify.Benchmarks;

/// <summary>Replaces one "## " section of a markdown document (or appends it): each benchmark owns its section of docs/benchmarks.md.</summary>
public static class MarkdownSections
{
    /// <param name="document">The whole markdown document.</param>
    /// <param name="heading">The section's heading line, e.g. "## Sessions (issue 16)".</param>
    /// <param name="section">The whole section, starting with <paramref name="heading"/>.</param>
    public static string Replace(string document, string heading, string section)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(heading);
        var at = document.IndexOf(heading, StringComparison.Ordinal);
        if (at < 0)
        {
            return document.TrimEnd() + "\n\n" + section;
        }

        var next = document.IndexOf("\n## ", at + heading.Length, StringComparison.Ordinal);
        return document[..at] + section + (next < 0 ? "" : "\n" + document[(next + 1)..]);
    }

    /// <summary>The document rewritten by one benchmark, with the sections other benchmarks own carried over from the old one.</summary>
    public static string Keep(string rewritten, string old, params string[] headings)
    {
        ArgumentNullException.ThrowIfNull(old);
        foreach (var heading in headings)
        {
            var at = old.IndexOf(heading, StringComparison.Ordinal);
            if (at >= 0)
            {
                var next = old.IndexOf("\n## ", at + heading.Length, StringComparison.Ordinal);
                rewritten = Replace(rewritten, heading, next < 0 ? old[at..] : old[at..(next + 1)]);
            }
        }

        return rewritten;
    }
}
