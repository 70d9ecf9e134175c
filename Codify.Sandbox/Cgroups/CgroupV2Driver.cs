using System.Globalization;
using Codify.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Codify.Sandbox.Cgroups;

/// <summary>
/// cgroup v2: one folder per run, &lt;own&gt;/codify/&lt;run&gt;. The kernel's "no internal processes" rule lets a
/// non-root cgroup enable controllers for its children only while it holds no processes itself, so the service's own
/// processes move into the leaf &lt;own&gt;/service first, and runs live under &lt;own&gt;/codify (which never holds any).
/// </summary>
public sealed class CgroupV2Driver : ICgroupDriver
{
    private const string Controllers = "+memory +pids +cpu";
    private static readonly string[] Needed = ["memory", "pids", "cpu"];

    private readonly string _own;
    private readonly CgroupOptions _options;
    private readonly CgroupFs _fs;
    private readonly ILogger _logger;
    private readonly Lazy<string> _parent;

    internal CgroupV2Driver(string ownDir, CgroupOptions options, CgroupFs fs, ILogger? logger)
    {
        _own = ownDir;
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
            // A run cannot take more than its share of the host's cores away from other runs.
            _fs.SetLimit(dir, "cpu.max", $"{_options.CpuQuotaUs} {_options.CpuPeriodUs}");
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
            if (!Enabled(_own))
            {
                MoveOwnProcessesToLeaf();
                _fs.SetLimit(_own, "cgroup.subtree_control", Controllers);
            }

            _fs.CreateDirectory(parent);
            if (!Enabled(parent))
            {
                _fs.SetLimit(parent, "cgroup.subtree_control", Controllers);
            }

            return parent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without write access to its own cgroup (systemd: Delegate=yes) the service cannot limit runs.
            throw new CgroupException($"cannot prepare {parent} with {Controllers}: {e.Message}", e);
        }
    }

    private bool Enabled(string dir)
    {
        var enabled = _fs.Read(Path.Combine(dir, "cgroup.subtree_control")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return Needed.All(enabled.Contains);
    }

    /// <summary>
    /// Moves every process of the service's cgroup into its leaf. The true root (no cgroup.type file) is exempt from the
    /// rule; a cgroup namespace's root or a systemd unit's cgroup (Delegate=yes) is not.
    /// </summary>
    private void MoveOwnProcessesToLeaf()
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
            throw new CgroupException($"{_own} still holds processes after moving them to {leaf}: cannot enable {Controllers}");
        }

        CgroupLog.MovedToLeaf(_logger, moved, _own, leaf);
    }
}
