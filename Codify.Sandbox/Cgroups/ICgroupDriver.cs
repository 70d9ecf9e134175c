using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>Creates per-run cgroups on this host: one abstraction, a v1 and a v2 driver.</summary>
public interface ICgroupDriver
{
    /// <summary>"v1" or "v2" ("none" for the driver that refuses every run).</summary>
    string Version { get; }

    /// <summary>
    /// Creates one run's cgroup(s) below the service's own cgroup with the memory (+ swap), pids and CPU limits applied.
    /// Throws <see cref="CgroupException"/> when any limit cannot be set: the caller fails closed.
    /// </summary>
    ICgroupRun Create(string runName, ExecutionLimits limits);

    /// <summary>The folders (one per hierarchy) that hold the run cgroups created under <paramref name="parentName"/>.</summary>
    IReadOnlyList<string> ParentDirs(string parentName) => [];

    /// <summary>
    /// Kills every process in the cgroups below <paramref name="parentName"/> (through the cgroups, so reparented ones
    /// too) and removes them and the parent: what a dead life of this replica left. Returns how many run cgroups it found.
    /// </summary>
    int RemoveLeftovers(string parentName) => 0;
}

/// <summary>One run's cgroup(s). Dispose kills every process in them, waits (bounded) until they are empty and removes them.</summary>
public interface ICgroupRun : IDisposable
{
    /// <summary>
    /// The cgroup.procs files (one per hierarchy) the child must write its own pid into before it execs the sandbox;
    /// the launch wrapper (Launch/LaunchCommand) does.
    /// </summary>
    IReadOnlyList<string> ProcsFiles { get; }

    CgroupUsage ReadUsage();

    /// <summary>Kills every process of the run, including ones that left the sandbox's process tree, and waits (bounded) until they are gone.</summary>
    void KillAll();

    /// <summary>
    /// Sends every process of the run SIGKILL without waiting for the kernel to finish tearing them down: none of them runs
    /// another instruction of its own. <see cref="KillAll"/> (as Dispose does) then confirms the cgroup is empty.
    /// </summary>
    void SignalAll() => KillAll();
}

/// <summary>Cumulative CPU time, peak memory, whether the kernel OOM-killed a process, and the current number of tasks.</summary>
public sealed record CgroupUsage(long CpuTimeMs, long MemoryPeakBytes, bool OomKilled, int Processes);
