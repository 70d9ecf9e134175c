namespace Codify.Sandbox.Supervision;

/// <summary>
/// Compares a program's stdout with the expected output the way judges do: trailing whitespace on each line
/// and trailing blank lines are ignored, and \r\n equals \n; everything else must match exactly.
/// </summary>
public static class OutputJudge
{
    public static bool Matches(string actual, string expected) =>
        Normalize(actual).SequenceEqual(Normalize(expected), StringComparer.Ordinal);

    private static List<string> Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
