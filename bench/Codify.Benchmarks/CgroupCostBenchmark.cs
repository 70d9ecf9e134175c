using System.Diagnostics;
using System.Globalization;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;

namespace Codify.Benchmarks;

/// <summary>
/// What a run pays for its cgroups on this host. Each round, interleaved so both see the same load: the baseline is the
/// sandbox's own launch wrapper (<see cref="LaunchCommand"/>: rlimits, fd 3) starting /bin/true in no cgroup; the cgroup
/// run creates a run's cgroups with limits, starts the same wrapper joined to them, and removes them. A third step moves a
/// sleeping process into each hierarchy from here, to show which join costs, then kills and removes it.
/// Once back to back, once with an idle gap: moving a task takes a write lock whose fast path (an RCU grace period,
/// ~10-20 ms) is skipped while an earlier writer's grace period is still fresh, so back-to-back joins are cheap and
/// isolated ones are not.
/// </summary>
public static class CgroupCostBenchmark
{
    private static readonly ExecutionLimits Limits = new(10_000, 5000, 64L << 20, 16, 1024, 1024);

    private static readonly CgroupOptions Options = new();

    public static async Task<int> RunAsync(int rounds)
    {
        var detection = CgroupDetector.Detect(Options);
        if (!detection.IsAvailable)
        {
            Console.Error.WriteLine($"cgroups not available: {detection.Reason}");
            return 1;
        }

        var driver = detection.Driver;
        driver.Create(NewRunName(), Limits).Dispose(); // creates the parents and JIT-compiles the driver: not counted
        Console.WriteLine($"cgroup {driver.Version}, {rounds} interleaved rounds per idle gap, medians (ms)");
        foreach (var idleGapMs in (int[])[0, 100])
        {
            List<double> bare = [], create = [], launch = [], remove = [], total = [], killRemove = [];
            var joins = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
            for (var i = 0; i < rounds; i++)
            {
                await Task.Delay(idleGapMs);
                bare.Add(await TimeLaunchAsync([]));

                await Task.Delay(idleGapMs);
                var clock = Stopwatch.StartNew();
                var run = driver.Create(NewRunName(), Limits);
                create.Add(clock.Elapsed.TotalMilliseconds);
                launch.Add(await TimeLaunchAsync(run.ProcsFiles));
                clock.Restart();
                run.Dispose();
                remove.Add(clock.Elapsed.TotalMilliseconds);
                total.Add(create[^1] + launch[^1] + remove[^1]);

                await Task.Delay(idleGapMs);
                killRemove.Add(await TimeJoinsAsync(driver, joins));
            }

            var (baseline, cgroupRun) = (Median.Of(bare), Median.Of(total));
            Console.WriteLine($"idle gap {idleGapMs} ms");
            Console.WriteLine($"  {"launch wrapper -> /bin/true, no cgroup (baseline)",-52} {baseline,7:F2}");
            Console.WriteLine($"  {"create + limits",-52} {Median.Of(create),7:F2}");
            Console.WriteLine($"  {"launch wrapper -> /bin/true, joined to the run",-52} {Median.Of(launch),7:F2}");
            Console.WriteLine($"  {"remove (its process already gone)",-52} {Median.Of(remove),7:F2}");
            Console.WriteLine($"  {"cgroup run, all three",-52} {cgroupRun,7:F2}   overhead {cgroupRun - baseline:F2}, ratio {cgroupRun / baseline:F2}");
            Console.WriteLine($"  {"kill + remove (1 live process)",-52} {Median.Of(killRemove),7:F2}");
            Console.WriteLine($"  join one process, per hierarchy: {string.Join(", ", joins.Select(j => $"{j.Key} {Median.Of(j.Value):F2}"))}");
        }

        return 0;
    }

    private static string NewRunName() => $"bench-{Guid.NewGuid():N}";

    /// <summary>The wrapper the Sandbox launches every run with (no seccomp file to open: /dev/null), from spawn to exit.</summary>
    private static async Task<double> TimeLaunchAsync(IReadOnlyList<string> procsFiles)
    {
        var start = new ProcessStartInfo(LaunchCommand.Shell) { UseShellExecute = false };
        start.Environment.Clear();
        foreach (var arg in LaunchCommand.Build(LaunchCommand.NewFailureMarker(), "/dev/null", procsFiles, Limits, ["/bin/true"]))
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return process.ExitCode == 0 ? elapsed : throw new InvalidOperationException($"the launch wrapper exited {process.ExitCode}");
    }

    /// <returns>How long killing the moved process and removing the run took.</returns>
    private static async Task<double> TimeJoinsAsync(ICgroupDriver driver, SortedDictionary<string, List<double>> joins)
    {
        var run = driver.Create(NewRunName(), Limits);
        using var sleeper = Process.Start("/bin/sleep", "30");
        var clock = new Stopwatch();
        foreach (var procs in run.ProcsFiles)
        {
            clock.Restart();
            await File.WriteAllTextAsync(procs, sleeper.Id.ToString(CultureInfo.InvariantCulture));
            var hierarchy = Path.GetRelativePath(Options.Root, procs).Split('/')[0];
            (joins.TryGetValue(hierarchy, out var times) ? times : joins[hierarchy] = []).Add(clock.Elapsed.TotalMilliseconds);
        }

        clock.Restart();
        run.Dispose();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await sleeper.WaitForExitAsync();
        return elapsed;
    }
}
