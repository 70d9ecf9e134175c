using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// Redis, the Sandbox and the API as child processes on free loopback ports, built from this repository in the same
/// configuration as the benchmark. The Sandbox can be restarted with another pool size. Only processes started here are
/// ever stopped, by their own process id.
/// </summary>
public sealed class Services : IAsyncDisposable
{
    private readonly string _repo;
    private readonly string _configuration;
    private Process? _redis;
    private Process? _api;
    private Process? _sandbox;

    private readonly IReadOnlyDictionary<string, string> _extra;

    private Services(string repo, string configuration, IReadOnlyDictionary<string, string>? extra)
    {
        _repo = repo;
        _configuration = configuration;
        _extra = extra ?? new Dictionary<string, string>();
    }

    public int RedisPort { get; } = FreePort();

    public int ApiPort { get; } = FreePort();

    public int SandboxPort { get; } = FreePort();

    public Uri ApiUri => new($"http://127.0.0.1:{ApiPort}");

    public int RedisPid => _redis!.Id;

    public int ApiPid => _api!.Id;

    public int SandboxPid => _sandbox!.Id;

    /// <summary>
    /// The Sandbox's Cgroups:ParentName here: its runs' cgroups go below codifybench-&lt;replica tag&gt;, so the sandboxes' CPU
    /// (<see cref="SandboxCgroupCpu"/>) counts this replica's only, never another Sandbox's on the same machine.
    /// </summary>
    public const string CgroupParentName = "codifybench";

    /// <summary>Sandbox slots: enough that no concurrency level of the benchmark queues behind them.</summary>
    public const int Slots = 8;

    /// <summary>Redis and the API from <paramref name="repo"/>'s <paramref name="configuration"/> build; <paramref name="extra"/>: environment added to both services (a runtime knob under comparison).</summary>
    public static async Task<Services> StartAsync(string repo, string configuration, IReadOnlyDictionary<string, string>? extra = null)
    {
        var stack = new Services(repo, configuration, extra);
        stack._redis = Start("redis-server", ["--port", $"{stack.RedisPort}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], new());
        stack._api = stack.StartService("Codify.ExecutionApi", new()
        {
            // The API listens where the seed's PORT and HOST say (it does not read ASPNETCORE_URLS).
            ["PORT"] = $"{stack.ApiPort}",
            ["HOST"] = "127.0.0.1",
            // The benchmark is one client sending thousands of requests: its rate limit must not be what is measured.
            ["RATE_LIMIT_POINTS"] = "100000000",
        });
        await WaitHealthyAsync(stack.ApiPort, "API");
        return stack;
    }

    /// <summary>
    /// (Re)starts the Sandbox with <paramref name="poolSize"/> warm sandboxes per language (0: pool off; python none in fork server
    /// mode, the product default there) and, when given,
    /// <paramref name="mode"/> as its <c>Sandbox:Mode</c> (otherwise the product's default mode).
    /// </summary>
    public async Task StartSandboxAsync(int poolSize, string? mode = null)
    {
        await StopAsync(_sandbox);
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{SandboxPort}",
            ["MAX_CONCURRENT_EXECUTIONS"] = $"{Slots}",
            ["Sandbox__Pool__Node"] = $"{poolSize}",
            ["Cgroups__ParentName"] = CgroupParentName,
        };
        // In fork server mode (the default) python forks and keeps no warm pool unless told to: measured as deployed.
        if (mode is not null && !mode.Equals("ForkServer", StringComparison.OrdinalIgnoreCase))
        {
            settings["Sandbox__Pool__Python"] = $"{poolSize}";
        }
        if (mode is not null)
        {
            settings["Sandbox__Mode"] = mode;
        }

        _sandbox = StartService("Codify.Sandbox", settings);
        await WaitHealthyAsync(SandboxPort, "Sandbox");
    }

    /// <summary>Resident memory of the API and of the Sandbox service (its own process, not its sandboxes), in MB.</summary>
    public (double Api, double Sandbox) RssMb() => (Rss(ApiPid), Rss(SandboxPid));

    private static double Rss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;

    private Process StartService(string project, Dictionary<string, string> settings)
    {
        var dll = Path.Combine(_repo, project, "bin", _configuration, "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the solution in {_configuration} first", dll);
        }

        settings["ConnectionStrings__redis"] = $"127.0.0.1:{RedisPort}";
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The services' gen0 budget as the AppHost sets it (Codify.AppHost/RuntimeTuning.cs).
        settings["DOTNET_GCgen0size"] = "0x400000";
        // Logging at Warning: per-request console logging would be part of what is measured.
        settings["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        return Start("dotnet", [dll], settings);
    }

    private static Process Start(string file, string[] args, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        // Drained (a child blocked on a full pipe would stall the benchmark); kept in CODIFY_BENCH_LOGS if set.
        var logs = Environment.GetEnvironmentVariable("CODIFY_BENCH_LOGS");
        _ = DrainAsync(process.StandardOutput, logs is null ? null : Path.Combine(logs, $"{Path.GetFileNameWithoutExtension(args[0])}-{process.Id}.out"));
        _ = DrainAsync(process.StandardError, logs is null ? null : Path.Combine(logs, $"{Path.GetFileNameWithoutExtension(args[0])}-{process.Id}.err"));
        return process;
    }

    private static async Task DrainAsync(StreamReader from, string? file)
    {
        await using var to = file is null ? Stream.Null : File.Create(file);
        await from.BaseStream.CopyToAsync(to);
    }

    private static async Task WaitHealthyAsync(int port, string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the {name} did not become healthy on port {port} within 60 s");
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            // SIGKILL of this child's tree; the Sandbox's own sandboxes die with it (--die-with-parent) and their cgroups
            // are the Sandbox's to clean: a graceful stop (SIGTERM) lets it drain them.
            _ = Signal(process.Id, 15);
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_sandbox);
        await StopAsync(_api);
        await StopAsync(_redis);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    internal static extern int Signal(int pid, int signal);
}
