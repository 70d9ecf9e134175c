using System.Globalization;
using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>One run's v2 folder: a single cgroup.procs, cgroup.kill for the whole run.</summary>
internal sealed class CgroupV2Run(string dir, string runSuffix, CgroupOptions options, CgroupFs fs, ILogger logger)
    : CgroupRun([dir], runSuffix, options, fs, logger)
{
    private long _cpuUsecBefore;
    private long _oomKillsBefore;
    private long _limitHitsBefore;
    private long _currentSeenMax;
    private long _peakAtReset = -1;

    private string Dir => Dirs[0];

    protected override CgroupUsage Usage()
    {
        var events = Path.Combine(Dir, "memory.events");
        return new CgroupUsage(
            CpuTimeMs: ((Fs.ReadKeyed(Path.Combine(Dir, "cpu.stat"), "usage_usec") ?? 0) - _cpuUsecBefore) / 1000,
            MemoryPeakBytes: MemoryPeak(events),
            OomKilled: Fs.ReadKeyed(events, "oom_kill") > _oomKillsBefore,
            Processes: (int)Fs.ReadLong(Path.Combine(Dir, "pids.current")));
    }

    /// <summary>
    /// memory.peak where the kernel has it (5.19+), unless a reset (a pooled run's dispatch) came after that peak: v2 cannot
    /// reset it (before 6.12, and then per open file only), so a peak not passed since the reset says nothing about the run.
    /// Then, and on kernels without memory.peak: the largest memory.current seen by any read (the supervisor reads usage
    /// every CPU poll while the run lives), raised to memory.max when memory.events counted the usage reaching the limit:
    /// a lower bound of the true peak, exact whenever the limit was hit (the OOM case).
    /// </summary>
    private long MemoryPeak(string events)
    {
        var peakFile = Path.Combine(Dir, "memory.peak");
        if (Fs.FileExists(peakFile) && Fs.ReadLong(peakFile) is var peak && peak > _peakAtReset)
        {
            return peak;
        }

        var current = Fs.ReadLong(Path.Combine(Dir, "memory.current"));
        long seen;
        do
        {
            seen = Volatile.Read(ref _currentSeenMax);
        }
        while (current > seen && Interlocked.CompareExchange(ref _currentSeenMax, current, seen) != seen);

        seen = Math.Max(seen, current);
        var limitText = Fs.Read(Path.Combine(Dir, "memory.max")).Trim();
        if (Fs.ReadKeyed(events, "max") > _limitHitsBefore
            && long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            seen = Math.Max(seen, limit);
        }

        return seen;
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
        _limitHitsBefore = Fs.ReadKeyed(Path.Combine(Dir, "memory.events"), "max") ?? 0;
        Volatile.Write(ref _currentSeenMax, 0);
        var peakFile = Path.Combine(Dir, "memory.peak");
        _peakAtReset = Fs.FileExists(peakFile) ? Fs.ReadLong(peakFile) : -1;
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
