using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Tests.Sandbox.Cgroups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sessions;

/// <summary>What a session holds on the host: processes in its cgroup, its cgroup folders, its run folder (all named session-&lt;id&gt;-&lt;guid&gt;).</summary>
internal static class SessionLeftovers
{
    public static IReadOnlyList<int> Processes(string sessionId)
    {
        var marker = $"/session-{sessionId}-";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid)
                    && File.ReadAllText(Path.Combine(dir, "cgroup")).Contains(marker, StringComparison.Ordinal) && CgroupTestProcesses.IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }

        return found;
    }

    /// <summary>
    /// Cgroup folders and run folders of the session that still exist, under any Sandbox life on this host (a crashed
    /// replica's too): found beside the cgroup parent and run root of the Sandbox with these services.
    /// </summary>
    public static IReadOnlyList<string> Folders(IServiceProvider sandbox, string sessionId)
    {
        var driver = sandbox.GetRequiredService<ICgroupDriver>();
        var parent = sandbox.GetRequiredService<IOptions<CgroupOptions>>().Value.ParentName;
        var runRoot = sandbox.GetRequiredService<IOptions<IsolationOptions>>().Value.RunRoot;
        var pattern = $"session-{sessionId}-*";
        var lives = driver.ParentDirs(parent).Select(Path.GetDirectoryName).Append(Path.GetDirectoryName(runRoot))
            .OfType<string>().Where(Directory.Exists).SelectMany(d => Directory.EnumerateDirectories(d));
        return [.. lives.SelectMany(life => Directory.EnumerateDirectories(life, pattern))];
    }

    /// <summary>Every trace of the session on the host: its processes, then its folders.</summary>
    public static IReadOnlyList<string> All(IServiceProvider sandbox, string sessionId) =>
        [.. Processes(sessionId).Select(p => $"pid {p}"), .. Folders(sandbox, sessionId)];
}
