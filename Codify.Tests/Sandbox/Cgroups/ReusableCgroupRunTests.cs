using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.Cgroups.CgroupTestProcesses;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>
/// A run's cgroup created ahead of time and re-targeted at dispatch (the warm pool): re-limited under the name it was
/// created with, its CPU time and peak memory counted from the reset on. Real v1 cgroups on this host, real processes.
/// </summary>
[SandboxTier]
public sealed class ReusableCgroupRunTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly ExecutionLimits Idle = new(
        WallTimeMs: 10_000, CpuTimeMs: 10_000, MemoryBytes: 96L << 20, Processes: 32, OutputBytes: 1024, FileSizeBytes: 1024);

    private static readonly ICgroupDriver Driver = CgroupDetector.Detect(new CgroupOptions()).Driver;

    [Fact]
    public async Task Usage_before_the_reset_is_not_charged_to_the_run()
    {
        using var run = (IReusableCgroupRun)Driver.Create(NewRunName(), Idle);
        // Burns 300 ms of CPU and touches 40 MiB, gives the memory back, says so, then only sleeps.
        using var child = StartInside(run, Python, "-I", "-S", "-c",
            "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\nb = bytearray(40 << 20)\nb[::4096] = b'x' * len(b[::4096])\ndel b\nprint('done', flush=True)\ntime.sleep(30)");
        Assert.Equal("done", await child.StandardOutput.ReadLineAsync().WaitAsync(KernelUnderTest.Scaled(TimeSpan.FromSeconds(30))));
        var before = run.ReadUsage();

        run.ResetUsage();
        var after = run.ReadUsage();

        Assert.InRange(before.CpuTimeMs, 250, 60_000);
        Assert.InRange(before.MemoryPeakBytes, 40L << 20, 96L << 20);
        Assert.InRange(after.CpuTimeMs, 0, 100);
        Assert.InRange(after.MemoryPeakBytes, 0, 30L << 20);
        Assert.False(after.OomKilled);
    }

    [Fact]
    public void Limits_can_be_raised_and_lowered_with_swap_following_memory()
    {
        using var run = (IReusableCgroupRun)Driver.Create(NewRunName(), Idle);
        var (memoryLimit, pidsLimit) = (CgroupLimitFiles.MemoryLimit(run.ProcsFiles), CgroupLimitFiles.PidsLimit(run.ProcsFiles));
        var memory = Path.GetDirectoryName(memoryLimit)!;
        string Read(string dir, string file) => File.ReadAllText(Path.Combine(dir, file)).Trim();

        run.ApplyLimits(Idle with { MemoryBytes = 512L << 20, Processes = 100 });
        var raised = (File.ReadAllText(memoryLimit).Trim(), File.ReadAllText(pidsLimit).Trim());
        run.ApplyLimits(Idle with { MemoryBytes = 48L << 20, Processes = 40 });
        var lowered = (File.ReadAllText(memoryLimit).Trim(), File.ReadAllText(pidsLimit).Trim());

        Assert.Equal(((512L << 20).ToString(), "100"), raised);
        Assert.Equal(((48L << 20).ToString(), "40"), lowered);
        if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")))
        {
            Assert.Equal((48L << 20).ToString(), Read(memory, "memory.memsw.limit_in_bytes"));
        }

        if (File.Exists(Path.Combine(memory, "memory.swap.max")))
        {
            Assert.Equal("0", Read(memory, "memory.swap.max"));
        }
    }

    [Fact]
    public async Task An_oom_kill_before_the_reset_is_not_reported_for_the_run()
    {
        using var run = (IReusableCgroupRun)Driver.Create(NewRunName(), Idle with { MemoryBytes = 32L << 20 });
        using (var hog = StartInside(run, Python, "-I", "-S", "-c", "b = bytearray(100 << 20)"))
        {
            Assert.Equal(137, await ExitCodeAsync(hog));
        }

        Assert.True(run.ReadUsage().OomKilled);

        run.ResetUsage();

        Assert.False(run.ReadUsage().OomKilled);
        await Eventually.ReturnsAsync(() => Task.FromResult(run.Pids().Count), n => n == 0, TimeSpan.FromSeconds(5), "the run emptying");
    }
}
