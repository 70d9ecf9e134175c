using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Cgroups;

/// <summary>Where the cgroup filesystem and the kernel's descriptions of it live, and the CPU share of one run. Section "Cgroups".</summary>
public sealed class CgroupOptions
{
    public const string Section = "Cgroups";

    /// <summary>Where the cgroup filesystems are mounted (mount points under /sys/fs/cgroup are re-rooted here: tests use a fake tree).</summary>
    [Required]
    public string Root { get; set; } = "/sys/fs/cgroup";

    [Required]
    public string MountsPath { get; set; } = "/proc/self/mounts";

    [Required]
    public string SelfCgroupPath { get; set; } = "/proc/self/cgroup";

    [Required]
    public string SwapsPath { get; set; } = "/proc/swaps";

    /// <summary>The folder below the service's own cgroup that holds every run's cgroup.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string ParentName { get; set; } = "codify";

    /// <summary>v2 only: the leaf the service's own processes move into, so its cgroup may delegate controllers.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string ServiceLeafName { get; set; } = "service";

    /// <summary>
    /// v2 only: a cgroup (as /proc/self/cgroup names it, e.g. "/codify.slice") the operator delegated to the Sandbox, for
    /// hosts where it cannot tell by itself (systemd without the trusted.delegate mark). Empty: the Sandbox uses its own
    /// cgroup only when that is a cgroup namespace's root or a unit cgroup systemd marked as delegated (Delegate=yes).
    /// </summary>
    [RegularExpression("^(/[A-Za-z0-9_.@:-]+)*/?$")]
    public string DelegatedPath { get; set; } = "";

    /// <summary>CPU cores one run may use at once (v2 cpu.max, v1 cpu.cfs_quota_us).</summary>
    [Range(0.01, 1024)]
    public double CpuCores { get; set; } = 1;

    [Range(1000, 1_000_000)]
    public int CpuPeriodUs { get; set; } = 100_000;

    /// <summary>How long KillAll waits for the cgroup to become empty.</summary>
    [Range(10, 60_000)]
    public int KillTimeoutMs { get; set; } = 2000;

    internal long CpuQuotaUs => Math.Max(1000, (long)Math.Round(CpuCores * CpuPeriodUs));
}
