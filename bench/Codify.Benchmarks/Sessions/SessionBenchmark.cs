using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Codify.Benchmarks.EndToEnd;

namespace Codify.Benchmarks.Sessions;

/// <summary>
/// Sessions against their targets (issue 16), python, one client at a time: create a session and get its first cell's
/// result; a cell <c>x + 1</c> in a live session; a cell that draws a matplotlib line plot (to PNG bytes) in a session that
/// imported matplotlib earlier, against a cold interpreter (<c>/usr/bin/python3 -c</c>, no sandbox) doing the same.
/// Prints a markdown table and writes docs/benchmarks-sessions.md.
/// </summary>
public static class SessionBenchmark
{
    private const string Plot = "fig = plt.figure()\nplt.plot([1, 2, 3], [1, 4, 9])\nbuf = io.BytesIO()\nfig.savefig(buf, format='png')\nplt.close(fig)\nlen(buf.getvalue()) > 0";
    private const string PlotImports = "import io\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n";

    public static async Task<int> RunAsync(int rounds, string repo, string configuration)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        await using var stack = await Services.StartAsync(repo, configuration);
        http.BaseAddress = stack.ApiUri;
        await stack.StartSandboxAsync(poolSize: 2);
        await WaitForSandboxAsync(http);

        var firstCell = new Samples();
        for (var i = 0; i < rounds + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var id = await CreateAsync(http);
            await CellAsync(http, id, "1");
            if (i >= 3)
            {
                firstCell.Add(clock.Elapsed.TotalMilliseconds); // the first three warm the services' JIT
            }

            await http.DeleteAsync(new Uri($"/api/sessions/{id}", UriKind.Relative));
        }

        var session = await CreateAsync(http);
        await CellAsync(http, session, "x = 1");
        var increment = await TimeCellsAsync(http, session, "x + 1", rounds * 4);
        await CellAsync(http, session, PlotImports);
        var plot = await TimeCellsAsync(http, session, Plot, rounds);
        await http.DeleteAsync(new Uri($"/api/sessions/{session}", UriKind.Relative));
        var cold = ColdPlots(rounds);

        var report = new StringBuilder()
            .AppendLine("# Sessions benchmark (python)").AppendLine()
            .AppendLine("| Measure | p50 ms | p95 ms | Target |").AppendLine("| --- | ---: | ---: | --- |")
            .AppendLine(Row("create a session + its first cell", firstCell, "p50 <= 50 ms"))
            .AppendLine(Row("a cell `x + 1` in a live session", increment, "p50 <= 10 ms"))
            .AppendLine(Row("a matplotlib line plot cell (session)", plot, "<= 0.2x cold"))
            .AppendLine(Row("the same plot, cold `python3 -c`", cold, ""))
            .AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Plot ratio session / cold (p50): {plot.P50 / cold.P50:0.00}x");
        Console.Write(report);
        await File.WriteAllTextAsync(Path.Combine(repo, "docs", "benchmarks-sessions.md"), report.ToString());
        return 0;
    }

    private static string Row(string what, Samples s, string target) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what} | {s.P50:0.0} | {s.P95:0.0} | {target} |");

    private static async Task<string> CreateAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", new { language = "python" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task CellAsync(HttpClient http, string session, string code)
    {
        using var response = await http.PostAsJsonAsync($"/api/sessions/{session}/execute", new { code });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode || body.GetProperty("status").GetString() != "completed")
        {
            throw new InvalidOperationException($"cell failed: {body}");
        }
    }

    private static async Task<Samples> TimeCellsAsync(HttpClient http, string session, string code, int count)
    {
        var samples = new Samples();
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            await CellAsync(http, session, code);
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        return samples;
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
