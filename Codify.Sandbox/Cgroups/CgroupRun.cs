using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>What both drivers' runs share: kill by cgroup membership, then remove the folders.</summary>
internal abstract class CgroupRun : IReusableCgroupRun
{
    /// <summary>How long rmdir is retried after the kill: the kernel releases exiting tasks asynchronously.</summary>
    private static readonly TimeSpan RemoveBudget = TimeSpan.FromSeconds(1);

    private readonly string _suffix;
    private bool _disposed;

    protected CgroupRun(IReadOnlyList<string> dirs, string runSuffix, CgroupOptions options, CgroupFs fs, ILogger logger)
    {
        Dirs = dirs;
        ProcsFiles = ProcsOf(dirs);
        _suffix = runSuffix;
        Options = options;
        Fs = fs;
        Logger = logger;
    }

    public IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>Every folder of the run, one per hierarchy.</summary>
    public IReadOnlyList<string> Dirs { get; }

    protected CgroupOptions Options { get; }

    protected CgroupFs Fs { get; }

    protected ILogger Logger { get; }

    public CgroupUsage ReadUsage()
    {
        try
        {
            return Usage();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CgroupException($"cannot read usage of cgroup {Dirs[0]}: {e.Message}", e);
        }
    }

    public virtual void KillAll()
    {
        bool emptied;
        try
        {
            // Membership, not the process tree: a daemonized or reparented process of the run dies too.
            emptied = CgroupKiller.KillUntilEmpty(Fs, ProcsFiles, _suffix, TimeSpan.FromMilliseconds(Options.KillTimeoutMs));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            emptied = false;
        }

        if (!emptied)
        {
            CgroupLog.NotEmptied(Logger, Dirs[0], Options.KillTimeoutMs);
        }
    }

    public virtual void SignalAll()
    {
        try
        {
            CgroupKiller.KillOnce(Fs, ProcsFiles, _suffix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Dispose's KillAll tries again and reports.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        KillAll();
        // Children first would matter only for nested cgroups; a run's folders are leaves in separate hierarchies.
        foreach (var dir in Dirs)
        {
            if (!Fs.RemoveWithRetry(dir, RemoveBudget))
            {
                CgroupLog.NotRemoved(Logger, dir);
            }
        }
    }

    public IReadOnlyList<int> Pids()
    {
        try
        {
            return ProcsFiles.SelectMany(Fs.ReadPids).Distinct().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CgroupException($"cannot list processes of cgroup {Dirs[0]}: {e.Message}", e);
        }
    }

    public abstract void ApplyLimits(ExecutionLimits limits);

    public abstract void ResetUsage();

    protected abstract CgroupUsage Usage();

    private static List<string> ProcsOf(IEnumerable<string> dirs) => dirs.Select(d => Path.Combine(d, "cgroup.procs")).ToList();
}
