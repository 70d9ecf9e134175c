using System.Diagnostics;

namespace Codify.Tests.Infrastructure;

/// <summary>
/// The real Sandbox service as a process of its own (the build's Codify.Sandbox.dll), so a fault test can SIGKILL it
/// mid-run as a crash would: an in-process <see cref="SandboxFactory"/> can only stop politely.
/// </summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SandboxProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Starts a replica with the test factories' fast heartbeat and reclaim, and <paramref name="slots"/> slots.</summary>
    public static SandboxProcess Start(string redisConnectionString, int slots, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Codify.Sandbox.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__redis"] = redisConnectionString,
            ["Sandbox__HeartbeatSeconds"] = "1",
            ["Sandbox__ReclaimIdleSeconds"] = "3",
            ["Sandbox__PollIntervalMs"] = "200",
            ["MAX_CONCURRENT_EXECUTIONS"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // As in SandboxFactory: no pooled session kernels unless a test asks.
            ["Sessions__Pool__Python"] = "0",
            ["Sessions__Pool__Node"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the Sandbox process did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return new SandboxProcess(process);
    }

    /// <summary>SIGKILL, as in a crash: no clean-up, no deregistration, its jobs stay pending under its consumer name.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a service; completes when the process has exited.</summary>
    public Task TerminateAsync()
    {
        ProcessSignals.Send(_process.Id, ProcessSignals.Terminate);
        return _process.WaitForExitAsync();
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
