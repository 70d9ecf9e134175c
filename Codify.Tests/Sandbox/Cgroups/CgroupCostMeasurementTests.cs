using System.Diagnostics;
using System.Globalization;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Xunit.Abstractions;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>What a run pays for its cgroups on this host (v1): printed, with loose bounds that catch a regression by 10x.</summary>
public sealed class CgroupCostMeasurementTests(ITestOutputHelper output)
{
    private const int Rounds = 20;

    private static readonly ExecutionLimits Limits = new(10_000, 5000, 64L << 20, 16, 1024, 1024);

    /// <summary>
    /// The idle gap matters: moving a task takes a write lock whose fast path (an RCU grace period, ~10-20 ms) is skipped
    /// while an earlier writer's grace period is still fresh, so back-to-back joins are cheap and isolated ones are not.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task Create_with_limits_and_one_join_per_hierarchy_cost_is_reported(int idleGapMs)
    {
        var detection = CgroupDetector.Detect(new CgroupOptions());
        Assert.True(detection.IsAvailable, detection.Reason);
        var driver = detection.Driver;
        driver.Create(CgroupTestProcesses.NewRunName(), Limits).Dispose(); // parents, JIT

        var create = new List<double>();
        var dispose = new List<double>();
        var joins = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var i = 0; i < Rounds; i++)
        {
            await Task.Delay(idleGapMs);
            var clock = Stopwatch.StartNew();
            var run = driver.Create(CgroupTestProcesses.NewRunName(), Limits);
            create.Add(clock.Elapsed.TotalMilliseconds);
            using (var sleeper = Process.Start("/bin/sleep", "30"))
            {
                foreach (var procs in run.ProcsFiles)
                {
                    clock.Restart();
                    File.WriteAllText(procs, sleeper.Id.ToString(CultureInfo.InvariantCulture));
                    var hierarchy = procs.Split('/')[4];
                    (joins.TryGetValue(hierarchy, out var list) ? list : joins[hierarchy] = []).Add(clock.Elapsed.TotalMilliseconds);
                }

                clock.Restart();
                run.Dispose();
                dispose.Add(clock.Elapsed.TotalMilliseconds);
                await sleeper.WaitForExitAsync();
            }
        }

        output.WriteLine($"idle gap {idleGapMs} ms between runs");
        output.WriteLine($"driver {driver.Version}: create + limits median {Median(create):F3} ms (min {create.Min():F3}, max {create.Max():F3})");
        output.WriteLine($"kill + remove (1 process) median {Median(dispose):F3} ms");
        foreach (var (hierarchy, times) in joins)
        {
            output.WriteLine($"join {hierarchy}: median {Median(times):F2} ms (min {times.Min():F2}, max {times.Max():F2})");
        }

        Assert.InRange(Median(create), 0, 10);
        Assert.All(joins.Values, times => Assert.InRange(Median(times), 0, 200));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public async Task The_join_wrapper_start_cost_is_reported(int idleGapMs)
    {
        var driver = CgroupDetector.Detect(new CgroupOptions()).Driver;
        var bare = new List<double>();
        var joined = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            await Task.Delay(idleGapMs);
            bare.Add(await TimeAsync(["/bin/sh", "-c", "exec /bin/true"]));
            await Task.Delay(idleGapMs);
            using var run = driver.Create(CgroupTestProcesses.NewRunName(), Limits);
            joined.Add(await TimeAsync(CgroupJoin.Wrap(run.ProcsFiles, ["/bin/true"])));
        }

        output.WriteLine($"idle gap {idleGapMs} ms: sh + exec true: median {Median(bare):F2} ms; with the cgroup join wrapper: median {Median(joined):F2} ms");
    }

    private static async Task<double> TimeAsync(IReadOnlyList<string> argv)
    {
        var start = new ProcessStartInfo(argv[0]);
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
