using System.Collections.Concurrent;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Tests.Sandbox.Cgroups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sessions;

/// <summary>
/// What a session holds on the host: processes in its cgroup, its cgroup folders, its run folder. A kernel started for the
/// session names both session-&lt;id&gt;-&lt;guid&gt;; a pooled kernel's cgroup keeps its pool name (kernel-&lt;language&gt;-&lt;guid&gt;)
/// and only its folder is renamed at handover: <see cref="Remember"/> learns that cgroup from the session's live processes
/// (found by their mounts of the session's folder), so the checks below cover both.
/// </summary>
internal static class SessionLeftovers
{
    private static readonly ConcurrentDictionary<string, string[]> KernelCgroups = new();

    /// <summary>Notes the cgroup names of the session's kernel while it lives (call right after creating the session).</summary>
    public static void Remember(string sessionId)
    {
        var names = Live(sessionId).SelectMany(p => CgroupLeaves(p.Cgroups)).Where(n => !n.StartsWith($"session-{sessionId}-", StringComparison.Ordinal))
            .Distinct().ToArray();
        KernelCgroups.AddOrUpdate(sessionId, names, (_, known) => [.. known.Union(names)]);
    }

    public static IReadOnlyList<int> Processes(string sessionId)
    {
        var markers = Markers(sessionId).Select(m => $"/{m}").ToList();
        return [.. Live(sessionId, markers).Select(p => p.Pid)];
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
        var lives = driver.ParentDirs(parent).Select(Path.GetDirectoryName).Append(Path.GetDirectoryName(runRoot))
            .OfType<string>().Where(Directory.Exists).SelectMany(d => Directory.EnumerateDirectories(d));
        return [.. lives.SelectMany(life => Markers(sessionId).SelectMany(m => Directory.EnumerateDirectories(life, $"{m}*")))];
    }

    /// <summary>Every trace of the session on the host: its processes, then its folders.</summary>
    public static IReadOnlyList<string> All(IServiceProvider sandbox, string sessionId) =>
        [.. Processes(sessionId).Select(p => $"pid {p}"), .. Folders(sandbox, sessionId)];

    private static IEnumerable<string> Markers(string sessionId) =>
        [$"session-{sessionId}-", .. KernelCgroups.GetValueOrDefault(sessionId) ?? []];

    private static IEnumerable<string> CgroupLeaves(string cgroups) =>
        cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[(line.LastIndexOf('/') + 1)..])
            .Where(n => n.StartsWith("kernel-", StringComparison.Ordinal) || n.StartsWith("session-", StringComparison.Ordinal));

    /// <summary>Live processes in one of the session's cgroups (<paramref name="cgroupMarkers"/>), or mounting its folder.</summary>
    private static List<(int Pid, string Cgroups)> Live(string sessionId, IReadOnlyList<string>? cgroupMarkers = null)
    {
        var folder = $"/session-{sessionId}-";
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                var cgroups = File.ReadAllText(Path.Combine(dir, "cgroup"));
                var ours = cgroupMarkers?.Any(m => cgroups.Contains(m, StringComparison.Ordinal)) == true
                    || File.ReadAllText(Path.Combine(dir, "mountinfo")).Contains(folder, StringComparison.Ordinal);
                if (ours && CgroupTestProcesses.IsAlive(pid))
                {
                    found.Add((pid, cgroups));
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
