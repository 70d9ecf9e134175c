using System.Globalization;
using System.Text.RegularExpressions;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// Runs the Sandbox served so far by path (fork, warm, cold), from its health report (its isolation check ends with the
/// totals of its <c>codify.sandbox.runs</c> metric): read before and after a block, it shows whether python hellos really fork.
/// </summary>
public sealed partial class RunPaths(Services services)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<(long Fork, long Warm, long Cold)> ReadAsync()
    {
        var health = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{services.SandboxPort}/health"));
        var match = Totals().Match(health);
        return match.Success
            ? (Long(match.Groups[1]), Long(match.Groups[2]), Long(match.Groups[3]))
            : throw new InvalidOperationException($"the Sandbox's health report names no run totals: {health}");
    }

    private static long Long(Group g) => long.Parse(g.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"runs fork (\d+), warm (\d+), cold (\d+)")]
    private static partial Regex Totals();
}
