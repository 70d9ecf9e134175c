using System.Globalization;
using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>One run's v2 folder: a single cgroup.procs, cgroup.kill for the whole run.</summary>
internal sealed class CgroupV2Run(string dir, string runSuffix, CgroupOptions options, CgroupFs fs, ILogger logger)
    : CgroupRun([dir], runSuffix, options, fs, logger)
{
    private long _cpuUsecBefore;
    private long _oomKillsBefore;

    private string Dir => Dirs[0];

    protected override CgroupUsage Usage()
    {
        var peakFile = Path.Combine(Dir, "memory.peak");
        return new CgroupUsage(
            CpuTimeMs: ((Fs.ReadKeyed(Path.Combine(Dir, "cpu.stat"), "usage_usec") ?? 0) - _cpuUsecBefore) / 1000,
            // Kernels before 5.19 have no memory.peak: the current usage is then only a lower bound of the peak. A pooled
            // run's peak also covers its idle interpreter's start-up, as a cold run's does (v2 resets it per descriptor only).
            MemoryPeakBytes: Fs.ReadLong(Fs.FileExists(peakFile) ? peakFile : Path.Combine(Dir, "memory.current")),
            OomKilled: Fs.ReadKeyed(Path.Combine(Dir, "memory.events"), "oom_kill") > _oomKillsBefore,
            Processes: (int)Fs.ReadLong(Path.Combine(Dir, "pids.current")));
    }

    public override void ApplyLimits(ExecutionLimits limits)
    {
        CgroupChecks.ValidateLimits(limits);
        // memory.swap.max stays 0 from creation; the kernel reclaims (or refuses) when the new limit is under the usage.
        Fs.SetLimit(Dir, "memory.max", limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        Fs.SetLimit(Dir, "pids.max", limits.Processes.ToString(CultureInfo.InvariantCulture));
    }

    public override void ResetUsage()
    {
        // v2 counters cannot be written: remember where they stood and report only what comes after.
        _cpuUsecBefore = Fs.ReadKeyed(Path.Combine(Dir, "cpu.stat"), "usage_usec") ?? 0;
        _oomKillsBefore = Fs.ReadKeyed(Path.Combine(Dir, "memory.events"), "oom_kill") ?? 0;
    }

    protected override void OnRenamed(IReadOnlyDictionary<string, string> renamed)
    {
        // Dirs (and so Dir) already follow the rename.
    }

    public override void SignalAll()
    {
        // cgroup.kill is atomic even against a fork bomb; the base pass covers kernels without it.
        TryWriteKill();
        base.SignalAll();
    }

    private void TryWriteKill()
    {
        var kill = Path.Combine(Dir, "cgroup.kill");
        if (Fs.FileExists(kill))
        {
            try
            {
                Fs.Write(kill, "1");
            }
            catch (IOException)
            {
                // The signal loop covers it.
            }
        }
    }

    public override void KillAll()
    {
        // The kernel kills every task, including ones forking right now: no race with a fork bomb. Before 5.14 there is
        // no cgroup.kill; after it, the base loop only waits until the cgroup is empty.
        TryWriteKill();
        base.KillAll();
    }
}
