using System.Globalization;
using Codify.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Codify.Sandbox.Cgroups;

/// <summary>
/// cgroup v2: one folder per run, &lt;home&gt;/codify/&lt;run&gt;, where home is the cgroup delegated to the Sandbox
/// (<see cref="CgroupV2Ownership"/>). The kernel's "no internal processes" rule lets a non-root cgroup enable controllers
/// for its children only while it holds no processes itself, so the service's own processes move into the leaf
/// &lt;home&gt;/service first, and runs live under &lt;home&gt;/codify (which never holds any). Controllers are enabled
/// top-down and only those offered: memory and pids are required, cpu (the cpu.max share) is used when offered.
/// </summary>
public sealed class CgroupV2Driver : ICgroupDriver
{
    private static readonly string[] Wanted = ["memory", "pids", "cpu"];

    private readonly CgroupV2Home _home;
    private readonly string _own;
    private readonly CgroupOptions _options;
    private readonly CgroupFs _fs;
    private readonly ILogger _logger;
    private readonly Lazy<string> _parent;

    internal CgroupV2Driver(CgroupV2Home home, CgroupOptions options, CgroupFs fs, ILogger? logger)
    {
        _home = home;
        _own = home.Dir;
        _options = options;
        _fs = fs;
        _logger = logger ?? NullLogger.Instance;
        // PublicationOnly: a failure is retried on the next run instead of being cached forever; every step is idempotent.
        _parent = new Lazy<string>(CreateParent, LazyThreadSafetyMode.PublicationOnly);
    }

    public string Version => "v2";

    public ICgroupRun Create(string runName, ExecutionLimits limits)
    {
        CgroupChecks.Validate(runName, limits);
        var dir = Path.Combine(_parent.Value, runName);
        _fs.CreateNew(dir);
        try
        {
            // A run that allocates past its limit is OOM-killed instead of starving the host.
            _fs.SetLimit(dir, "memory.max", limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
            LimitSwap(dir);
            // A fork bomb stops at the pids limit instead of exhausting the host's process table.
            _fs.SetLimit(dir, "pids.max", limits.Processes.ToString(CultureInfo.InvariantCulture));
            if (_fs.FileExists(Path.Combine(dir, "cpu.max")))
            {
                // A run cannot take more than its share of the host's cores away from other runs. Without the cpu controller
                // the CPU-time limit (cpu.stat) and the wall clock still bound the run; only its parallelism is not.
                _fs.SetLimit(dir, "cpu.max", $"{_options.CpuQuotaUs} {_options.CpuPeriodUs}");
            }
            // An OOM kills the whole run, not one process that a surviving parent might quietly replace.
            _fs.SetLimit(dir, "memory.oom.group", "1");
            return new CgroupV2Run(dir, $"/{_options.ParentName}/{runName}", _options, _fs, _logger);
        }
        catch
        {
            _fs.RemoveWithRetry(dir, TimeSpan.Zero);
            throw;
        }
    }

    public IReadOnlyList<string> ParentDirs(string parentName) => [Path.Combine(_own, CgroupChecks.ParentName(parentName))];

    public int RemoveLeftovers(string parentName)
    {
        var parent = ParentDirs(parentName)[0];
        var runs = _fs.ChildDirectories(parent);
        foreach (var dir in runs)
        {
            new CgroupV2Run(dir, $"/{parentName}/{Path.GetFileName(dir)}", _options, _fs, _logger).Dispose();
        }

        _fs.RemoveWithRetry(parent, TimeSpan.FromSeconds(1));
        return runs.Count;
    }

    private void LimitSwap(string dir)
    {
        if (_fs.FileExists(Path.Combine(dir, "memory.swap.max")))
        {
            // No swap for runs: a run cannot page out to get past its memory limit.
            _fs.SetLimit(dir, "memory.swap.max", "0");
        }
        else if (_fs.SwapActive(_options.SwapsPath))
        {
            // Without swap accounting an active swap would let a run exceed its limit: refuse.
            throw new CgroupException($"swap is active but {dir} has no memory.swap.max: swap cannot be limited");
        }
    }

    private string CreateParent()
    {
        var parent = Path.Combine(_own, _options.ParentName);
        try
        {
            if (_home.MoveSelfIn)
            {
                MoveSelfIntoLeaf();
            }

            var forChildren = Offered(_own);
            if (!Enabled(_own, forChildren))
            {
                MoveOwnProcessesToLeaf(forChildren);
                Enable(_own, forChildren);
            }

            _fs.CreateDirectory(parent);
            // Top-down: the parent is offered only what its home enabled, and a run only what the parent enabled.
            var forRuns = Offered(parent);
            if (!Enabled(parent, forRuns))
            {
                Enable(parent, forRuns);
            }

            return parent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without write access to its own cgroup (systemd: Delegate=yes; a container: a writable cgroupfs) the service
            // cannot limit runs.
            throw new CgroupException($"cannot prepare {parent}: {e.Message}", e);
        }
    }

    /// <summary>The wanted controllers this cgroup is offered; memory and pids must be among them.</summary>
    private string[] Offered(string dir)
    {
        var offered = Words(Path.Combine(dir, "cgroup.controllers"));
        var usable = Wanted.Where(offered.Contains).ToArray();
        if (!usable.Contains("memory") || !usable.Contains("pids"))
        {
            throw new CgroupException($"{dir} is offered [{string.Join(' ', offered)}]: runs need memory and pids");
        }

        return usable;
    }

    private bool Enabled(string dir, string[] controllers) =>
        controllers.All(Words(Path.Combine(dir, "cgroup.subtree_control")).Contains);

    /// <summary>One write: the kernel applies all of it or none, so a refusal leaves nothing half-enabled.</summary>
    private void Enable(string dir, string[] controllers) =>
        _fs.Write(Path.Combine(dir, "cgroup.subtree_control"), string.Join(' ', controllers.Select(c => "+" + c)));

    private string[] Words(string file) => _fs.Read(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A configured delegated path this process is not in yet: it moves itself (only itself) into the leaf.</summary>
    private void MoveSelfIntoLeaf()
    {
        var leaf = Path.Combine(_own, _options.ServiceLeafName);
        _fs.CreateDirectory(leaf);
        _fs.Write(Path.Combine(leaf, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        CgroupLog.MovedToLeaf(_logger, 1, "this process's cgroup", leaf);
    }

    /// <summary>
    /// Moves every process of the service's cgroup into its leaf. The true root (no cgroup.type file) is exempt from the
    /// rule; a cgroup namespace's root or a systemd unit's cgroup (Delegate=yes) is not.
    /// </summary>
    private void MoveOwnProcessesToLeaf(string[] controllers)
    {
        var procs = Path.Combine(_own, "cgroup.procs");
        if (!_fs.FileExists(Path.Combine(_own, "cgroup.type")) || _fs.ReadPids(procs).Count == 0)
        {
            return;
        }

        var leaf = Path.Combine(_own, _options.ServiceLeafName);
        _fs.CreateDirectory(leaf);
        var moved = 0;
        // Bounded rounds: a process forked while we move lands in the old cgroup and is picked up by the next round.
        for (var round = 0; round < 10 && _fs.ReadPids(procs) is { Count: > 0 } pids; round++)
        {
            foreach (var pid in pids)
            {
                try
                {
                    _fs.Write(Path.Combine(leaf, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                    moved++;
                }
                catch (IOException)
                {
                    // ESRCH: it exited meanwhile.
                }
            }
        }

        if (_fs.ReadPids(procs).Count > 0)
        {
            throw new CgroupException($"{_own} still holds processes after moving them to {leaf}: cannot enable {string.Join(' ', controllers)}");
        }

        CgroupLog.MovedToLeaf(_logger, moved, _own, leaf);
    }
}
