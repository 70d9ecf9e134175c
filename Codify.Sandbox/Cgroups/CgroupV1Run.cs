using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>One run's v1 folders: memory, pids, cpuacct (and cpu); each gets the child's pid.</summary>
internal sealed class CgroupV1Run(IReadOnlyDictionary<string, string> dirs, string runSuffix, CgroupOptions options, CgroupFs fs, ILogger logger)
    : CgroupRun(dirs.Values.Distinct().ToList(), runSuffix, options, fs, logger)
{
    private readonly Dictionary<string, string> _byController = new(dirs, StringComparer.Ordinal);
    private long _oomKillsBefore;

    private string Memory => _byController["memory"];

    private string PidsDir => _byController["pids"];

    private string Cpuacct => _byController["cpuacct"];

    protected override CgroupUsage Usage()
    {
        var peak = Fs.ReadLong(Path.Combine(Memory, "memory.max_usage_in_bytes"));
        return new CgroupUsage(
            CpuTimeMs: Fs.ReadLong(Path.Combine(Cpuacct, "cpuacct.usage")) / 1_000_000,
            MemoryPeakBytes: peak,
            OomKilled: OomKilled(peak),
            Processes: (int)Fs.ReadLong(Path.Combine(PidsDir, "pids.current")));
    }

    public override void ApplyLimits(ExecutionLimits limits)
    {
        CgroupChecks.ValidateLimits(limits);
        CgroupV1Limits.Memory(Fs, Memory, limits.MemoryBytes, Options.SwapsPath);
        CgroupV1Limits.Pids(Fs, PidsDir, limits.Processes);
    }

    public override void ResetUsage()
    {
        // Writing 0 restarts the CPU counter, and sets the peak (and the failure count) back to the current usage.
        Fs.SetLimit(Cpuacct, "cpuacct.usage", "0");
        Fs.SetLimit(Memory, "memory.max_usage_in_bytes", "0");
        Fs.SetLimit(Memory, "memory.failcnt", "0");
        // The OOM-kill counter cannot be reset: count only kills after this point.
        _oomKillsBefore = Fs.ReadKeyed(Path.Combine(Memory, "memory.oom_control"), "oom_kill") ?? 0;
    }

    private bool OomKilled(long peak)
    {
        var control = Path.Combine(Memory, "memory.oom_control");
        if (Fs.ReadKeyed(control, "oom_kill") is { } kills)
        {
            return kills > _oomKillsBefore;
        }

        // Kernels before 4.13 have no oom_kill counter. failcnt alone only says the limit was reached (page cache is
        // reclaimed there too), so this is a heuristic: an OOM in progress, or a hit limit with usage at the limit.
        // The caller should also require that the program died of SIGKILL.
        var limit = Fs.ReadLong(Path.Combine(Memory, "memory.limit_in_bytes"));
        return Fs.ReadKeyed(control, "under_oom") > 0
            || (Fs.ReadLong(Path.Combine(Memory, "memory.failcnt")) > 0 && peak >= limit);
    }
}
