using System.Diagnostics;
using System.Globalization;
using System.Text;
using Codify.Benchmarks.EndToEnd;

namespace Codify.Benchmarks.AppHost;

/// <summary>
/// Issue 13's "machine CPU per python hello, all services and the sandbox together" as a user runs the app: the real
/// AppHost (what ./run.sh starts, built Release), so the Aspire dashboard ingesting telemetry, the orchestrator, both
/// Sandbox replicas and Redis count too. Hello world at concurrency 4 after a warm-up; CPU per request by component,
/// next to the CPU and rate of raw cold starts two at a time measured in the same run.
/// </summary>
public static class AppHostBenchmark
{
    public const string Section = "## Under the AppHost";

    public static async Task<int> RunAsync(int requests, string repo)
    {
        var port = Services.FreePort();
        var sandboxes = new SandboxCgroupCpu(Environment.ProcessId);
        await using var app = RunningApp.Start(repo, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        await app.WaitReadyAsync(http);
        Console.Error.WriteLine("apphost: warm-up");
        await ClosedLoopAsync(http, 4, 100);

        double AppCpuMs() => Snapshot(app.AppHostPid, sandboxes).Where(p => p.Key != "benchmark client").Sum(p => p.Value);
        var idleShare = await AppSettle.WaitAsync(AppCpuMs, TimeSpan.FromSeconds(60));
        using var raw = new RawStarts();
        var appBefore = AppCpuMs();
        var rawClock = Stopwatch.StartNew();
        var rawRate = await raw.RateAsync("python", parallel: 2, total: 150);
        // What the idle app itself took from the cores while the baseline ran: a disturbed baseline shows here.
        var appDuringRaw = (AppCpuMs() - appBefore) / rawClock.Elapsed.TotalMilliseconds;
        Console.Error.WriteLine($"apphost: python, concurrency 4: {requests} requests");
        var before = Snapshot(app.AppHostPid, sandboxes);
        var clock = Stopwatch.StartNew();
        await ClosedLoopAsync(http, 4, requests);
        var rate = requests / clock.Elapsed.TotalSeconds;
        var after = Snapshot(app.AppHostPid, sandboxes);
        var perRequest = after.ToDictionary(a => a.Key, a => (a.Value - before.GetValueOrDefault(a.Key)) / requests);

        var markdown = Markdown(perRequest, rate, (rawRate, raw.LastCpuPerStart, idleShare, appDuringRaw), requests);
        Console.Out.Write(markdown);
        var file = Path.Combine(repo, "docs", "benchmarks.md");
        await File.WriteAllTextAsync(file, WithSection(File.Exists(file) ? await File.ReadAllTextAsync(file) : "# Benchmarks\n", markdown));
        Console.WriteLine($"written to {file}");
        return 0;
    }

    private static Dictionary<string, double> Snapshot(int appHostPid, SandboxCgroupCpu sandboxes)
    {
        var cpu = AppProcesses.CpuMs(appHostPid);
        cpu["sandboxes"] = sandboxes.Ms();
        using var self = Process.GetCurrentProcess();
        cpu["benchmark client"] = self.TotalProcessorTime.TotalMilliseconds;
        return cpu;
    }

    private static async Task ClosedLoopAsync(HttpClient http, int concurrency, int requests)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                await LoadRunner.OneAsync(http, "python", null);
            }
        }));
    }

    private static string Markdown(Dictionary<string, double> perRequest, double rate,
        (double Rate, double Cpu, double IdleShare, double AppShare) raw, int requests)
    {
        var ci = CultureInfo.InvariantCulture;
        var (rawRate, rawCpu) = (raw.Rate, raw.Cpu);
        var services = perRequest.Where(p => p.Key != "benchmark client").ToList();
        var text = new StringBuilder()
            .AppendLine(Section)
            .AppendLine()
            .AppendLine(ci, $"The app as `./run.sh` starts it (AppHost, orchestrator, dashboard, Redis, API, two Sandbox replicas; built Release),")
            .AppendLine(ci, $"python hello world, `POST /api/execute?wait=true`, {requests} requests at concurrency 4 after 100 unmeasured ones.")
            .AppendLine("CPU per request from /proc (each live process of the app) and the runs' cgroups (sandboxes); the benchmark's own")
            .AppendLine("client is shown apart and not in the total.")
            .AppendLine()
            .AppendLine("| component | CPU ms per request |")
            .AppendLine("| --- | ---: |");
        foreach (var (name, ms) in services.OrderByDescending(p => p.Value))
        {
            text.AppendLine(ci, $"| {name} | {ms:0.0} |");
        }

        var total = services.Sum(p => p.Value);
        return text
            .AppendLine(ci, $"| **all of the app** | **{total:0.0}** |")
            .AppendLine(ci, $"| benchmark client (not in the total) | {perRequest.GetValueOrDefault("benchmark client"):0.0} |")
            .AppendLine()
            .AppendLine(ci, $"Raw cold python start, same run, once the app was idle ({raw.IdleShare * 100:0}% of a core over a second; the app used")
            .AppendLine(ci, $"{raw.AppShare * 100:0}% of a core while the baseline ran): {rawCpu:0.0} ms of CPU; two at a time {rawRate:0.0} starts/s.")
            .AppendLine(ci, $"Codify under the AppHost: {rate:0.0} requests/s = {rate / rawRate:0.00}x raw starts two at a time; CPU per request")
            .AppendLine(ci, $"{total:0.0} ms = {total / rawCpu:0.00}x a raw start's (issue 13's bound: 15 ms).")
            .ToString();
    }

    /// <summary>The document with this section replaced (or appended): the end-to-end report writes the rest.</summary>
    public static string WithSection(string document, string section) => MarkdownSections.Replace(document, Section, section);
}
