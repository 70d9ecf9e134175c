using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>The v2 driver against a fake cgroup2 tree that behaves like the kernel (this machine has no v2 controllers).</summary>
[SandboxTier]
public sealed class CgroupV2DriverFakeTreeTests : IDisposable
{
    private static readonly ExecutionLimits Limits = new(
        WallTimeMs: 5000, CpuTimeMs: 2000, MemoryBytes: 64L << 20, Processes: 16, OutputBytes: 1024, FileSizeBytes: 1024);

    private readonly FakeCgroupV2Kernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    private ICgroupDriver Driver(double cpuCores = 1, int killTimeoutMs = 2000)
    {
        var options = new CgroupOptions { Root = _kernel.Root, SwapsPath = _kernel.SwapsFile, CpuCores = cpuCores, KillTimeoutMs = killTimeoutMs };
        var detection = CgroupDetector.Detect(options, FakeCgroupV2Kernel.Mounts, _kernel.SelfCgroup, _kernel, null);
        Assert.True(detection.IsAvailable, detection.Reason);
        Assert.Equal("v2", detection.Driver.Version);
        return detection.Driver;
    }

    private string RunDir(string run) => Path.Combine(_kernel.OwnDir, "codify", run);

    private string Read(string run, string file) => File.ReadAllText(Path.Combine(RunDir(run), file)).Trim();

    [Fact]
    public void Create_writes_memory_swap_pids_cpu_and_oom_group_limits()
    {
        using var run = Driver().Create("run1", Limits);

        Assert.Equal("67108864", Read("run1", "memory.max"));
        Assert.Equal("0", Read("run1", "memory.swap.max"));
        Assert.Equal("16", Read("run1", "pids.max"));
        Assert.Equal("100000 100000", Read("run1", "cpu.max"));
        Assert.Equal("1", Read("run1", "memory.oom.group"));
        Assert.Equal([Path.Combine(RunDir("run1"), "cgroup.procs")], run.ProcsFiles);
    }

    [Theory]
    [InlineData(2, "200000 100000")]
    [InlineData(0.5, "50000 100000")]
    public void Cpu_cores_option_sets_the_cpu_max_quota(double cores, string expected)
    {
        using var run = Driver(cpuCores: cores).Create("run1", Limits);

        Assert.Equal(expected, Read("run1", "cpu.max"));
    }

    [Fact]
    public void First_create_moves_the_service_into_a_leaf_and_delegates_controllers_to_an_empty_parent()
    {
        using var run = Driver().Create("run1", Limits);

        Assert.Equal("", File.ReadAllText(Path.Combine(_kernel.OwnDir, "cgroup.procs")).Trim());
        Assert.Equal("4242", File.ReadAllText(Path.Combine(_kernel.OwnDir, "service", "cgroup.procs")).Trim());
        Assert.Equal("cpu memory pids", File.ReadAllText(Path.Combine(_kernel.OwnDir, "cgroup.subtree_control")).Trim());
        Assert.Equal("cpu memory pids", File.ReadAllText(Path.Combine(_kernel.OwnDir, "codify", "cgroup.subtree_control")).Trim());
    }

    [Fact]
    public void Usage_comes_from_cpu_stat_memory_peak_memory_events_and_pids_current()
    {
        using var run = Driver().Create("run1", Limits);
        File.WriteAllText(Path.Combine(RunDir("run1"), "cpu.stat"), "usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n");
        File.WriteAllText(Path.Combine(RunDir("run1"), "memory.peak"), "67100000\n");
        File.WriteAllText(Path.Combine(RunDir("run1"), "memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 1\n");
        File.WriteAllText(Path.Combine(RunDir("run1"), "pids.current"), "3\n");

        Assert.Equal(new CgroupUsage(CpuTimeMs: 1234, MemoryPeakBytes: 67_100_000, OomKilled: true, Processes: 3), run.ReadUsage());
    }

    [Fact]
    public void Without_memory_peak_the_largest_current_usage_seen_is_reported_and_no_oom_kill_means_false()
    {
        _kernel.HasMemoryPeak = false;
        using var run = Driver().Create("run1", Limits);
        File.WriteAllText(Path.Combine(RunDir("run1"), "memory.current"), "5000\n");
        var whileRunning = run.ReadUsage();
        File.WriteAllText(Path.Combine(RunDir("run1"), "memory.current"), "300\n"); // after the run freed (or was killed)

        Assert.Equal(new CgroupUsage(0, 5000, false, 0), whileRunning);
        Assert.Equal(new CgroupUsage(0, 5000, false, 0), run.ReadUsage());
    }

    [Fact]
    public void Without_memory_peak_a_run_that_reached_its_limit_reports_the_limit_as_its_peak()
    {
        _kernel.HasMemoryPeak = false;
        using var run = Driver().Create("run1", Limits);
        File.WriteAllText(Path.Combine(RunDir("run1"), "memory.events"), "low 0\nhigh 0\nmax 40\noom 1\noom_kill 1\noom_group_kill 1\n");

        Assert.Equal(new CgroupUsage(0, 64L << 20, true, 0), run.ReadUsage());
    }

    [Fact]
    public void After_a_reset_a_memory_peak_not_passed_since_gives_way_to_the_largest_usage_seen()
    {
        var run = (IReusableCgroupRun)Driver().Create("pool1", Limits);
        File.WriteAllText(Path.Combine(RunDir("pool1"), "memory.peak"), "50000000\n"); // the idle interpreter's start-up
        run.ResetUsage();
        File.WriteAllText(Path.Combine(RunDir("pool1"), "memory.current"), "9000000\n");
        var small = run.ReadUsage().MemoryPeakBytes;
        File.WriteAllText(Path.Combine(RunDir("pool1"), "memory.peak"), "60000000\n"); // the run itself went higher
        var large = run.ReadUsage().MemoryPeakBytes;
        run.Dispose();

        Assert.Equal(9_000_000, small);
        Assert.Equal(60_000_000, large);
    }

    [Fact]
    public void KillAll_writes_1_to_cgroup_kill_and_returns_once_the_cgroup_is_empty()
    {
        using var run = Driver().Create("run1", Limits);
        File.WriteAllText(run.ProcsFiles[0], "7001\n7002\n"); // as if the run had joined and forked

        run.KillAll();

        Assert.Equal("1", Read("run1", "cgroup.kill"));
        Assert.Equal("", Read("run1", "cgroup.procs"));
    }

    [Fact]
    public void Dispose_kills_then_removes_the_run_cgroup_and_keeps_the_shared_parent()
    {
        var run = Driver().Create("run1", Limits);
        File.WriteAllText(run.ProcsFiles[0], "7001\n");

        run.Dispose();
        run.Dispose();

        Assert.False(Directory.Exists(RunDir("run1")));
        Assert.True(Directory.Exists(Path.Combine(_kernel.OwnDir, "codify")));
    }

    [Fact]
    public void Dispose_does_not_throw_when_processes_survive_and_leaves_their_cgroup()
    {
        var driver = Driver(killTimeoutMs: 50);
        var run = driver.Create("run1", Limits);
        File.Delete(Path.Combine(RunDir("run1"), "cgroup.kill")); // a kernel before 5.14
        // Above pid_max: no real process can be signalled, and the membership check refuses it anyway.
        File.WriteAllText(run.ProcsFiles[0], "999999999\n");

        run.Dispose();

        Assert.True(Directory.Exists(RunDir("run1")));
    }

    [Fact]
    public void A_listed_pid_that_is_not_in_the_runs_cgroup_is_never_signalled()
    {
        using var bystander = Process.Start("/bin/sleep", "30");
        var run = Driver(killTimeoutMs: 100).Create("run1", Limits);
        File.Delete(Path.Combine(RunDir("run1"), "cgroup.kill"));
        // As if the pid had been reused by an unrelated host process after the run's process exited.
        File.WriteAllText(run.ProcsFiles[0], $"{bystander.Id}\n");

        run.Dispose();

        Assert.False(bystander.HasExited);
        bystander.Kill();
    }

    [Fact]
    public void Active_swap_without_swap_accounting_fails_closed_and_leaves_no_cgroup()
    {
        _kernel.SwapAccounting = false;
        File.AppendAllText(_kernel.SwapsFile, "/swapfile file 1048572 0 -2\n");

        var e = Assert.Throws<CgroupException>(() => Driver().Create("run1", Limits));

        Assert.Contains("memory.swap.max", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(RunDir("run1")));
    }

    [Fact]
    public void Without_swap_on_the_host_a_missing_memory_swap_max_is_tolerated()
    {
        _kernel.SwapAccounting = false;

        using var run = Driver().Create("run1", Limits);

        Assert.Equal("67108864", Read("run1", "memory.max"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Run_names_that_could_leave_the_parent_are_rejected(string name) =>
        Assert.Throws<ArgumentException>(() => Driver().Create(name, Limits));

    [Fact]
    public void A_run_name_in_use_is_refused()
    {
        var driver = Driver();
        using var run = driver.Create("run1", Limits);

        Assert.Throws<CgroupException>(() => driver.Create("run1", Limits));
    }

    [Fact]
    public void Unlimited_memory_or_processes_are_refused() =>
        Assert.Throws<CgroupException>(() => Driver().Create("run1", Limits with { Processes = 0 }));

    [Fact]
    public void A_reused_run_counts_cpu_and_oom_kills_from_its_reset_and_takes_new_limits_under_its_own_name()
    {
        var run = (IReusableCgroupRun)Driver().Create("pool1", Limits);
        File.WriteAllText(Path.Combine(RunDir("pool1"), "cpu.stat"), "usage_usec 500000\nuser_usec 0\nsystem_usec 0\n");
        File.WriteAllText(Path.Combine(RunDir("pool1"), "memory.events"), "low 0\nhigh 0\nmax 0\noom 1\noom_kill 1\noom_group_kill 0\n");

        run.ResetUsage();
        run.ApplyLimits(Limits with { MemoryBytes = 256L << 20, Processes = 64 });
        File.WriteAllText(Path.Combine(RunDir("pool1"), "cpu.stat"), "usage_usec 700000\nuser_usec 0\nsystem_usec 0\n");
        var usage = run.ReadUsage();

        Assert.Equal(200, usage.CpuTimeMs);
        Assert.False(usage.OomKilled);
        Assert.Equal([Path.Combine(RunDir("pool1"), "cgroup.procs")], run.ProcsFiles);
        Assert.Equal((256L << 20).ToString(), Read("pool1", "memory.max"));
        Assert.Equal("64", Read("pool1", "pids.max"));
        Assert.Equal("0", Read("pool1", "memory.swap.max"));
        run.Dispose();
        Assert.False(Directory.Exists(RunDir("pool1")));
    }
}
