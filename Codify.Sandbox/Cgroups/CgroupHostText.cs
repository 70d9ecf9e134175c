using System.Text;

namespace Codify.Sandbox.Cgroups;

/// <summary>A cgroup filesystem mount: v1 (with the controllers it carries) or v2.</summary>
internal sealed record CgroupMount(string MountPoint, bool IsV2, IReadOnlySet<string> Controllers);

/// <summary>Parses /proc/self/mounts and /proc/self/cgroup.</summary>
internal static class CgroupHostText
{
    private const string KernelRoot = "/sys/fs/cgroup";

    /// <summary>cgroup and cgroup2 mounts; mount points under /sys/fs/cgroup are re-rooted at <paramref name="root"/>.</summary>
    public static IReadOnlyList<CgroupMount> Mounts(string mountsText, string root)
    {
        var mounts = new List<CgroupMount>();
        foreach (var line in mountsText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length < 4 || fields[2] is not ("cgroup" or "cgroup2"))
            {
                continue;
            }

            var options = fields[3].Split(',').ToHashSet(StringComparer.Ordinal);
            mounts.Add(new CgroupMount(Rebase(Unescape(fields[1]), root), fields[2] == "cgroup2", options));
        }

        return mounts;
    }

    /// <summary>
    /// This process's cgroup path per v1 controller (key = controller, e.g. "memory") and for v2 (key = "").
    /// Named hierarchies ("name=systemd") keep their "name=" key and are never used.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OwnPaths(string selfCgroupText)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in selfCgroupText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(':', 3);
            if (fields.Length != 3)
            {
                continue;
            }

            foreach (var controller in fields[1].Split(','))
            {
                paths[controller] = fields[2];
            }
        }

        return paths;
    }

    /// <summary>The folder of a cgroup path inside a mount ("/a/b" below "/sys/fs/cgroup/memory").</summary>
    public static string Join(string mountPoint, string cgroupPath) =>
        cgroupPath.Trim('/').Length == 0 ? mountPoint : Path.Combine(mountPoint, cgroupPath.Trim('/'));

    private static string Rebase(string mountPoint, string root)
    {
        if (mountPoint == KernelRoot)
        {
            return root;
        }

        return mountPoint.StartsWith(KernelRoot + "/", StringComparison.Ordinal)
            ? Path.Combine(root, mountPoint[(KernelRoot.Length + 1)..])
            : mountPoint;
    }

    /// <summary>The kernel escapes space, tab, newline and backslash in mount points as \ooo octal.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }
}
