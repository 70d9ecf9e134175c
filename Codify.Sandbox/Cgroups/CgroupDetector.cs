namespace Codify.Sandbox.Cgroups;

/// <summary>Which cgroup driver this host supports, or why none: <see cref="Driver"/> is never null.</summary>
public sealed record CgroupDetection(ICgroupDriver Driver, string Reason)
{
    public bool IsAvailable => Driver is not UnavailableCgroupDriver;
}

/// <summary>
/// Picks the cgroup driver from the mounts and this process's own cgroup. v2 when a writable cgroup2 mount offers memory
/// and pids (cpu when it can) to a cgroup delegated to this process (<see cref="CgroupV2Ownership"/>); else v1 when
/// memory, pids and cpuacct hierarchies are mounted; else none.
/// </summary>
public static class CgroupDetector
{
    private static readonly string[] V2Needed = ["memory", "pids"];
    private static readonly string[] V1Needed = ["memory", "pids", "cpuacct"];

    public static CgroupDetection Detect(CgroupOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return Detect(options, File.ReadAllText(options.MountsPath), File.ReadAllText(options.SelfCgroupPath), logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return None($"cannot read {options.MountsPath} or {options.SelfCgroupPath}: {e.Message}");
        }
    }

    public static CgroupDetection Detect(CgroupOptions options, string mountsText, string selfCgroupText, ILogger? logger = null) =>
        Detect(options, mountsText, selfCgroupText, CgroupFs.Real, logger);

    internal static CgroupDetection Detect(CgroupOptions options, string mountsText, string selfCgroupText, CgroupFs fs, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mounts = CgroupHostText.Mounts(mountsText, options.Root);
        var own = CgroupHostText.OwnPaths(selfCgroupText);

        var (v2Home, v2Reason) = FindV2(mounts, own, options, fs);
        if (v2Home is not null)
        {
            return new(new CgroupV2Driver(v2Home, options, fs, logger), $"cgroup v2 below {v2Home.Dir}");
        }

        var (v1Dirs, v1Reason) = FindV1(mounts, own, fs);
        if (v1Dirs is not null)
        {
            var hierarchies = string.Join(", ", v1Dirs.Select(d => $"{d.Key}={d.Value}"));
            return new(new CgroupV1Driver(v1Dirs, options, fs, logger), $"cgroup v1 below {hierarchies} (v2 not usable: {v2Reason})");
        }

        return None($"no usable cgroup driver: v2: {v2Reason}; v1: {v1Reason}");
    }

    private static CgroupDetection None(string reason) => new(new UnavailableCgroupDriver(reason), reason);

    private static (CgroupV2Home? Home, string Reason) FindV2(
        IReadOnlyList<CgroupMount> mounts, IReadOnlyDictionary<string, string> own, CgroupOptions options, CgroupFs fs)
    {
        var v2 = mounts.Where(m => m.IsV2).ToList();
        if (v2.Count == 0)
        {
            return (null, "no cgroup2 mount");
        }

        if (!own.TryGetValue("", out var path))
        {
            return (null, "no '0::' line in /proc/self/cgroup");
        }

        var reasons = new List<string>();
        foreach (var mount in v2)
        {
            var (home, reason) = Usable(mount, path, options, fs);
            if (home is not null)
            {
                return (home, "");
            }

            reasons.Add(reason);
        }

        return (null, string.Join("; ", reasons));
    }

    private static (CgroupV2Home? Home, string Reason) Usable(CgroupMount mount, string ownPath, CgroupOptions options, CgroupFs fs)
    {
        if (mount.Controllers.Contains("ro"))
        {
            // A container's default: the cgroupfs is there to read, runs could not be limited (fail closed).
            return (null, $"cgroup2 at {mount.MountPoint} is mounted read-only");
        }

        var dir = CgroupHostText.Join(mount.MountPoint, CgroupV2Ownership.Candidate(ownPath, options));
        var controllersFile = Path.Combine(dir, "cgroup.controllers");
        if (!fs.FileExists(controllersFile))
        {
            // E.g. a container whose cgroup2 mount is its own subtree while /proc/self/cgroup shows the host path.
            return (null, $"{controllersFile} does not exist");
        }

        // cpu is optional: CPU time comes from cpu.stat, which every cgroup has; only the cpu.max share needs it.
        var offered = fs.Read(controllersFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var missing = V2Needed.Except(offered).ToList();
        var type = Path.Combine(dir, "cgroup.type");
        if (missing.Count > 0)
        {
            return (null, $"{dir} is offered [{string.Join(' ', offered)}], lacks [{string.Join(' ', missing)}]");
        }

        if (fs.FileExists(type) && fs.Read(type).Trim() != "domain")
        {
            // Threaded or invalid cgroups cannot host memory-limited domain children.
            return (null, $"{dir} has cgroup.type '{fs.Read(type).Trim()}', not 'domain'");
        }

        return CgroupV2Ownership.Resolve(mount.MountPoint, ownPath, options, fs);
    }

    private static (IReadOnlyDictionary<string, string>? Dirs, string Reason) FindV1(
        IReadOnlyList<CgroupMount> mounts, IReadOnlyDictionary<string, string> own, CgroupFs fs)
    {
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var controller in V1Needed.Append("cpu"))
        {
            var mount = mounts.FirstOrDefault(m => !m.IsV2 && m.Controllers.Contains(controller));
            var dir = mount is not null && own.TryGetValue(controller, out var path) ? CgroupHostText.Join(mount.MountPoint, path) : null;
            if (dir is not null && fs.DirectoryExists(dir))
            {
                dirs[controller] = dir;
                continue;
            }

            var problem = mount is null ? $"no v1 {controller} hierarchy mounted"
                : dir is null ? $"no {controller} line in /proc/self/cgroup"
                : $"own {controller} cgroup {dir} does not exist";

            // cpu (the CFS quota) is optional on v1: cpuacct accounting is what the CPU-time limit needs.
            if (controller != "cpu")
            {
                problems.Add(problem);
            }
        }

        return problems.Count == 0 ? (dirs, "") : (null, string.Join("; ", problems));
    }
}
