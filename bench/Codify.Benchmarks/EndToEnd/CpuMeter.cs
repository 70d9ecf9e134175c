using System.Globalization;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// CPU time used, by who: the API, the Sandbox service, Redis (their own threads, from /proc/pid/stat), the sandboxes
/// (the Sandbox's run cgroups, warm or cold, from their parent cgroup's CPU accounting), and this benchmark (its own
/// threads, and separately its raw interpreter children). Unaffected by other load on the machine.
/// </summary>
public sealed class CpuMeter(Services services)
{
    private static readonly double TickMs = 1000.0 / 100; // USER_HZ is 100 on Linux.

    public static readonly string[] Parts = ["api", "sandbox service", "redis", "sandboxes", "client"];

    public Dictionary<string, double> Snapshot() => new()
    {
        ["api"] = ProcessMs(services.ApiPid),
        ["sandbox service"] = ProcessMs(services.SandboxPid),
        ["redis"] = ProcessMs(services.RedisPid),
        ["sandboxes"] = SandboxesMs(services.SandboxPid),
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

    /// <summary>
    /// Every run's cgroup (cold, warm, forked, and the fork servers') lives below &lt;Sandbox's own cgroup&gt;/codify-&lt;replica
    /// tag&gt;, whose CPU accounting includes its children's. Summed over every codify* parent: the tag is the Sandbox's
    /// own, and parents left by earlier replicas no longer change.
    /// </summary>
    private static double SandboxesMs(int sandboxPid)
    {
        foreach (var line in File.ReadAllLines($"/proc/{sandboxPid}/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts[1].Split(',').Contains("cpuacct"))
            {
                return Parents(Path.Join("/sys/fs/cgroup", parts[1], parts[2])).Sum(dir => ReadLong(Path.Join(dir, "cpuacct.usage")) / 1e6);
            }

            if (parts[0] == "0" && parts[1].Length == 0 && Directory.Exists(Path.Join("/sys/fs/cgroup", parts[2])))
            {
                return Parents(Path.Join("/sys/fs/cgroup", parts[2])).Sum(dir => CpuStatUsec(Path.Join(dir, "cpu.stat")) / 1e3);
            }
        }

        return 0;
    }

    private static IEnumerable<string> Parents(string own) =>
        Directory.Exists(own) ? Directory.EnumerateDirectories(own, "codify*") : [];

    private static long ReadLong(string file)
    {
        try
        {
            return long.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // removed while read
        }
    }

    private static long CpuStatUsec(string file)
    {
        try
        {
            var usage = File.ReadLines(file).First(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
            return long.Parse(usage.Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
