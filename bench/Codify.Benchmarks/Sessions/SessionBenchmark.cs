using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Benchmarks.EndToEnd;

namespace Codify.Benchmarks.Sessions;

/// <summary>
/// Sessions against their targets (issue 16), python, one client at a time, the Sandbox's default kernel pool
/// (<c>Sessions:Pool</c>): create a session and get its first cell's result, with a pooled kernel and, interleaved, with
/// a kernel of its own (the pool just emptied); a cell <c>x + 1</c> in a live session; a cell that draws a matplotlib line
/// plot (to PNG bytes) in a session, against a cold interpreter (<c>/usr/bin/python3 -c</c>, no sandbox) doing the same.
/// Prints the section and writes it as "## Sessions (issue 16)" of docs/benchmarks.md (the rest of the file is left as is).
/// </summary>
public static class SessionBenchmark
{
    /// <summary>The first cell also says whether the kernel was a pooled one (the pool preloads numpy; a kernel of its own has not).</summary>
    internal const string FirstCell = "import sys\n'numpy' in sys.modules";
    internal const string Plot = "fig = plt.figure()\nplt.plot([1, 2, 3], [1, 4, 9])\nbuf = io.BytesIO()\nfig.savefig(buf, format='png')\nplt.close(fig)\nlen(buf.getvalue()) > 0";
    internal const string PlotImports = "import io\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n";

    /// <summary>Python kernels the Sandbox's pool keeps (KernelPoolOptions' default): each round takes them all, then one more.</summary>
    private const int PoolSize = 2;

    /// <summary>Time for the pool to refill (each start imports numpy, pandas and matplotlib at a low priority) between rounds.</summary>
    private static readonly TimeSpan Refill = TimeSpan.FromSeconds(6);

    public static async Task<int> RunAsync(int rounds, string repo, string configuration)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        await using var stack = await Services.StartAsync(repo, configuration);
        http.BaseAddress = stack.ApiUri;
        await stack.StartSandboxAsync(poolSize: 2);
        await WaitForSandboxAsync(http);

        var (pooled, own) = (new Samples(), new Samples());
        var createRounds = Math.Max(4, rounds / 2);
        for (var round = 0; round < createRounds + 1; round++)
        {
            await Task.Delay(Refill);
            for (var i = 0; i < PoolSize + 1; i++)
            {
                var clock = Stopwatch.StartNew();
                var id = await CreateAsync(http);
                var fromPool = (await CellAsync(http, id, FirstCell)).Value == "True";
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (round > 0)
                {
                    (fromPool ? pooled : own).Add(elapsed); // round 0 warms the services' JIT
                }

                await http.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative));
            }
        }

        await Task.Delay(Refill);
        var session = await CreateAsync(http);
        await CellAsync(http, session, "x = 1");
        var (increment, kernelWall) = await TimeCellsAsync(http, session, "x + 1", rounds * 4);
        await CellAsync(http, session, PlotImports);
        var (plot, _) = await TimeCellsAsync(http, session, Plot, rounds);
        await http.DeleteAsync(new Uri($"/api/sessions/{session}", UriKind.Relative));
        var cold = ColdPlots(rounds);

        var section = SessionReport.Markdown(new SessionFigures(pooled, own, increment, kernelWall, plot, cold));
        Console.Write(section);
        var file = Path.Combine(repo, "docs", "benchmarks.md");
        var document = File.Exists(file) ? await File.ReadAllTextAsync(file) : "# Benchmarks\n";
        await File.WriteAllTextAsync(file, MarkdownSections.Replace(document, SessionReport.Heading, section));
        Console.WriteLine($"written to {file}");
        return 0;
    }

    private static async Task<string> CreateAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", new { language = "python" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <returns>The last value's text, and the cell's own wall time as the Sandbox measured it (ms).</returns>
    private static async Task<(string? Value, double WallTimeMs)> CellAsync(HttpClient http, string session, string code)
    {
        using var response = await http.PostAsJsonAsync($"/api/sessions/{session}/execute", new { code });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || body.GetProperty("status").GetString() != "completed")
        {
            throw new InvalidOperationException($"cell failed: {body}");
        }

        var value = body.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array && outputs.GetArrayLength() > 0
            ? outputs[outputs.GetArrayLength() - 1].GetProperty("data").GetString()
            : null;
        return (value, body.TryGetProperty("wallTimeMs", out var wall) ? wall.GetDouble() : double.NaN);
    }

    private static async Task<(Samples EndToEnd, Samples Kernel)> TimeCellsAsync(HttpClient http, string session, string code, int count)
    {
        var (samples, kernel) = (new Samples(), new Samples());
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var (_, wall) = await CellAsync(http, session, code);
            samples.Add(clock.Elapsed.TotalMilliseconds);
            kernel.Add(wall);
        }

        return (samples, kernel);
    }

    private static Samples ColdPlots(int count)
    {
        var samples = new Samples();
        for (var i = 0; i < count; i++)
        {
            var start = new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { "-E", "-s", "-c", PlotImports + Plot }, UseShellExecute = false };
            start.Environment["MPLBACKEND"] = "Agg";
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.WaitForExit();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        return samples;
    }

    private static async Task WaitForSandboxAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            using var response = await http.PostAsJsonAsync("/api/sessions", new { language = "python" });
            if (response.IsSuccessStatusCode)
            {
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
                await http.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative));
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("no Sandbox took a session");
    }
}
