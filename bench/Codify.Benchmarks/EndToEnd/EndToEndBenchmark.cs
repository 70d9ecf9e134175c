using Codify.Benchmarks.AppHost;
using Codify.Benchmarks.Sessions;
using Codify.Contracts;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// One run, one machine: raw cold interpreter starts, then Codify end to end (POST /api/execute?wait=true, hello world)
/// with the warm pool on and off, at concurrency 1, 2, 4 and 8, each language, the numpy + pandas snippet at concurrency
/// 1 against a cold interpreter running it, and the services' idle memory. Prints issue 13's targets as ratios (with the
/// before) and writes everything to docs/benchmarks.md. <c>mode</c>: the Sandbox's <c>Sandbox:Mode</c> (null: its default).
/// </summary>
public static class EndToEndBenchmark
{
    public static readonly int[] Concurrency = [1, 2, 4, 8];

    /// <summary>Runs of the numpy + pandas snippet per configuration (each a second or so cold: kept few).</summary>
    public const int NumpyPandasRequests = 12;

    public static async Task<int> RunAsync(int requests, int poolSize, string repo, string configuration, string? mode)
    {
        var machine = MachineInfo.Describe();
        using var raw = new RawStarts();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await using var stack = await Services.StartAsync(repo, configuration);
        http.BaseAddress = stack.ApiUri;
        var cpu = new CpuMeter(stack);
        var paths = new RunPaths(stack);
        var report = new Report(machine, requests, poolSize, configuration, mode);
        foreach (var pool in new[] { poolSize, 0 })
        {
            await stack.StartSandboxAsync(pool, mode);
            await WarmUpAsync(http);
            report.IdleRss[pool > 0] = stack.RssMb();
            foreach (var language in Workload.Languages)
            {
                foreach (var concurrency in Concurrency)
                {
                    if (concurrency == 4)
                    {
                        // Right before the block it is compared with, once the services are idle again (the pool and the fork
                        // servers refill after the previous block): the same definition as the AppHost part's baseline.
                        await AppSettle.WaitAsync(() => cpu.Snapshot().Where(p => p.Key != "client").Sum(p => p.Value), TimeSpan.FromSeconds(30));
                        report.RawRate[(pool > 0, language)] = await raw.RateAsync(language, parallel: 2, total: requests);
                        report.RawCpu[(pool > 0, language)] = raw.LastCpuPerStart;
                    }

                    Console.Error.WriteLine($"pool {pool}, {language}, concurrency {concurrency}: {requests} requests");
                    report.Results[(pool > 0, language, concurrency)] = await LoadRunner.RunAsync(
                        http, language, concurrency, requests, cpu, paths, concurrency == 1 ? raw : null);
                }
            }

            Console.Error.WriteLine($"pool {pool}, numpy + pandas, concurrency 1: {NumpyPandasRequests} requests");
            // One unmeasured run: whatever a mode prepares for these imports on first use is not the steady state.
            await LoadRunner.OneAsync(http, Snippet.NumpyPandas, null);
            report.NumpyPandas[pool > 0] = await LoadRunner.RunAsync(http, Snippet.NumpyPandas, 1, NumpyPandasRequests, cpu, paths, raw);
        }

        report.Print(Console.Out);
        var file = Path.Combine(repo, "docs", "benchmarks.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var old = File.Exists(file) ? await File.ReadAllTextAsync(file) : "";
        await File.WriteAllTextAsync(file, MarkdownSections.Keep(report.Markdown(), old, AppHostBenchmark.Section, SessionReport.Heading));
        Console.WriteLine($"written to {file}");
        return 0;
    }

    /// <summary>Until the API sees the Sandbox (503 before its first heartbeat), then a few runs of each language to warm JITs and caches.</summary>
    private static async Task WarmUpAsync(HttpClient http)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await LoadRunner.OneAsync(http, "python", null);
                break;
            }
            catch (InvalidOperationException) when (attempt < 100)
            {
                await Task.Delay(200);
            }
        }

        // Enough for the services' JIT to reach its optimized code (tiered compilation: its background compiler took a
        // fifth of the Sandbox's CPU after 40 requests) before anything is measured.
        foreach (var language in Workload.Languages)
        {
            await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                for (var i = 0; i < 100; i++)
                {
                    await LoadRunner.OneAsync(http, language, null);
                }
            }));
        }

        // Let the pool refill after the warm-up burst (and the services settle: idle memory is read next).
        await Task.Delay(TimeSpan.FromSeconds(5));
    }

    public static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Codify.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Codify.sln not found above the benchmark");
    }

    internal static string Lang(string language) => Languages.Find(language)!.Name == "python" ? "Python" : "Node";
}
