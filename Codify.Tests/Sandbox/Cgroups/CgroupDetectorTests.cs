using Codify.Sandbox.Cgroups;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>Driver choice from fake /proc/self/mounts and /proc/self/cgroup texts over a fake /sys/fs/cgroup tree.</summary>
[UnitTier]
public sealed class CgroupDetectorTests : IDisposable
{
    // Verbatim from this build machine: v1 controllers plus a v2 mount that has none of them.
    private const string HybridMounts = """
        sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
        tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
        cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
        cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0
        cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
        cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
        cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
        cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
        """;

    private const string HybridSelf = """
        9:name=systemd:/
        8:pids:/
        4:memory:/process_api/e1190f
        2:cpuacct:/
        1:cpu:/
        0::/
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("fake-cgroupfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CgroupDetection Detect(string mounts, string self) =>
        CgroupDetector.Detect(new CgroupOptions { Root = _root }, mounts, self);

    private void Tree(string relativeDir, string? controllers = null)
    {
        var dir = Path.Combine(_root, relativeDir);
        Directory.CreateDirectory(dir);
        if (controllers is not null)
        {
            File.WriteAllText(Path.Combine(dir, "cgroup.controllers"), controllers + "\n");
        }
    }

    [Fact]
    public void This_hosts_hybrid_layout_selects_v1_and_says_why_not_v2()
    {
        Tree("cpu");
        Tree("cpuacct");
        Tree("pids");
        Tree("memory/process_api/e1190f");
        Tree("unified", "hugetlb");

        var detection = Detect(HybridMounts, HybridSelf);

        Assert.Equal("v1", detection.Driver.Version);
        Assert.Contains(Path.Combine(_root, "memory/process_api/e1190f"), detection.Reason, StringComparison.Ordinal);
        Assert.Contains("lacks [memory pids]", detection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_systemd_host_with_delegated_controllers_selects_v2()
    {
        Tree("system.slice/codify.service", "cpuset cpu io memory pids");
        TestXattr.MarkDelegated(Path.Combine(_root, "system.slice/codify.service"));

        var detection = Detect(
            "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0\n",
            "0::/system.slice/codify.service\n");

        Assert.Equal("v2", detection.Driver.Version);
        Assert.Contains(Path.Combine(_root, "system.slice/codify.service"), detection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_cgroup_without_pids_and_no_v1_hierarchies_has_no_driver_and_refuses_runs()
    {
        Tree("user.slice", "cpu memory");

        var detection = Detect("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n", "0::/user.slice\n");

        Assert.False(detection.IsAvailable);
        Assert.Contains("lacks [pids]", detection.Reason, StringComparison.Ordinal);
        Assert.Contains("no v1 memory hierarchy mounted", detection.Reason, StringComparison.Ordinal);
        var e = Assert.Throws<CgroupException>(() => detection.Driver.Create("run", new(1000, 1000, 64L << 20, 16, 1024, 1024)));
        Assert.Contains("lacks [pids]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_cgroup_mounts_at_all_is_a_clear_failure()
    {
        var detection = Detect("proc /proc proc rw 0 0\n", "");

        Assert.False(detection.IsAvailable);
        Assert.Equal("no usable cgroup driver: v2: no cgroup2 mount; v1: no v1 memory hierarchy mounted; "
            + "no v1 pids hierarchy mounted; no v1 cpuacct hierarchy mounted", detection.Reason);
    }

    [Fact]
    public void V1_without_a_pids_hierarchy_is_refused()
    {
        Tree("memory");
        Tree("cpu,cpuacct");

        var detection = Detect(
            "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0\n",
            "3:memory:/\n2:cpu,cpuacct:/\n");

        Assert.False(detection.IsAvailable);
        Assert.Contains("no v1 pids hierarchy mounted", detection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Co_mounted_cpu_and_cpuacct_share_one_folder()
    {
        Tree("memory/a");
        Tree("pids/a");
        Tree("cpu,cpuacct/a");

        var detection = Detect(
            "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup /sys/fs/cgroup/pids cgroup rw,pids 0 0\n"
            + "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0\n",
            "4:pids:/a\n3:memory:/a\n2:cpu,cpuacct:/a\n");

        Assert.Equal("v1", detection.Driver.Version);
        Assert.Contains($"cpu={Path.Combine(_root, "cpu,cpuacct/a")}", detection.Reason, StringComparison.Ordinal);
        Assert.Contains($"cpuacct={Path.Combine(_root, "cpu,cpuacct/a")}", detection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_own_cgroup_missing_from_the_mount_is_reported()
    {
        Tree("memory");
        Tree("pids");
        Tree("cpuacct");

        var detection = Detect(
            "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup /sys/fs/cgroup/pids cgroup rw,pids 0 0\n"
            + "cgroup /sys/fs/cgroup/cpuacct cgroup rw,cpuacct 0 0\n",
            "4:pids:/docker/abc\n3:memory:/docker/abc\n2:cpuacct:/docker/abc\n");

        Assert.False(detection.IsAvailable);
        Assert.Contains($"own memory cgroup {Path.Combine(_root, "memory/docker/abc")} does not exist", detection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_mount_points_are_decoded()
    {
        Tree("my cgroups/x", "memory pids cpu");
        TestXattr.MarkDelegated(Path.Combine(_root, "my cgroups/x"));

        var detection = Detect("cgroup2 /sys/fs/cgroup/my\\040cgroups cgroup2 rw 0 0\n", "0::/x\n");

        Assert.Equal("v2", detection.Driver.Version);
    }

    [Fact]
    public void A_containers_private_cgroup_namespace_root_selects_v2_without_a_mark()
    {
        Tree("", "cpu io memory pids");

        var detection = Detect("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n", "0::/\n");

        Assert.Equal("v2", detection.Driver.Version);
    }

    [Fact]
    public void A_v2_cgroup_offering_only_memory_and_pids_selects_v2()
    {
        Tree("system.slice/codify.service", "memory pids");
        TestXattr.MarkDelegated(Path.Combine(_root, "system.slice/codify.service"));

        var detection = Detect("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n", "0::/system.slice/codify.service\n");

        Assert.Equal("v2", detection.Driver.Version);
    }
}
