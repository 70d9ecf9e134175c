using Codify.Contracts;
using Codify.Sandbox.Cgroups;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>
/// The v2 driver against the kernel's rules (cgroup-v2.rst), on a fake tree that refuses what the kernel refuses: whose
/// cgroup it may build in, which controllers it may enable where, where processes may sit, read-only cgroupfs.
/// </summary>
[UnitTier]
public sealed class CgroupV2RulesFakeTreeTests : IDisposable
{
    private static readonly ExecutionLimits Limits = new(
        WallTimeMs: 5000, CpuTimeMs: 2000, MemoryBytes: 64L << 20, Processes: 16, OutputBytes: 1024, FileSizeBytes: 1024);

    private readonly List<FakeCgroupV2Kernel> _kernels = [];

    public void Dispose() => _kernels.ForEach(k => k.Dispose());

    private FakeCgroupV2Kernel Kernel(string ownPath = "system.slice/codify.service", bool delegated = true, string controllers = "cpu io memory pids")
    {
        var kernel = new FakeCgroupV2Kernel(ownPath, "4242\n4243\n", delegated, controllers);
        _kernels.Add(kernel);
        return kernel;
    }

    private static CgroupDetection Detect(FakeCgroupV2Kernel kernel, string? self = null, string delegatedPath = "", bool readOnlyMount = false) =>
        CgroupDetector.Detect(
            new CgroupOptions { Root = kernel.Root, SwapsPath = kernel.SwapsFile, DelegatedPath = delegatedPath },
            FakeCgroupV2Kernel.MountsText(readOnlyMount), self ?? kernel.SelfCgroup, kernel, null);

    private static string Text(string dir, string file) => File.ReadAllText(Path.Combine(dir, file)).Trim();

    [Fact]
    public void Without_the_cpu_controller_runs_get_memory_and_pids_limits_and_cpu_time_from_cpu_stat()
    {
        var kernel = Kernel(controllers: "io memory pids");
        var detection = Detect(kernel);
        Assert.True(detection.IsAvailable, detection.Reason);

        using var run = detection.Driver.Create("run1", Limits);
        var dir = Path.Combine(kernel.OwnDir, "codify", "run1");
        File.WriteAllText(Path.Combine(dir, "cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n");

        Assert.Equal("memory pids", Text(kernel.OwnDir, "cgroup.subtree_control"));
        Assert.Equal("memory pids", Text(Path.Combine(kernel.OwnDir, "codify"), "cgroup.subtree_control"));
        Assert.False(File.Exists(Path.Combine(dir, "cpu.max")));
        Assert.Equal("67108864", Text(dir, "memory.max"));
        Assert.Equal(1500, run.ReadUsage().CpuTimeMs);
    }

    [Fact]
    public void Controllers_are_enabled_top_down_only_where_the_parent_offered_them()
    {
        var kernel = Kernel();
        var codify = Path.Combine(kernel.OwnDir, "codify");
        using var run = Detect(kernel).Driver.Create("run1", Limits);

        Assert.Equal("cpu memory pids", Text(codify, "cgroup.controllers"));
        Assert.Equal("cpu memory pids", Text(Path.Combine(codify, "run1"), "cgroup.controllers"));
        // The fake refuses what the kernel refuses: io was not enabled for the runs' parent, so it cannot enable it below.
        Assert.Throws<IOException>(() => kernel.Write(Path.Combine(codify, "cgroup.subtree_control"), "+io"));
    }

    [Fact]
    public void No_process_ever_sits_in_a_cgroup_that_enables_controllers_for_its_children()
    {
        var kernel = Kernel();
        using var run = Detect(kernel).Driver.Create("run1", Limits);

        Assert.Equal("", Text(kernel.OwnDir, "cgroup.procs"));
        Assert.Equal("4242\n4243", Text(Path.Combine(kernel.OwnDir, "service"), "cgroup.procs").ReplaceLineEndings("\n"));
        Assert.Equal("", Text(Path.Combine(kernel.OwnDir, "codify"), "cgroup.procs"));
        // EBUSY, as from the kernel: the runs' parent enables controllers, so no process may join it.
        Assert.Throws<IOException>(() => kernel.Write(Path.Combine(kernel.OwnDir, "codify", "cgroup.procs"), "4242"));
    }

    [Fact]
    public void A_session_scope_it_merely_runs_in_is_not_taken_over_and_runs_are_refused_with_the_reason()
    {
        var kernel = Kernel("user.slice/user-0.slice/session-3.scope", delegated: false);

        var detection = Detect(kernel);

        Assert.False(detection.IsAvailable);
        Assert.Contains("session-3.scope is not delegated to the Sandbox", detection.Reason, StringComparison.Ordinal);
        var e = Assert.Throws<CgroupException>(() => detection.Driver.Create("run1", Limits));
        Assert.Contains("Delegate=yes", e.Message, StringComparison.Ordinal);
        Assert.Equal("4242\n4243", Text(kernel.OwnDir, "cgroup.procs").ReplaceLineEndings("\n"));
        Assert.Empty(Directory.GetDirectories(kernel.OwnDir));
    }

    [Fact]
    public void A_configured_delegated_path_is_used_and_only_this_process_moves_there()
    {
        var kernel = Kernel("user.slice/user-0.slice/session-3.scope", delegated: false);
        var delegatedDir = Path.Combine(kernel.Root, "codify.slice");
        kernel.CreateDirectory(delegatedDir);

        var detection = Detect(kernel, delegatedPath: "/codify.slice");
        Assert.True(detection.IsAvailable, detection.Reason);
        using var run = detection.Driver.Create("run1", Limits);

        Assert.Equal(Environment.ProcessId.ToString(), Text(Path.Combine(delegatedDir, "service"), "cgroup.procs"));
        Assert.Equal("4242\n4243", Text(kernel.OwnDir, "cgroup.procs").ReplaceLineEndings("\n"));
        Assert.True(Directory.Exists(Path.Combine(delegatedDir, "codify", "run1")));
    }

    [Fact]
    public void A_second_start_inside_the_leaf_of_the_first_builds_in_the_same_home_not_deeper()
    {
        var kernel = Kernel();
        Detect(kernel).Driver.Create("run1", Limits).Dispose();

        var second = Detect(kernel, self: kernel.SelfCgroupOf(Path.Combine(kernel.OwnDir, "service")));
        Assert.True(second.IsAvailable, second.Reason);
        using var run = second.Driver.Create("run2", Limits);

        Assert.True(Directory.Exists(Path.Combine(kernel.OwnDir, "codify", "run2")));
        Assert.False(Directory.Exists(Path.Combine(kernel.OwnDir, "service", "service")));
        Assert.False(Directory.Exists(Path.Combine(kernel.OwnDir, "service", "codify")));
    }

    [Fact]
    public void A_leaf_named_like_the_service_leaf_inside_a_foreign_scope_is_still_not_taken_over()
    {
        var kernel = Kernel("user.slice/session-3.scope/service", delegated: false);

        var detection = Detect(kernel);

        Assert.False(detection.IsAvailable);
        Assert.Contains("session-3.scope is not delegated", detection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_cgroup2_mount_is_reported_and_refuses_runs()
    {
        var kernel = Kernel();

        var detection = Detect(kernel, readOnlyMount: true);

        Assert.False(detection.IsAvailable);
        Assert.Contains("mounted read-only", detection.Reason, StringComparison.Ordinal);
        Assert.Throws<CgroupException>(() => detection.Driver.Create("run1", Limits));
    }

    [Fact]
    public void A_cgroupfs_that_turns_read_only_fails_the_run_closed_with_erofs_and_leaves_nothing()
    {
        var kernel = Kernel();
        var driver = Detect(kernel).Driver;
        kernel.ReadOnly = true;

        var e = Assert.Throws<CgroupException>(() => driver.Create("run1", Limits));

        Assert.Contains("Read-only file system", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(kernel.OwnDir, "codify")));
    }
}
