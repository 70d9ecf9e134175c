using System.Globalization;
using System.Text;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>The run's numbers, its ratios against the issue's targets, as console text and as docs/benchmarks.md.</summary>
public sealed partial class Report(IReadOnlyList<(string Name, string Value)> machine, int requests, int poolSize, string configuration, string? mode)
{
    public Dictionary<(bool Pool, string Language, int Concurrency), LoadResult> Results { get; } = [];

    /// <summary>The numpy + pandas snippet at concurrency 1, interleaved with a cold interpreter running it.</summary>
    public Dictionary<bool, LoadResult> NumpyPandas { get; } = [];

    /// <summary>API and Sandbox service resident memory after the warm-up and a few idle seconds, in MB.</summary>
    public Dictionary<bool, (double Api, double Sandbox)> IdleRss { get; } = [];

    public Dictionary<(bool Pool, string Language), double> RawRate { get; } = [];

    public Dictionary<(bool Pool, string Language), double> RawCpu { get; } = [];

    private LoadResult At(bool pool, string language, int concurrency) => Results[(pool, language, concurrency)];

    /// <summary>Raw cold start p50 of the starts interleaved with the pooled concurrency-1 requests.</summary>
    private double RawP50(bool pool, string language) => At(pool, language, 1).RawPaired.P50;

    public void Print(TextWriter o) => o.Write(Markdown());

    public string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine("# Benchmarks").AppendLine();
        s.AppendLine("Produced by `dotnet run -c Release --project bench/Codify.Benchmarks` (as root): one run on one machine,")
            .AppendLine("Redis + Sandbox + API started as child processes on loopback ports. Workload: hello world")
            .AppendLine($"(`print('Hello, World!')`, `console.log('Hello, World!')`), `POST /api/execute?wait=true`, {requests} requests per")
            .AppendLine($"row (closed loop), Sandbox with {Services.Slots} slots; pool on = {poolSize} warm sandboxes per language,")
            .AppendLine($"pool off = `Sandbox:Pool` sizes 0. Sandbox mode: {(mode is null ? "the Sandbox's default (no `Sandbox:Mode` given)" : $"`Sandbox:Mode={mode}`")}.")
            .AppendLine($"Built {configuration}. Raw cold start: the same Debian interpreter as a user would start it")
            .AppendLine("(`python3 -E -s -u main.py`, `node --max-old-space-size=192 main.js`: the sandbox's limits, not its")
            .AppendLine("`--no-rehash-snapshot`, whose ~10% of a node start counts as Codify's gain), empty environment,")
            .AppendLine("spawned from .NET, interleaved one for one with the concurrency-1 requests; \"two at a time\" right before")
            .AppendLine("the concurrency-4 block. API overhead = request-to-answer time minus the run's own wall time.").AppendLine();
        s.AppendLine("## Machine").AppendLine().AppendLine("| | |").AppendLine("| --- | --- |");
        foreach (var (name, value) in machine)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        AppendTargets(s);
        AppendNumpyPandasAndMemory(s);
        s.AppendLine().AppendLine("## Raw cold interpreter start").AppendLine()
            .AppendLine("| language | p50 ms (paired, pool on) | p95 ms | p50 ms (paired, pool off) | starts/s two at a time (pool on / off) |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var l in Workload.Languages)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {EndToEndBenchmark.Lang(l)} | {RawP50(true, l):F1} | {At(true, l, 1).RawPaired.P95:F1} | {RawP50(false, l):F1} | {RawRate[(true, l)]:F1} / {RawRate[(false, l)]:F1} |");
        }

        s.AppendLine().AppendLine("## Codify end to end").AppendLine()
            .AppendLine("| pool | language | concurrency | p50 ms | p95 ms | p99 ms | requests/s | overhead p50 ms | runs fork/warm/cold |")
            .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((pool, language, concurrency), r) in Results.OrderBy(r => !r.Key.Pool).ThenBy(r => r.Key.Language).ThenBy(r => r.Key.Concurrency))
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {(pool ? "on" : "off")} | {EndToEndBenchmark.Lang(language)} | {concurrency} | {r.Latency.P50:F1} | {r.Latency.P95:F1} | {r.Latency.P99:F1} | {r.Throughput:F1} | {r.Overhead.P50:F1} | {r.PathsText} |");
        }

        s.AppendLine().AppendLine("## Where the time goes (medians, ms)").AppendLine()
            .AppendLine("Phases from the record's own timestamps: api in = request sent → record created; queue = created → started")
            .AppendLine("(job picked up, record marked running); sandbox = started → completed minus the run (dispatch or start,")
            .AppendLine("supervision, clean-up, result stored); run = the sandbox's wall time; api out = completed → answer received.")
            .AppendLine().AppendLine("| pool | language | concurrency | api in | queue | sandbox | run | api out | total p50 |")
            .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((pool, language, concurrency), r) in Results.Where(r => r.Key.Concurrency is 1 or 4).OrderBy(r => !r.Key.Pool).ThenBy(r => r.Key.Language).ThenBy(r => r.Key.Concurrency))
        {
            var p = r.Phases;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {(pool ? "on" : "off")} | {EndToEndBenchmark.Lang(language)} | {concurrency} | {p["api in"].P50:F1} | {p["queue"].P50:F1} | {p["sandbox"].P50:F1} | {p["run"].P50:F1} | {p["api out"].P50:F1} | {r.Latency.P50:F1} |");
        }

        s.AppendLine().AppendLine("## Where the CPU goes (ms per request, concurrency 4)").AppendLine()
            .AppendLine("Throughput on two cores is bound by CPU per request. Per-process CPU time (/proc/pid/stat) of the API, the")
            .AppendLine("Sandbox service, Redis and the benchmark client; the sandboxes' own CPU (every run's cgroup, warm starts included)")
            .AppendLine("from their parent cgroup's accounting; next to the CPU of one raw interpreter start. Other load on the machine")
            .AppendLine("does not count here. Not measured: the Aspire dashboard and the orchestrator (dcp). This benchmark starts the")
            .AppendLine("services itself, without the AppHost, so neither runs and no telemetry is exported (no OTLP endpoint is set);")
            .AppendLine("under the AppHost they add their own share (issue 13 measured 5.7 and 1.4 ms per request before its telemetry work).").AppendLine()
            .AppendLine("| pool | language | api | sandbox service | redis | sandboxes | client | total | raw start |")
            .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((pool, language, _), r) in Results.Where(r => r.Key.Concurrency == 4).OrderBy(r => !r.Key.Pool).ThenBy(r => r.Key.Language))
        {
            var c = r.CpuPerRequest;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {(pool ? "on" : "off")} | {EndToEndBenchmark.Lang(language)} | {c["api"]:F1} | {c["sandbox service"]:F1} | {c["redis"]:F1} | {c["sandboxes"]:F1} | {c["client"]:F1} | {CpuMeter.Parts.Sum(p => c[p]):F1} | {RawCpu[(pool, language)]:F1} |");
        }

        s.AppendLine().AppendLine("## Reading the numbers").AppendLine();
        foreach (var l in Workload.Languages)
        {
            var one = At(true, l, 1);
            var four = At(true, l, 4).CpuPerRequest;
            var cpu = CpuMeter.Parts.Sum(p => four[p]);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"- {EndToEndBenchmark.Lang(l)}, pool on, concurrency 1: {one.Latency.P50:F1} ms = the run itself ({one.Phases["run"].P50:F1} ms: the program and the")
                .AppendLine(CultureInfo.InvariantCulture,
                $"  interpreter's exit inside the sandbox) + {one.Overhead.P50:F1} ms of overhead, against {RawP50(true, l):F1} ms for a raw start. At concurrency 4")
                .AppendLine(CultureInfo.InvariantCulture,
                $"  the machine is CPU-bound: {cpu:F1} ms of CPU per request ({four["sandboxes"]:F1} ms in the sandboxes, {four["api"] + four["sandbox service"] + four["redis"]:F1} ms in API, Sandbox")
                .AppendLine(CultureInfo.InvariantCulture,
                $"  service and Redis): {cpu / RawCpu[(true, l)]:F1} times the {RawCpu[(true, l)]:F1} ms of a raw start (pool off: {CpuMeter.Parts.Sum(p => At(false, l, 4).CpuPerRequest[p]) / RawCpu[(false, l)]:F1} times).");
        }

        s.AppendLine("- The API overhead is Redis round trips and thread hand-offs: before the record exists (rate limit, queue cap,")
            .AppendLine("  healthy-sandbox and runtime checks, the create MULTI), picking the job up (pub/sub wake-up, XREADGROUP, one claim")
            .AppendLine("  script: record read, start and cancel flag), the sandbox's own dispatch (cgroup, rlimits, priority, counters,")
            .AppendLine("  program file, header) and the result (finish script, whose completed event carries the record to the waiting API;")
            .AppendLine("  acknowledge and delete pipelined; unsubscribe).")
            .AppendLine("- Waiting for a warm sandbox still starting shows as \"sandbox\" time at concurrency 4 and 8: the pool (a few per")
            .AppendLine("  language) is empty under sustained load and runs wait for replacements; each request then costs one sandbox start")
            .AppendLine("  either way. A sandbox start here is dominated by joining four cgroup v1 hierarchies (10-18 ms each on this kernel,")
            .AppendLine("  under the global cgroup lock) and bubblewrap's namespaces; the pool takes it off the request's path, not off the CPU:")
            .AppendLine("  under saturation it buys latency, not throughput.");
        return s.ToString();
    }
}
