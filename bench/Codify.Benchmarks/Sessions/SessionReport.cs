using System.Globalization;
using System.Text;
using Codify.Benchmarks.EndToEnd;

namespace Codify.Benchmarks.Sessions;

/// <summary>What the sessions benchmark measured (ms samples).</summary>
public sealed record SessionFigures(Samples Pooled, Samples Own, Samples Increment, Samples IncrementKernel, Samples Plot, Samples ColdPlot);

/// <summary>The "## Sessions (issue 16)" section of docs/benchmarks.md: the three targets as figures and ratios.</summary>
public static class SessionReport
{
    public const string Heading = "## Sessions (issue 16)";

    public static string Markdown(SessionFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var ci = CultureInfo.InvariantCulture;
        var plotRatio = f.Plot.P50 / f.ColdPlot.P50;
        return new StringBuilder()
            .AppendLine(Heading).AppendLine()
            .AppendLine("`dotnet run -c Release --project bench/Codify.Benchmarks -- sessions [rounds]`: python, one client, the Sandbox's")
            .AppendLine("default kernel pool (`Sessions:Pool`: 2 python kernels, numpy, pandas and matplotlib preloaded). Each create round takes")
            .AppendLine("the pool's kernels and then one more (the pool just emptied: that session starts a kernel of its own, the pre-pool path),")
            .AppendLine("interleaved in the same run; the first cell says which it got. Then `x + 1` in one live session, then a matplotlib")
            .AppendLine("line plot (to PNG bytes, after a cell importing matplotlib) against `/usr/bin/python3 -c` (no sandbox) doing the same.")
            .AppendLine()
            .AppendLine("| Measure | p50 ms | p95 ms | n | Target | Met |")
            .AppendLine("| --- | ---: | ---: | ---: | --- | --- |")
            .AppendLine(Row("create a session + its first cell (pooled kernel)", f.Pooled, "p50 <= 50 ms", f.Pooled.P50 <= 50))
            .AppendLine(Row("create a session + its first cell (kernel of its own)", f.Own, "", null))
            .AppendLine(Row("a cell `x + 1` in a live session, end to end", f.Increment, "p50 <= 10 ms", f.Increment.P50 <= 10))
            .AppendLine(Row("  of which the kernel's own wall time", f.IncrementKernel, "", null))
            .AppendLine(Row("a matplotlib line plot cell (session)", f.Plot, "p50 <= 0.2x cold", plotRatio <= 0.2))
            .AppendLine(Row("the same plot, cold `python3 -c`", f.ColdPlot, "", null))
            .AppendLine()
            .AppendLine(ci, $"Create + first cell, pooled / own kernel (p50): {f.Pooled.P50 / f.Own.P50:0.00}x. ")
            .AppendLine(ci, $"Plot cell, session / cold interpreter (p50): {plotRatio:0.00}x.")
            .ToString();
    }

    private static string Row(string what, Samples s, string target, bool? met) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {s.P50:0.0} | {s.P95:0.0} | {s.Count} | {target} | {(met is null ? "" : met.Value ? "yes" : "no")} |");
}
