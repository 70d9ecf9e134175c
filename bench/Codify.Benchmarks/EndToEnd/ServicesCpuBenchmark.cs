using System.Globalization;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// The services' CPU per python hello at concurrency 4, two variants interleaved round by round (each round restarts the
/// stack): variant A and B are each a repository root holding Release builds, plus environment for both services. Prints
/// each round's CPU per request by component and the medians, and B/A. For changes to the services' own cost, where the
/// full e2e run is too long and the machine's load drifts between runs.
/// </summary>
public static class ServicesCpuBenchmark
{
    private static readonly string[] Columns = [.. CpuMeter.Parts, "services", "p50 ms", "api in+out ms"];

    public sealed record Variant(string Name, string Repo, Dictionary<string, string> Environment);

    public static async Task<int> RunAsync(int requests, int rounds, Variant a, Variant b)
    {
        var results = new Dictionary<string, List<Dictionary<string, double>>> { [a.Name] = [], [b.Name] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var variant in round % 2 == 0 ? new[] { a, b } : [b, a])
            {
                var cpu = await OneRoundAsync(variant, requests);
                results[variant.Name].Add(cpu);
                Console.WriteLine($"round {round} {variant.Name,-6} {Row(cpu)}");
            }
        }

        Console.WriteLine($"medians, CPU ms per request ({requests} python hello at concurrency 4, {rounds} rounds):");
        var medians = results.ToDictionary(r => r.Key, r => Columns.ToDictionary(p => p, p => Median.Of(r.Value.Select(c => c[p]))));
        foreach (var (name, median) in medians)
        {
            Console.WriteLine($"  {name,-6} {Row(median)}");
        }

        Console.WriteLine($"  B/A    {string.Join("  ", medians[a.Name].Keys.Select(p => $"{p} {medians[b.Name][p] / medians[a.Name][p]:0.00}x"))}");
        return 0;
    }

    private static async Task<Dictionary<string, double>> OneRoundAsync(Variant variant, int requests)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await using var stack = await Services.StartAsync(variant.Repo, "Release", variant.Environment);
        http.BaseAddress = stack.ApiUri;
        var cpu = new CpuMeter(stack);
        await stack.StartSandboxAsync(poolSize: 4);
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

        // Warm the JITs (tiered compilation) before measuring.
        await LoadRunner.RunAsync(http, "python", 2, 150, cpu, paths: null);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var result = await LoadRunner.RunAsync(http, "python", 4, requests, cpu, paths: null);
        var perRequest = result.CpuPerRequest;
        perRequest["services"] = perRequest["api"] + perRequest["sandbox service"] + perRequest["redis"];
        // Not CPU: the median latency and the API's share of it (request in → created, completed → answer), in ms.
        perRequest["p50 ms"] = result.Latency.Percentile(50);
        perRequest["api in+out ms"] = result.Phases["api in"].Percentile(50) + result.Phases["api out"].Percentile(50);
        return perRequest;
    }

    private static string Row(Dictionary<string, double> cpu) =>
        string.Join("  ", Columns.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {cpu[p]:0.00}")));

    /// <summary><c>name=repo[,KEY=VALUE...]</c></summary>
    public static Variant Parse(string spec)
    {
        var parts = spec.Split(',');
        var (name, repo) = (parts[0].Split('=', 2)[0], parts[0].Split('=', 2)[1]);
        return new Variant(name, repo, parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
    }
}
