namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// The "before" of issue 13's targets: docs/benchmarks.md as committed before the work (commit af14108, pool on,
/// same machine class: 2-core AMD EPYC, cgroup v1), and the issue's own figure for idle memory (measured under the AppHost).
/// Fixed on purpose: a rerun of the benchmark compares with the same before.
/// </summary>
public static class Baseline
{
    public static readonly Dictionary<string, double?> Before = new()
    {
        [Targets.PythonThroughput] = 0.43,
        [Targets.NodeThroughput] = 0.61,
        [Targets.PythonLatency] = 0.91,
        [Targets.NodeLatency] = 0.47,
        [Targets.PythonTail] = 29.4 / 13.9,
        [Targets.NodeTail] = 24.4 / 15.3,
        [Targets.NumpyPandas] = null, // not measured before
        [Targets.PythonCpu] = 3.0 + 5.3 + 0.9 + 23.6, // api + Sandbox service + Redis + sandboxes
        [Targets.IdleRss] = 323, // issue 13, services started by the AppHost (the benchmark did not measure it)
    };
}

/// <summary>Issue 13's targets: name, bound, and whether the value must stay at most or at least the bound.</summary>
public static class Targets
{
    public const string PythonThroughput = "python hello throughput at concurrency 4 / raw cold starts two at a time";
    public const string NodeThroughput = "node hello throughput at concurrency 4 / raw cold starts two at a time";
    public const string PythonLatency = "python hello end-to-end p50 at concurrency 1 / raw cold start p50";
    public const string NodeLatency = "node hello end-to-end p50 at concurrency 1 / raw cold start p50";
    public const string PythonTail = "python hello p99 / p50 at concurrency 1";
    public const string NodeTail = "node hello p99 / p50 at concurrency 1";
    public const string NumpyPandas = "numpy + pandas snippet end-to-end p50 / cold interpreter running it";
    public const string PythonCpu = "machine CPU per python hello request at concurrency 4, ms (services + sandboxes)";
    public const string IdleRss = "API + Sandbox idle memory (RSS), MB";

    public static readonly (string Name, double Bound, bool AtMost)[] All =
    [
        (PythonThroughput, 1.5, false),
        (NodeThroughput, 1.0, false),
        (PythonLatency, 0.5, true),
        (NodeLatency, 0.4, true),
        (PythonTail, 3.0, true),
        (NodeTail, 3.0, true),
        (NumpyPandas, 0.1, true),
        (PythonCpu, 15, true),
        (IdleRss, 250, true),
    ];
}
