using System.Globalization;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// CPU time used, by who: the API, the Sandbox service, Redis (their own threads, from /proc/pid/stat), the sandboxes
/// (<see cref="SandboxCgroupCpu"/>), and this benchmark (its own
/// threads, and separately its raw interpreter children). Unaffected by other load on the machine.
/// </summary>
public sealed class CpuMeter(Services services)
{
    private readonly SandboxCgroupCpu _sandboxes = new(services.ApiPid, Services.CgroupParentName);

    private static readonly double TickMs = 1000.0 / 100; // USER_HZ is 100 on Linux.

    public static readonly string[] Parts = ["api", "sandbox service", "redis", "sandboxes", "client"];

    public Dictionary<string, double> Snapshot() => new()
    {
        ["api"] = ProcessMs(services.ApiPid),
        ["sandbox service"] = ProcessMs(services.SandboxPid),
        ["redis"] = ProcessMs(services.RedisPid),
        ["sandboxes"] = _sandboxes.Ms(),
        ["client"] = ProcessMs(Environment.ProcessId),
        ["raw children"] = ChildrenMs(Environment.ProcessId),
    };

    public static Dictionary<string, double> PerRequest(Dictionary<string, double> before, Dictionary<string, double> after, int requests) =>
        after.ToDictionary(a => a.Key, a => (a.Value - before[a.Key]) / requests);

    private static string[] Stat(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces) start at field 3 (state).
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static double ProcessMs(int pid)
    {
        var f = Stat(pid);
        return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) * TickMs;
    }

    private static double ChildrenMs(int pid)
    {
        var f = Stat(pid);
        return (long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture)) * TickMs;
    }
}
