using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>
/// A run's cgroup(s) created ahead of time for a warm sandbox (see Pool/) and re-targeted at dispatch: named
/// after the execution, given the execution's own limits, its usage counters started afresh. Only ever called while the
/// sandbox inside is idle (blocked reading its program), so no program process can race these changes.
/// </summary>
public interface IReusableCgroupRun : ICgroupRun
{
    /// <summary>Renames the run's folder in every hierarchy (same parent), so operators and checks see the execution's name.</summary>
    void Rename(string runName);

    /// <summary>Rewrites the memory (+ swap) and pids limits; throws <see cref="CgroupException"/> when the kernel refuses one.</summary>
    void ApplyLimits(ExecutionLimits limits);

    /// <summary>Starts CPU time and peak memory over from now: the run is charged from dispatch, not from the pool's start.</summary>
    void ResetUsage();

    /// <summary>Host pids of every process in the run's cgroup(s).</summary>
    IReadOnlyList<int> Pids();
}
