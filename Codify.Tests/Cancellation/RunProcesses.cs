using Codify.Tests.Sandbox.Cgroups;

namespace Codify.Tests.Cancellation;

/// <summary>
/// The host processes of one execution. A cold run's cgroup is named after it (run-&lt;id&gt;-&lt;guid&gt;); a warm run's
/// keeps its pool name (cgroup v2 has no rename), but its run folder is renamed after the execution (&lt;id&gt;-&lt;guid&gt;)
/// and the sandbox's mounts show that name (/proc/PID/mountinfo follows renames). So: the processes in a cgroup named after
/// the execution, plus every process sharing a cgroup with one whose mounts name the run folder.
/// </summary>
internal static class RunProcesses
{
    /// <summary>Live (not zombie) host pids sitting in the execution's run cgroup, with their command lines.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Of(string executionId)
    {
        var cgroupMarker = $"/run-{executionId}-";
        var folderMarker = $"/{executionId}-";
        var processes = Snapshot();
        var runCgroups = processes
            .Where(p => p.Cgroup.Contains(cgroupMarker, StringComparison.Ordinal) || p.MountInfo.Contains(folderMarker, StringComparison.Ordinal))
            .Select(p => p.Cgroup)
            .ToHashSet(StringComparer.Ordinal);
        return processes.Where(p => runCgroups.Contains(p.Cgroup) && CgroupTestProcesses.IsAlive(p.Pid))
            .Select(p => (p.Pid, p.CommandLine))
            .ToList();
    }

    private static List<(int Pid, string Cgroup, string MountInfo, string CommandLine)> Snapshot()
    {
        var found = new List<(int, string, string, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != Environment.ProcessId
                && TryRead(Path.Combine(dir, "cgroup")) is { } cgroup)
            {
                // A sandboxed process's mountinfo may be unreadable (not dumpable): its cgroup still ties it to the run.
                found.Add((pid, cgroup, TryRead(Path.Combine(dir, "mountinfo")) ?? "",
                    (TryRead(Path.Combine(dir, "cmdline")) ?? "").Replace('\0', ' ')));
            }
        }

        return found;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Exited while we looked, or not ours to read.
            return null;
        }
    }
}
