using Codify.Sandbox.Cgroups;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>
/// A cgroup v2 tree in a temp folder whose file operations behave like the kernel's where the driver depends on it:
/// mkdir fills in the interface files of the controllers the parent delegates, rmdir removes a cgroup that shows only
/// interface files but refuses one with processes or children (EBUSY), subtree_control obeys the "no internal processes"
/// rule, writing a pid to cgroup.procs moves it, and cgroup.kill empties the cgroup.
/// </summary>
internal sealed class FakeCgroupV2Kernel : CgroupFs, IDisposable
{
    public FakeCgroupV2Kernel(string ownPath = "system.slice/codify.service", string ownProcs = "4242\n")
    {
        Root = Path.Combine(Path.GetTempPath(), $"fake-cgroup2-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        File.WriteAllText(Path.Combine(Root, "cgroup.subtree_control"), "cpu io memory pids\n");
        File.WriteAllText(Path.Combine(Root, "cgroup.procs"), "1\n");
        var dir = Root;
        foreach (var segment in ownPath.Split('/'))
        {
            if (dir != Root)
            {
                // Ancestors (systemd's slices) delegate the controllers down to the service's cgroup.
                File.WriteAllText(Path.Combine(dir, "cgroup.subtree_control"), "cpu io memory pids\n");
            }

            dir = Path.Combine(dir, segment);
            CreateDirectory(dir);
        }

        OwnDir = dir;
        File.WriteAllText(Path.Combine(OwnDir, "cgroup.procs"), ownProcs);
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

    public static string Mounts => "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
        + "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0\n";

    public string SelfCgroup => $"0::/{Path.GetRelativePath(Root, OwnDir)}\n";

    public override void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(path);
        var delegated = Words(Path.Combine(Path.GetDirectoryName(path)!, "cgroup.subtree_control"));
        Put(path, "cgroup.controllers", string.Join(' ', delegated) + "\n");
        Put(path, "cgroup.subtree_control", "");
        Put(path, "cgroup.procs", "");
        Put(path, "cgroup.type", "domain\n");
        Put(path, "cgroup.kill", "");
        Put(path, "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
        if (delegated.Contains("memory"))
        {
            Put(path, "memory.max", "max\n");
            Put(path, "memory.current", "0\n");
            Put(path, "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
            Put(path, "memory.oom.group", "0\n");
            PutIf(SwapAccounting, path, "memory.swap.max", "max\n");
            PutIf(HasMemoryPeak, path, "memory.peak", "0\n");
        }

        PutIf(delegated.Contains("pids"), path, "pids.max", "max\n");
        PutIf(delegated.Contains("pids"), path, "pids.current", "0\n");
        PutIf(delegated.Contains("cpu"), path, "cpu.max", "max 100000\n");
    }

    public override void RemoveDirectory(string path)
    {
        if (Directory.EnumerateDirectories(path).Any() || File.ReadAllText(Path.Combine(path, "cgroup.procs")).Trim().Length > 0)
        {
            throw new IOException("Device or resource busy");
        }

        Directory.Delete(path, recursive: true);
    }

    public override void Write(string path, string value)
    {
        var dir = Path.GetDirectoryName(path)!;
        switch (Path.GetFileName(path))
        {
            case "cgroup.subtree_control":
                var offered = Words(Path.Combine(dir, "cgroup.controllers"));
                var enabled = Words(path);
                foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!offered.Contains(token[1..]))
                    {
                        throw new IOException("No such file or directory");
                    }

                    _ = token[0] == '+' ? enabled.Add(token[1..]) : enabled.Remove(token[1..]);
                }

                if (File.Exists(Path.Combine(dir, "cgroup.type")) && File.ReadAllText(Path.Combine(dir, "cgroup.procs")).Trim().Length > 0)
                {
                    throw new IOException("Device or resource busy"); // no internal processes
                }

                base.Write(path, string.Join(' ', enabled.Order(StringComparer.Ordinal)) + "\n");
                break;
            case "cgroup.procs":
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
