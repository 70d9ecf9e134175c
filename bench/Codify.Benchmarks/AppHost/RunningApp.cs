using System.Diagnostics;
using Codify.Benchmarks.EndToEnd;

namespace Codify.Benchmarks.AppHost;

/// <summary>
/// `dotnet run -c Release --project Codify.AppHost` with the seed's variables (loopback only, a free port, a fresh Redis
/// data folder, no rate limit to measure), stopped by SIGTERM as Ctrl-C would (the orchestrator then stops every resource).
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(10);

    private readonly Process _run;
    private readonly string _redisData;

    private RunningApp(Process run, string redisData)
    {
        _run = run;
        _redisData = redisData;
    }

    /// <summary>The AppHost's own process (a child of `dotnet run`).</summary>
    public int AppHostPid { get; private set; }

    public static RunningApp Start(string repo, int port)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "run", "-c", "Release", "--project", "Codify.AppHost" })
        {
            start.ArgumentList.Add(arg);
        }

        var redisData = Directory.CreateTempSubdirectory("codify-bench-apphost-redis-").FullName;
        start.Environment["PORT"] = $"{port}";
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["REDIS_DATA_DIR"] = redisData;
        // One client sends hundreds of requests: the rate limit must not be what is measured.
        start.Environment["RATE_LIMIT_POINTS"] = "100000000";
        var run = Process.Start(start)!;
        run.OutputDataReceived += (_, _) => { };
        run.BeginOutputReadLine();
        return new RunningApp(run, redisData);
    }

    public async Task WaitReadyAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_run.HasExited)
            {
                throw new InvalidOperationException($"the AppHost exited ({_run.ExitCode}) before it was ready");
            }

            try
            {
                using var ready = await http.GetAsync("/api/health/ready");
                if (ready.IsSuccessStatusCode && FindAppHost() is { } pid)
                {
                    AppHostPid = pid;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"the app was not ready within {ReadyTimeout}");
    }

    private int? FindAppHost() => Directory.EnumerateDirectories("/proc")
        .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
        .Where(pid => pid > 0)
        .FirstOrDefault(pid => Stat(pid) is { } stat && stat.Parent == _run.Id && stat.Name == "Codify.AppHost") is var found and > 0 ? found : null;

    private static (int Parent, string Name)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            return (int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), name);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.HasExited)
        {
            _ = Services.Signal(_run.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _run.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _run.Kill(entireProcessTree: true);
            }
        }

        _run.Dispose();
        Directory.Delete(_redisData, recursive: true);
    }
}
