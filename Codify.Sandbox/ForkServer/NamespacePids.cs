using System.Globalization;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// Translates pids the fork server reports (in its own pid namespace) to host pids. The kernel lists every pid of a
/// process, outermost first, on the NSpid line of /proc/PID/status; the server's namespace is the second level.
/// Only processes of the server's own cgroup are considered: a pid the server names can never point the host elsewhere.
/// </summary>
internal static class NamespacePids
{
    /// <exception cref="IOException">A pid was not found among <paramref name="candidates"/>.</exception>
    public static IReadOnlyList<int> Translate(IReadOnlyList<int> candidates, IReadOnlyList<int> serverPids)
    {
        var byServerPid = new Dictionary<int, int>();
        foreach (var hostPid in candidates)
        {
            if (ServerLevelPid(ReadStatus(hostPid)) is { } inServer)
            {
                byServerPid[inServer] = hostPid;
            }
        }

        return serverPids.Select(p => byServerPid.TryGetValue(p, out var host) ? host
            : throw new IOException($"process {p} of the fork server is not in its cgroup")).ToList();
    }

    /// <summary>The second NSpid entry (the pid one namespace below the host's), or null.</summary>
    internal static int? ServerLevelPid(string? status)
    {
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
        var fields = line?["NSpid:".Length..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: >= 2 } ? int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    private static string? ReadStatus(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/status");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
