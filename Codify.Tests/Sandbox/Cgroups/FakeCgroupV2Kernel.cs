using Codify.Sandbox.Cgroups;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>
/// A cgroup v2 tree in a temp folder whose file operations behave like the kernel's where the driver depends on it, and
/// refuse what the kernel refuses (Documentation/admin-guide/cgroup-v2.rst): mkdir fills in the interface files of the
/// controllers the parent enables (and enabling one later adds them to existing children); "+controller" only when the
/// parent enabled it (ENOENT); subtree_control and a pid written into cgroup.procs obey the "no internal processes" rule
/// (EBUSY); rmdir refuses a cgroup with processes or children (EBUSY); a read-only mount refuses every change (EROFS);
/// cgroup.kill empties the cgroup. There is no rename: the drivers have none (the kernel answers EPERM).
/// Extended attributes (systemd's trusted.delegate mark) are kept in memory.
/// </summary>
internal sealed class FakeCgroupV2Kernel : CgroupFs, IDisposable
{
    private readonly Dictionary<(string Dir, string Name), string> _xattrs = [];

    /// <param name="ownPath">This process's cgroup (as /proc/self/cgroup names it, without the leading slash).</param>
    /// <param name="ownProcs">The processes in it.</param>
    /// <param name="delegated">Whether systemd marked it delegated (a unit with Delegate=yes).</param>
    /// <param name="controllers">What the ancestors enable down to it (older systemd delegates only memory and pids).</param>
    public FakeCgroupV2Kernel(
        string ownPath = "system.slice/codify.service", string ownProcs = "4242\n", bool delegated = true, string controllers = "cpu io memory pids")
    {
        Root = Path.Combine(Path.GetTempPath(), $"fake-cgroup2-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        File.WriteAllText(Path.Combine(Root, "cgroup.subtree_control"), controllers + "\n");
        File.WriteAllText(Path.Combine(Root, "cgroup.procs"), "1\n");
        var dir = Root;
        foreach (var segment in ownPath.Split('/'))
        {
            if (dir != Root)
            {
                // Ancestors (systemd's slices) delegate the controllers down to the service's cgroup.
                File.WriteAllText(Path.Combine(dir, "cgroup.subtree_control"), controllers + "\n");
            }

            dir = Path.Combine(dir, segment);
            CreateDirectory(dir);
        }

        OwnDir = dir;
        File.WriteAllText(Path.Combine(OwnDir, "cgroup.procs"), ownProcs);
        if (delegated)
        {
            MarkDelegated(OwnDir);
        }

        SwapsFile = Path.Combine(Root, "swaps");
        File.WriteAllText(SwapsFile, "Filename\tType\tSize\tUsed\tPriority\n");
    }

    public string Root { get; }

    public string OwnDir { get; }

    /// <summary>A fake /proc/swaps; by default the host has no swap.</summary>
    public string SwapsFile { get; }

    /// <summary>Emulates a kernel without swap accounting (no memory.swap.max).</summary>
    public bool SwapAccounting { get; set; } = true;

    /// <summary>Emulates a kernel before 5.19 (no memory.peak).</summary>
    public bool HasMemoryPeak { get; set; } = true;

    /// <summary>Emulates a container's default read-only cgroupfs: every change fails with EROFS.</summary>
    public bool ReadOnly { get; set; }

    public static string Mounts => MountsText(readOnly: false);

    public static string MountsText(bool readOnly) => "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
        + $"cgroup2 /sys/fs/cgroup cgroup2 {(readOnly ? "ro" : "rw")},nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0\n";

    /// <summary>What systemd does for a unit with Delegate=yes.</summary>
    public void MarkDelegated(string dir) => _xattrs[(dir, "trusted.delegate")] = "1";

    public override string? ReadXattr(string path, string name) =>
        _xattrs.GetValueOrDefault((Path.TrimEndingDirectorySeparator(path), name));

    public string SelfCgroup => SelfCgroupOf(OwnDir);

    /// <summary>/proc/self/cgroup of a process in <paramref name="dir"/>.</summary>
    public string SelfCgroupOf(string dir) => Path.GetRelativePath(Root, dir) is var relative && relative == "." ? "0::/\n" : $"0::/{relative}\n";

    public override void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        RefuseIfReadOnly();
        Directory.CreateDirectory(path);
        Put(path, "cgroup.subtree_control", "");
        Put(path, "cgroup.procs", "");
        Put(path, "cgroup.type", "domain\n");
        Put(path, "cgroup.kill", "");
        Put(path, "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
        AddControllerFiles(path, Words(Path.Combine(Path.GetDirectoryName(path)!, "cgroup.subtree_control")));
    }

    /// <summary>What the kernel shows in a child once its parent enables <paramref name="delegated"/> for it.</summary>
    private void AddControllerFiles(string path, HashSet<string> delegated)
    {
        Put(path, "cgroup.controllers", string.Join(' ', delegated.Order(StringComparer.Ordinal)) + "\n");
        if (delegated.Contains("memory") && !File.Exists(Path.Combine(path, "memory.max")))
        {
            Put(path, "memory.max", "max\n");
            Put(path, "memory.current", "0\n");
            Put(path, "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
            Put(path, "memory.oom.group", "0\n");
            PutIf(SwapAccounting, path, "memory.swap.max", "max\n");
            PutIf(HasMemoryPeak, path, "memory.peak", "0\n");
        }

        PutIf(delegated.Contains("pids") && !File.Exists(Path.Combine(path, "pids.max")), path, "pids.max", "max\n");
        PutIf(delegated.Contains("pids") && !File.Exists(Path.Combine(path, "pids.current")), path, "pids.current", "0\n");
        PutIf(delegated.Contains("cpu") && !File.Exists(Path.Combine(path, "cpu.max")), path, "cpu.max", "max 100000\n");
    }

    public override void RemoveDirectory(string path)
    {
        RefuseIfReadOnly();
        if (Directory.EnumerateDirectories(path).Any() || File.ReadAllText(Path.Combine(path, "cgroup.procs")).Trim().Length > 0)
        {
            throw new IOException("Device or resource busy");
        }

        Directory.Delete(path, recursive: true);
    }

    public override void Write(string path, string value)
    {
        RefuseIfReadOnly();
        var dir = Path.GetDirectoryName(path)!;
        switch (Path.GetFileName(path))
        {
            case "cgroup.subtree_control":
                EnableForChildren(dir, path, value);
                break;
            case "cgroup.procs":
                if (IsInner(dir) && Words(Path.Combine(dir, "cgroup.subtree_control")).Count > 0)
                {
                    throw new IOException("Device or resource busy"); // no internal processes: a cgroup that enables controllers holds none
                }

                foreach (var procs in Directory.EnumerateFiles(Root, "cgroup.procs", SearchOption.AllDirectories))
                {
                    File.WriteAllLines(procs, File.ReadAllLines(procs).Where(p => p != value.Trim()));
                }

                File.AppendAllText(path, value.Trim() + "\n");
                break;
            case "cgroup.kill":
                base.Write(path, value);
                File.WriteAllText(Path.Combine(dir, "cgroup.procs"), "");
                break;
            default:
                base.Write(path, value);
                break;
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Not the root (the root alone may hold processes and enable controllers at once).</summary>
    private static bool IsInner(string dir) => File.Exists(Path.Combine(dir, "cgroup.type"));

    private void EnableForChildren(string dir, string path, string value)
    {
        // Only what the parent enabled for this cgroup (its cgroup.controllers) can be enabled here: top-down.
        var offered = Words(Path.Combine(dir, "cgroup.controllers"));
        var enabled = Words(path);
        foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!offered.Contains(token[1..]))
            {
                throw new IOException("No such file or directory"); // the whole write fails, nothing of it applied
            }

            _ = token[0] == '+' ? enabled.Add(token[1..]) : enabled.Remove(token[1..]);
        }

        if (IsInner(dir) && File.ReadAllText(Path.Combine(dir, "cgroup.procs")).Trim().Length > 0)
        {
            throw new IOException("Device or resource busy"); // no internal processes
        }

        base.Write(path, string.Join(' ', enabled.Order(StringComparer.Ordinal)) + "\n");
        foreach (var child in Directory.EnumerateDirectories(dir))
        {
            AddControllerFiles(child, enabled);
        }
    }

    private void RefuseIfReadOnly()
    {
        if (ReadOnly)
        {
            throw new IOException("Read-only file system");
        }
    }

    private static HashSet<string> Words(string file) =>
        File.ReadAllText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static void Put(string dir, string file, string content) => File.WriteAllText(Path.Combine(dir, file), content);

    private static void PutIf(bool condition, string dir, string file, string content)
    {
        if (condition)
        {
            Put(dir, file, content);
        }
    }
}
