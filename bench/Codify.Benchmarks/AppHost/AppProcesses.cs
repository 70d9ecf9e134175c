using System.Globalization;

namespace Codify.Benchmarks.AppHost;

/// <summary>
/// The processes of one AppHost run, by component: the AppHost itself, the orchestrator (dcp, which re-parents itself
/// to init and names the AppHost it monitors) and everything they started (dashboard, redis-server, the services and
/// the `dotnet run` wrappers the orchestrator starts them through). CPU from /proc/pid/stat, per live process.
/// </summary>
public static class AppProcesses
{
    private const double TickMs = 1000.0 / 100; // USER_HZ is 100 on Linux.

    /// <summary>CPU milliseconds so far, by component.</summary>
    public static Dictionary<string, double> CpuMs(int appHostPid)
    {
        var all = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(Read)
            .OfType<Proc>()
            .ToList();
        var roots = all.Where(p => p.Pid == appHostPid || (p.Name == "dcp" && p.Args.Contains($"--monitor {appHostPid}", StringComparison.Ordinal)));
        var ours = new HashSet<int>(roots.Select(p => p.Pid));
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var p in all.Where(p => !ours.Contains(p.Pid) && ours.Contains(p.Parent)))
            {
                grew |= ours.Add(p.Pid);
            }
        }

        // A run's processes are counted by their cgroups (SandboxCgroupCpu), not twice here.
        return all.Where(p => ours.Contains(p.Pid) && !InRunCgroup(p.Pid))
            .GroupBy(p => Component(p, appHostPid))
            .ToDictionary(g => g.Key, g => g.Sum(p => p.CpuMs));
    }

    private static string Component(Proc p, int appHostPid) => p switch
    {
        { Pid: var pid } when pid == appHostPid => "apphost",
        { Name: "dcp" } => "orchestrator (dcp)",
        { Name: "Aspire.Dashboar" } => "dashboard",
        { Name: "redis-server" } => "redis",
        { Name: "Codify.Executio" } => "api",
        { Name: "Codify.Sandbox" } => "sandbox services",
        { Name: "dotnet" } => "dotnet run wrappers",
        _ => "sandbox services", // a Sandbox's own helpers outside every run's cgroup
    };

    private static bool InRunCgroup(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cgroup").Contains("/codify-", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Proc? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            var cpu = (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) * TickMs;
            return new Proc(pid, int.Parse(f[1], CultureInfo.InvariantCulture), name, args, cpu);
        }
        catch (IOException)
        {
            return null; // exited while read
        }
    }

    private sealed record Proc(int Pid, int Parent, string Name, string Args, double CpuMs);
}
