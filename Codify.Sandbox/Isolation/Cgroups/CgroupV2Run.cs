namespace Codify.Sandbox.Isolation.Cgroups;

/// <summary>One run's v2 folder: a single cgroup.procs, cgroup.kill for the whole run.</summary>
internal sealed class CgroupV2Run(string dir, string runSuffix, CgroupOptions options, CgroupFs fs, ILogger logger)
    : CgroupRun([dir], runSuffix, options, fs, logger)
{
    protected override CgroupUsage Usage()
    {
        var peakFile = Path.Combine(dir, "memory.peak");
        return new CgroupUsage(
            CpuTimeMs: (Fs.ReadKeyed(Path.Combine(dir, "cpu.stat"), "usage_usec") ?? 0) / 1000,
            // Kernels before 5.19 have no memory.peak: the current usage is then only a lower bound of the peak.
            MemoryPeakBytes: Fs.ReadLong(Fs.FileExists(peakFile) ? peakFile : Path.Combine(dir, "memory.current")),
            OomKilled: Fs.ReadKeyed(Path.Combine(dir, "memory.events"), "oom_kill") > 0,
            Processes: (int)Fs.ReadLong(Path.Combine(dir, "pids.current")));
    }

    public override void KillAll()
    {
        var kill = Path.Combine(dir, "cgroup.kill");
        if (Fs.FileExists(kill))
        {
            try
            {
                // The kernel kills every task, including ones forking right now: no race with a fork bomb.
                Fs.Write(kill, "1");
            }
            catch (IOException)
            {
                // Fall back to the signal loop below.
            }
        }

        // Before 5.14 there is no cgroup.kill; after it, this only waits until the cgroup is empty.
        base.KillAll();
    }
}
