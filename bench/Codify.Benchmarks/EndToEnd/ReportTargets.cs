using System.Globalization;
using System.Text;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>Issue 13's targets as ratios, before and now; the numpy + pandas rows; the services' idle memory.</summary>
public sealed partial class Report
{
    /// <summary>Each target's value with the pool on (the product's setup) and off; null where it was not measured.</summary>
    private Dictionary<string, double?> Now(bool pool)
    {
        double Cpu(string l) => At(pool, l, 4).CpuPerRequest is var c && c.Count > 0
            ? c["api"] + c["sandbox service"] + c["redis"] + c["sandboxes"] : double.NaN;
        double Tail(string l) => At(pool, l, 1).Latency.P99 / At(pool, l, 1).Latency.P50;
        return new()
        {
            [Targets.PythonThroughput] = At(pool, "python", 4).Throughput / RawRate[(pool, "python")],
            [Targets.NodeThroughput] = At(pool, "javascript", 4).Throughput / RawRate[(pool, "javascript")],
            [Targets.PythonLatency] = At(pool, "python", 1).Latency.P50 / RawP50(pool, "python"),
            [Targets.NodeLatency] = At(pool, "javascript", 1).Latency.P50 / RawP50(pool, "javascript"),
            [Targets.PythonTail] = Tail("python"),
            [Targets.NodeTail] = Tail("javascript"),
            [Targets.NumpyPandas] = NumpyPandas.TryGetValue(pool, out var np) ? np.Latency.P50 / np.RawPaired.P50 : null,
            [Targets.PythonCpu] = Cpu("python"),
            [Targets.IdleRss] = IdleRss.TryGetValue(pool, out var rss) ? rss.Api + rss.Sandbox : null,
        };
    }

    private void AppendTargets(StringBuilder s)
    {
        s.AppendLine().AppendLine("## Targets (issue 13)").AppendLine()
            .AppendLine("Before: docs/benchmarks.md before issue 13's work (pool on; idle memory: the issue's figure under the AppHost).")
            .AppendLine("Now: this run, pool on (the product's setup) and pool off.").AppendLine()
            .AppendLine("| target | bound | before | now | pool off | now meets it |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        var on = Now(true);
        var off = Now(false);
        foreach (var (name, bound, atMost) in Targets.All)
        {
            var value = on[name];
            var met = value is not { } v || double.IsNaN(v) ? "not measured"
                : (atMost ? v <= bound : v >= bound) ? "yes"
                : $"no, by {(atMost ? v - bound : bound - v).ToString("0.00#", CultureInfo.InvariantCulture)}";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {(atMost ? "<=" : ">=")} {bound:0.##} | {Format(Baseline.Before[name])} | {Format(value)} | {Format(off[name])} | {met} |");
        }
    }

    private void AppendNumpyPandasAndMemory(StringBuilder s)
    {
        s.AppendLine().AppendLine("## numpy + pandas snippet (concurrency 1)").AppendLine()
            .AppendLine($"`{Workload.NumpyPandas.TrimEnd()}`, {EndToEndBenchmark.NumpyPandasRequests} requests, each interleaved with a cold")
            .AppendLine("`python3 -E -s -u` running the same file.").AppendLine()
            .AppendLine("| pool | e2e p50 ms | e2e p95 ms | run p50 ms | cold interpreter p50 ms | e2e / cold |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (pool, r) in NumpyPandas.OrderBy(n => !n.Key))
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {(pool ? "on" : "off")} | {r.Latency.P50:F1} | {r.Latency.P95:F1} | {r.Phases["run"].P50:F1} | {r.RawPaired.P50:F1} | {r.Latency.P50 / r.RawPaired.P50:F2} |");
        }

        s.AppendLine().AppendLine("## Idle memory").AppendLine()
            .AppendLine("Resident memory (VmRSS) of the two services' own processes after the warm-up and 5 idle seconds; sandboxes not included.").AppendLine()
            .AppendLine("| pool | API MB | Sandbox MB | together MB |").AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var (pool, (api, sandbox)) in IdleRss.OrderBy(n => !n.Key))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {(pool ? "on" : "off")} | {api:F0} | {sandbox:F0} | {api + sandbox:F0} |");
        }
    }

    private static string Format(double? value) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(v >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture) : "–";
}
