using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Cold;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Codify.Benchmarks;

/// <summary>
/// Hello world through the full sandbox (cgroup + rlimits + seccomp + setpriv + bwrap) against the same interpreter
/// started raw, interleaved in one process so both see the same machine load. Reports medians and their ratio.
/// </summary>
public static class SandboxStartBenchmark
{
    private static readonly ExecutionLimits Limits = new(10_000, 10_000, 256L << 20, 64, 1 << 20, 1 << 20);

    private static readonly (string Language, string Code, string[] Raw)[] Cases =
    [
        ("python", "print('Hello, World!')", ["/usr/bin/python3", "-E", "-s", "-c", "print('Hello, World!')"]),
        ("javascript", "console.log('Hello, World!')", ["/usr/bin/node", "-e", "console.log('Hello, World!')"]),
    ];

    public static async Task<int> RunAsync(int iterations)
    {
        var isolation = Options.Create(new IsolationOptions());
        var state = new IsolationState();
        using var seccomp = new SeccompProvider(isolation, NullLogger<SeccompProvider>.Instance);
        using var launcher = new ProcessLauncher();
        using var cleanup = new SandboxCleanup();
        var starter = new SandboxStarter(isolation, CgroupDetector.Detect(new CgroupOptions()).Driver, seccomp, new HostUidPool(isolation), launcher);
        var capture = Options.Create(new Codify.Sandbox.Capture.CaptureOptions());
        var runner = new BubblewrapRunner(isolation, capture, state, starter, new RunSupervisor(state, capture, NullLogger<RunSupervisor>.Instance), cleanup,
            NullLogger<BubblewrapRunner>.Instance);
        using var probe = new IsolationProbe(runner, state, isolation, NullLogger<IsolationProbe>.Instance);
        await probe.ProbeAsync(CancellationToken.None);
        if (!state.IsReady)
        {
            Console.Error.WriteLine($"sandbox not ready: {state.Reason}");
            return 1;
        }

        Console.WriteLine($"hello world, {iterations} interleaved runs each, medians (ms)");
        Console.WriteLine($"{"language",-11} {"raw",8} {"sandbox",8} {"overhead",9} {"ratio",6}");
        foreach (var (language, code, raw) in Cases)
        {
            List<double> rawMs = [], sandboxMs = [];
            for (var i = 0; i < iterations + 2; i++)
            {
                var r = await TimeRawAsync(raw);
                var s = await TimeSandboxAsync(runner, language, code);
                if (i >= 2)
                {
                    // The first two rounds warm the page cache and the JIT; they are not counted.
                    rawMs.Add(r);
                    sandboxMs.Add(s);
                }
            }

            var (rawMedian, sandboxMedian) = (Median.Of(rawMs), Median.Of(sandboxMs));
            Console.WriteLine($"{language,-11} {rawMedian,8:F1} {sandboxMedian,8:F1} {sandboxMedian - rawMedian,9:F1} {sandboxMedian / rawMedian,6:F2}");
        }

        return 0;
    }

    private static async Task<double> TimeRawAsync(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> TimeSandboxAsync(BubblewrapRunner runner, string language, string code)
    {
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync("bench", new ExecutionSpec(language, code, null, Limits), CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return result.Status == ExecutionStatus.Completed
            ? elapsed
            : throw new InvalidOperationException($"sandboxed {language} run ended {result.Status}: {result.Stderr} {result.Message}");
    }
}
