using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Seccomp;
using Xunit.Abstractions;

namespace Codify.Tests.Sandbox.Seccomp;

/// <summary>What the filter adds to a run. Reported, never asserted: timings depend on the machine's load.</summary>
public sealed class SeccompCostTests(SeccompSandbox sandbox, ITestOutputHelper output) : IClassFixture<SeccompSandbox>
{
    private const int Runs = 20;

    [Fact]
    public async Task Reports_the_median_cost_of_a_python_hello_with_and_without_the_filter()
    {
        // Warm the page cache so neither series pays for the first python start.
        await sandbox.RunAsync(Languages.Python, "print('hello')");
        List<double> with = [], without = [];
        for (var i = 0; i < Runs; i++)
        {
            // Interleaved, so a burst of load on the machine hits both series alike.
            without.Add(await TimeAsync(seccomp: false));
            with.Add(await TimeAsync(seccomp: true));
        }

        var folder = Path.Combine(Path.GetTempPath(), $"codify-seccomp-cost-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        using (SeccompFilter.Build(folder))
        {
            output.WriteLine($"filter build: {clock.Elapsed.TotalMilliseconds:F1} ms");
        }

        Directory.Delete(folder);

        double mWith = Median(with), mWithout = Median(without);
        output.WriteLine($"python hello, median of {Runs}: without seccomp {mWithout:F1} ms, with seccomp {mWith:F1} ms, ratio {mWith / mWithout:F3}");
    }

    private async Task<double> TimeAsync(bool seccomp)
    {
        var run = await sandbox.RunAsync(Languages.Python, "print('hello')", seccomp);
        Assert.Equal("hello\n", run.Stdout);
        return run.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
