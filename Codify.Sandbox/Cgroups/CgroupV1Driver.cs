using System.Globalization;
using Codify.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Codify.Sandbox.Cgroups;

/// <summary>
/// cgroup v1: one folder per run in each of the memory, pids and cpuacct hierarchies (and cpu when its quota can be set),
/// below this process's own cgroup in that hierarchy: &lt;own&gt;/codify/&lt;run&gt;.
/// </summary>
public sealed class CgroupV1Driver : ICgroupDriver
{
    private static readonly string[] Required = ["memory", "pids", "cpuacct"];

    private readonly IReadOnlyDictionary<string, string> _own;
    private readonly CgroupOptions _options;
    private readonly CgroupFs _fs;
    private readonly ILogger _logger;
    private readonly Lazy<bool> _parents;
    private volatile bool _cpuUsable;

    internal CgroupV1Driver(IReadOnlyDictionary<string, string> ownDirs, CgroupOptions options, CgroupFs fs, ILogger? logger)
    {
        _own = ownDirs;
        _options = options;
        _fs = fs;
        _logger = logger ?? NullLogger.Instance;
        _cpuUsable = ownDirs.ContainsKey("cpu");
        // PublicationOnly: a failure is retried on the next run instead of being cached forever; creating twice is harmless.
        _parents = new Lazy<bool>(CreateParents, LazyThreadSafetyMode.PublicationOnly);
    }

    public string Version => "v1";

    public ICgroupRun Create(string runName, ExecutionLimits limits)
    {
        CgroupChecks.Validate(runName, limits);
        _ = _parents.Value;
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        var created = new List<string>();
        try
        {
            foreach (var controller in Required)
            {
                dirs[controller] = MakeRunDir(controller, runName, created);
            }

            CgroupV1Limits.Memory(_fs, dirs["memory"], limits.MemoryBytes, _options.SwapsPath);
            CgroupV1Limits.Pids(_fs, dirs["pids"], limits.Processes);
            if (_cpuUsable)
            {
                TryLimitCpu(runName, dirs, created);
            }

            return new CgroupV1Run(dirs, $"/{_options.ParentName}/{runName}", _options, _fs, _logger);
        }
        catch
        {
            created.Reverse();
            created.ForEach(d => _fs.RemoveWithRetry(d, TimeSpan.Zero));
            throw;
        }
    }

    public IReadOnlyList<string> ParentDirs(string parentName) =>
        [.. _own.Values.Distinct().Select(own => Path.Combine(own, CgroupChecks.ParentName(parentName)))];

    public int RemoveLeftovers(string parentName)
    {
        var parents = _own.ToDictionary(c => c.Key, c => Path.Combine(c.Value, CgroupChecks.ParentName(parentName)));
        var runs = parents.Values.Distinct().SelectMany(_fs.ChildDirectories).Select(d => Path.GetFileName(d)).Distinct().ToList();
        foreach (var run in runs)
        {
            var dirs = parents.Where(p => _fs.DirectoryExists(Path.Combine(p.Value, run)))
                .ToDictionary(p => p.Key, p => Path.Combine(p.Value, run), StringComparer.Ordinal);
            new CgroupV1Run(dirs, $"/{parentName}/{run}", _options, _fs, _logger).Dispose();
        }

        foreach (var parent in parents.Values.Distinct())
        {
            _fs.RemoveWithRetry(parent, TimeSpan.FromSeconds(1));
        }

        return runs.Count;
    }

    private void TryLimitCpu(string runName, Dictionary<string, string> dirs, List<string> created)
    {
        var before = created.Count;
        try
        {
            var dir = MakeRunDir("cpu", runName, created);
            _fs.SetLimit(dir, "cpu.cfs_period_us", _options.CpuPeriodUs.ToString(CultureInfo.InvariantCulture));
            _fs.SetLimit(dir, "cpu.cfs_quota_us", _options.CpuQuotaUs.ToString(CultureInfo.InvariantCulture));
            dirs["cpu"] = dir;
        }
        catch (CgroupException e)
        {
            // Optional on v1: the runner's CPU-time limit (cpuacct) and wall clock still bound the run; only parallelism is unbounded.
            _cpuUsable = false;
            CgroupLog.CpuQuotaUnavailable(_logger, e.Message);
            if (created.Count > before)
            {
                _fs.RemoveWithRetry(created[^1], TimeSpan.Zero);
                created.RemoveAt(created.Count - 1);
            }
        }
    }

    /// <summary>Co-mounted controllers (cpu,cpuacct) share one folder: it is created once.</summary>
    private string MakeRunDir(string controller, string runName, List<string> created)
    {
        var dir = Path.Combine(_own[controller], _options.ParentName, runName);
        if (!created.Contains(dir))
        {
            _fs.CreateNew(dir);
            created.Add(dir);
        }

        return dir;
    }

    private bool CreateParents()
    {
        foreach (var own in _own.Values.Distinct())
        {
            var parent = Path.Combine(own, _options.ParentName);
            try
            {
                _fs.CreateDirectory(parent);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CgroupException($"cannot create {parent}: {e.Message}", e);
            }
        }

        return true;
    }
}
