using System.Globalization;

namespace Codify.Benchmarks;

/// <summary>
/// CPU time of the sandboxes (cold, warm and forked runs, the fork servers, session kernels): every one lives in a cgroup
/// below its Sandbox replica's own parent, &lt;the Sandbox's cgroup&gt;/&lt;Cgroups:ParentName&gt;-&lt;replica tag&gt;, whose CPU
/// accounting includes its children's. Only parents of the given name that appeared after this meter was made count: those
/// of the replicas the benchmark started, not those of earlier or unrelated ones on the same machine (the end-to-end
/// benchmark gives its Sandbox a parent name of its own, <see cref="EndToEnd.Services.CgroupParentName"/>, for that).
/// </summary>
public sealed class SandboxCgroupCpu
{
    private readonly string _root;
    private readonly bool _v2;
    private readonly HashSet<string> _before;
    private readonly string _pattern;

    /// <param name="anyServicePid">A process in the cgroup the Sandbox will run in (it inherits its starter's).</param>
    /// <param name="parentName">The Sandbox's Cgroups:ParentName (its product default: codify).</param>
    public SandboxCgroupCpu(int anyServicePid, string parentName = "codify")
    {
        _pattern = parentName + "-*";
        (_root, _v2) = Root(anyServicePid);
        _before = [.. Parents()];
    }

    public double Ms() => Parents().Where(dir => !_before.Contains(dir)).Sum(dir => _v2
        ? CpuStatUsec(Path.Join(dir, "cpu.stat")) / 1e3
        : ReadLong(Path.Join(dir, "cpuacct.usage")) / 1e6);

    private IEnumerable<string> Parents() =>
        Directory.Exists(_root) ? Directory.EnumerateDirectories(_root, _pattern) : [];

    private static (string Root, bool V2) Root(int pid)
    {
        foreach (var line in File.ReadAllLines($"/proc/{pid}/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts[1].Split(',').Contains("cpuacct"))
            {
                return (Path.Join("/sys/fs/cgroup", parts[1], parts[2]), false);
            }

            if (parts[0] == "0" && parts[1].Length == 0 && File.Exists("/sys/fs/cgroup/cgroup.controllers"))
            {
                return (Path.Join("/sys/fs/cgroup", parts[2]), true);
            }
        }

        return ("", false);
    }

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
