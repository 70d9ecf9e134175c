using Codify.Sandbox.Supervision;

namespace Codify.Tests.Sandbox.Supervision;

/// <summary>
/// The CPU watch reads a run's counter only once its limit could have been reached: the wait is the CPU time left spread
/// over every online CPU, never under the 50 ms floor, so an overrun is still caught within 50 ms of CPU per CPU.
/// </summary>
[UnitTier]
public sealed class CpuPaceTests
{
    [Fact]
    public void The_first_read_waits_until_the_limit_could_be_reached_on_every_cpu()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(10_000.0 / CpuPace.Cpus), CpuPace.NextRead(limitMs: 10_000, usedMs: 0));
    }

    [Fact]
    public void Near_or_past_the_limit_reads_come_every_50_ms()
    {
        Assert.Equal(CpuPace.MinInterval, CpuPace.NextRead(limitMs: 10_000, usedMs: 9_999));
        Assert.Equal(CpuPace.MinInterval, CpuPace.NextRead(limitMs: 10_000, usedMs: 12_000));
    }

    [Fact]
    public void Cpus_count_every_online_cpu_at_least()
    {
        Assert.True(CpuPace.Cpus >= Environment.ProcessorCount);
        Assert.True(CpuPace.Cpus >= CpuPace.OnlineCpus());
    }

    [Theory]
    [InlineData("0-3\n", 4)]
    [InlineData("0\n", 1)]
    [InlineData("0-1,4,6-7\n", 5)]
    public void The_online_list_is_counted(string online, int expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, online);
            Assert.Equal(expected, CpuPace.OnlineCpus(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_unreadable_online_list_counts_nothing_and_the_runtime_count_is_used()
    {
        Assert.Equal(0, CpuPace.OnlineCpus("/nonexistent/cpu/online"));
    }
}
