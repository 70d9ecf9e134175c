using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>
/// A run's cgroup(s) created ahead of time for a warm sandbox (see Pool/) and re-targeted at dispatch: given the
/// execution's own limits, its usage counters started afresh. It keeps the name it was created with: cgroup v2 has no
/// rename (EPERM), and moving the processes into a new cgroup would leave their memory charged to the old one. Only ever
/// called while the sandbox inside is idle (blocked reading its program), so no program process can race these changes.
/// </summary>
public interface IReusableCgroupRun : ICgroupRun
{
    /// <summary>Rewrites the memory (+ swap) and pids limits; throws <see cref="CgroupException"/> when the kernel refuses one.</summary>
    void ApplyLimits(ExecutionLimits limits);

    /// <summary>Starts CPU time and peak memory over from now: the run is charged from dispatch, not from the pool's start.</summary>
    void ResetUsage();

    /// <summary>Host pids of every process in the run's cgroup(s).</summary>
    IReadOnlyList<int> Pids();
}
