namespace Codify.Sandbox.Isolation.Cgroups;

/// <summary>One run's v1 folders: memory, pids, cpuacct (and cpu); each gets the child's pid.</summary>
internal sealed class CgroupV1Run(IReadOnlyDictionary<string, string> dirs, string runSuffix, CgroupOptions options, CgroupFs fs, ILogger logger)
    : CgroupRun(dirs.Values.Distinct().ToList(), runSuffix, options, fs, logger)
{
    private readonly string _memory = dirs["memory"];
    private readonly string _pids = dirs["pids"];
    private readonly string _cpuacct = dirs["cpuacct"];

    protected override CgroupUsage Usage()
    {
        var peak = Fs.ReadLong(Path.Combine(_memory, "memory.max_usage_in_bytes"));
        return new CgroupUsage(
            CpuTimeMs: Fs.ReadLong(Path.Combine(_cpuacct, "cpuacct.usage")) / 1_000_000,
            MemoryPeakBytes: peak,
            OomKilled: OomKilled(peak),
            Processes: (int)Fs.ReadLong(Path.Combine(_pids, "pids.current")));
    }

    private bool OomKilled(long peak)
    {
        var control = Path.Combine(_memory, "memory.oom_control");
        if (Fs.ReadKeyed(control, "oom_kill") is { } kills)
        {
            return kills > 0;
        }

        // Kernels before 4.13 have no oom_kill counter. failcnt alone only says the limit was reached (page cache is
        // reclaimed there too), so this is a heuristic: an OOM in progress, or a hit limit with usage at the limit.
        // The caller should also require that the program died of SIGKILL.
        var limit = Fs.ReadLong(Path.Combine(_memory, "memory.limit_in_bytes"));
        return Fs.ReadKeyed(control, "under_oom") > 0
            || (Fs.ReadLong(Path.Combine(_memory, "memory.failcnt")) > 0 && peak >= limit);
    }
}
