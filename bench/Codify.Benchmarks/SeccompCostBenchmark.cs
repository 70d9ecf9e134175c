using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Seccomp;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Options;

namespace Codify.Benchmarks;

/// <summary>
/// What the seccomp filter adds to a run: a Python hello through the sandbox's own cold launch (launch wrapper → setpriv →
/// bwrap → python3, as the Sandbox builds it), once with bwrap's <c>--seccomp</c> and once without, interleaved so a burst of
/// load hits both series alike. No cgroups, and the wrapper opens fd 3 either way: the two series differ by the filter alone.
/// </summary>
public static class SeccompCostBenchmark
{
    private const string Passwd = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/box:/usr/sbin/nologin\n";

    private static readonly ExecutionLimits Limits = new(10_000, 10_000, 256L << 20, 64, 1 << 20, 1 << 20);

    public static async Task<int> RunAsync(int runs)
    {
        var isolation = new IsolationOptions();
        var folder = Directory.CreateTempSubdirectory("codify-bench-seccomp-");
        try
        {
            var clock = Stopwatch.StartNew();
            using var filter = SeccompFilter.Build(folder.FullName);
            var buildMs = clock.Elapsed.TotalMilliseconds;
            using var hostUid = new HostUidPool(Options.Create(isolation)).Acquire();
            using var launcher = new ProcessLauncher();
            var hello = new Hello(isolation, hostUid.Uid, filter.BpfPath, launcher);

            // Warms the page cache so neither series pays for the first python start.
            await hello.TimeAsync(seccomp: true);
            List<double> with = [], without = [];
            for (var i = 0; i < runs; i++)
            {
                without.Add(await hello.TimeAsync(seccomp: false));
                with.Add(await hello.TimeAsync(seccomp: true));
            }

            var (withMs, withoutMs) = (Median.Of(with), Median.Of(without));
            Console.WriteLine($"seccomp filter build (once per service start): {buildMs:F1} ms");
            Console.WriteLine($"python hello through the sandbox, {runs} interleaved runs each, medians (ms)");
            Console.WriteLine($"{"without seccomp",-16} {withoutMs,8:F1}");
            Console.WriteLine($"{"with seccomp",-16} {withMs,8:F1}   overhead {withMs - withoutMs:F1}, ratio {withMs / withoutMs:F3}");
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private sealed class Hello(IsolationOptions isolation, int hostUid, string bpfPath, ProcessLauncher launcher)
    {
        /// <summary>One cold run from spawn to exit, in milliseconds; throws unless it printed hello.</summary>
        public async Task<double> TimeAsync(bool seccomp)
        {
            var python = Languages.Python;
            using var folder = RunFolder.Create(isolation.RunRoot, "bench-seccomp");
            var program = folder.WriteFile($"src/{python.FileName}", "print('hello')");
            var passwd = folder.WriteFile("passwd", Passwd);
            var sandbox = BubblewrapCommand.Build(isolation, hostUid, python, [(program, python.FileName)], passwd, Limits).ToList();
            if (!seccomp)
            {
                sandbox.RemoveRange(sandbox.IndexOf("--seccomp"), 2);
            }

            var start = new ProcessStartInfo(LaunchCommand.Shell)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment.Clear();
            foreach (var arg in LaunchCommand.Build(LaunchCommand.NewFailureMarker(), bpfPath, [], Limits, sandbox))
            {
                start.ArgumentList.Add(arg);
            }

            var clock = Stopwatch.StartNew();
            using var process = await launcher.StartAsync(start);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            return await stdout == "hello\n"
                ? elapsed
                : throw new InvalidOperationException($"exit {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
