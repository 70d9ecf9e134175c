using System.Diagnostics;
using System.Net.Http.Json;
using Codify.Contracts;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>What one block of requests measured: latency, API overhead (latency minus the run's own wall time), where the time went.</summary>
public sealed class LoadResult
{
    public Samples Latency { get; } = new();

    public Samples Overhead { get; } = new();

    /// <summary>Per phase: request → created (API in), created → started (queue), started → completed minus the run (sandbox), the run, completed → answer (API out).</summary>
    public Dictionary<string, Samples> Phases { get; } = new()
    {
        ["api in"] = new(),
        ["queue"] = new(),
        ["sandbox"] = new(),
        ["run"] = new(),
        ["api out"] = new(),
    };

    public Samples RawPaired { get; } = new();

    public double Throughput { get; set; }

    /// <summary>Runs of the block by the Sandbox's path (<see cref="RunPaths"/>): fork, warm (pooled sandbox), cold.</summary>
    public (long Fork, long Warm, long Cold) Paths { get; set; }

    /// <summary>"fork/warm/cold" counts, as the report prints them.</summary>
    public string PathsText => $"{Paths.Fork}/{Paths.Warm}/{Paths.Cold}";

    /// <summary>CPU milliseconds per request, by part (<see cref="CpuMeter"/>).</summary>
    public Dictionary<string, double> CpuPerRequest { get; set; } = [];
}

/// <summary>Closed-loop load: <c>concurrency</c> clients, each sending its next request when the last one answered.</summary>
public static class LoadRunner
{
    public static Task<LoadResult> RunAsync(HttpClient http, string language, int concurrency, int requests, CpuMeter cpu, RunPaths? paths, RawStarts? pairedRaw = null) =>
        RunAsync(http, Snippet.Hello(language), concurrency, requests, cpu, paths, pairedRaw);

    public static async Task<LoadResult> RunAsync(HttpClient http, Snippet program, int concurrency, int requests, CpuMeter cpu, RunPaths? paths, RawStarts? pairedRaw = null)
    {
        var result = new LoadResult();
        // No paths: a build from before the Sandbox reported its runs by path (the 'services' A/B benchmark runs such builds).
        var pathsBefore = paths is null ? default : await paths.ReadAsync();
        var before = cpu.Snapshot();
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                if (pairedRaw is not null)
                {
                    // Interleaved one for one: the raw start and the request see the same machine load.
                    result.RawPaired.Add(await pairedRaw.OnceAsync(program));
                }

                await OneAsync(http, program, result);
            }
        }));
        result.Throughput = requests / clock.Elapsed.TotalSeconds;
        result.CpuPerRequest = CpuMeter.PerRequest(before, cpu.Snapshot(), requests);
        if (paths is not null)
        {
            var pathsAfter = await paths.ReadAsync();
            result.Paths = (pathsAfter.Fork - pathsBefore.Fork, pathsAfter.Warm - pathsBefore.Warm, pathsAfter.Cold - pathsBefore.Cold);
            Console.Error.WriteLine($"  runs fork/warm/cold: {result.PathsText}");
        }
        return result;
    }

    public static Task OneAsync(HttpClient http, string language, LoadResult? into) => OneAsync(http, Snippet.Hello(language), into);

    public static async Task OneAsync(HttpClient http, Snippet program, LoadResult? into)
    {
        var (language, code, expected) = program;
        var sent = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("/api/execute?wait=true", new { code, language });
        var record = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options) : null;
        var latency = clock.Elapsed.TotalMilliseconds;
        var received = DateTimeOffset.UtcNow;
        if (record is not { Status: ExecutionStatus.Completed, WallTimeMs: { } wall, StartedAt: { } started, CompletedAt: { } completed } || record.Stdout != expected)
        {
            throw new InvalidOperationException($"{language} request answered {(int)response.StatusCode}: {record?.Status} {record?.Stderr} {record?.Message}");
        }

        if (into is null)
        {
            return;
        }

        into.Latency.Add(latency);
        into.Overhead.Add(latency - wall);
        into.Phases["api in"].Add((record.CreatedAt - sent).TotalMilliseconds);
        into.Phases["queue"].Add((started - record.CreatedAt).TotalMilliseconds);
        into.Phases["sandbox"].Add((completed - started).TotalMilliseconds - wall);
        into.Phases["run"].Add(wall);
        into.Phases["api out"].Add((received - completed).TotalMilliseconds);
    }
}
