using Codify.Tests.Sandbox.Cgroups;

namespace Codify.Tests.Cancellation;

/// <summary>The host processes of one execution: those in a cgroup the Sandbox named after it (run-&lt;id&gt;-&lt;guid&gt;).</summary>
internal static class RunProcesses
{
    /// <summary>Live (not zombie) host pids sitting in the execution's run cgroup, with their command lines.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Of(string executionId)
    {
        var marker = $"/run-{executionId}-";
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cgroup")).Contains(marker, StringComparison.Ordinal) && CgroupTestProcesses.IsAlive(pid))
                {
                    found.Add((pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }

        return found;
    }
}
