using Codify.Contracts;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Cold;

/// <summary>
/// Proves, at start-up and then periodically, that a real sandboxed run works: the tools exist, the
/// program runs as the unprivileged uid and sees no network interface but lo. Until it passes, nothing runs.
/// </summary>
internal sealed partial class IsolationProbe(
    BubblewrapRunner runner,
    IsolationState state,
    IOptions<IsolationOptions> options,
    ILogger<IsolationProbe> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private static readonly ExecutionLimits ProbeLimits = new(
        WallTimeMs: 10_000, CpuTimeMs: 5_000, MemoryBytes: 256L << 20, Processes: 64, OutputBytes: 4096, FileSizeBytes: 1 << 20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await ProbeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var failure = MissingTool() ?? await CanaryFailureAsync(cancellationToken);
        if (failure is null)
        {
            state.MarkReady("sandbox verified: cgroups, seccomp, unprivileged uid, loopback-only network");
            return;
        }

        if (state.IsReady || state.Reason != failure)
        {
            LogBroken(logger, failure);
        }

        state.MarkBroken(failure);
    }

    private string? MissingTool()
    {
        var o = options.Value;
        string[] tools = [o.BubblewrapPath, o.SetprivPath, o.PythonPath, o.NodePath];
        return tools.FirstOrDefault(t => !File.Exists(t)) is { } missing ? $"{missing} is missing" : null;
    }

    private async Task<string?> CanaryFailureAsync(CancellationToken cancellationToken)
    {
        // Proves three layers at once: the uid drop, the empty network namespace, and the seccomp filter (personality → EPERM).
        const string pythonCanary = """
            import ctypes, os, socket
            libc = ctypes.CDLL(None, use_errno=True)
            denied = libc.personality(0xffffffff) == -1 and ctypes.get_errno() == 1
            print(os.getuid(), sorted(n for _, n in socket.if_nameindex()), 'seccomp' if denied else 'NO-SECCOMP')
            """;
        var expected = $"{options.Value.RunAsUid} ['lo'] seccomp\n";
        var python = await runner.RunIsolatedAsync("probe", new ExecutionSpec("python", pythonCanary, null, ProbeLimits), cancellationToken);
        if (python.Status != ExecutionStatus.Completed || python.Stdout != expected)
        {
            return $"python canary failed ({python.Status.ToWire()}): expected '{expected.Trim()}', got '{python.Stdout.Trim()}' {python.Stderr.Trim()} {python.Message}".Trim();
        }

        var node = await runner.RunIsolatedAsync("probe", new ExecutionSpec("javascript", "console.log(6 * 7)", null, ProbeLimits), cancellationToken);
        return node.Status == ExecutionStatus.Completed && node.Stdout == "42\n"
            ? null
            : $"node canary failed ({node.Status.ToWire()}): {node.Stdout.Trim()} {node.Stderr.Trim()} {node.Message}".Trim();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Sandbox cannot isolate, refusing to run code: {Reason}")]
    private static partial void LogBroken(ILogger logger, string reason);
}
