using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>What the numbers were measured on: CPU, cores, memory, kernel, OS, runtimes, and the load at the start.</summary>
public static class MachineInfo
{
    public static IReadOnlyList<(string Name, string Value)> Describe() =>
    [
        ("CPU", CpuModel()),
        ("Cores", $"{Environment.ProcessorCount}"),
        ("Memory", $"{MemTotalGiB():F1} GiB"),
        ("Kernel", Read("/proc/sys/kernel/osrelease").Trim()),
        ("OS", OsName()),
        ("cgroups", Directory.Exists("/sys/fs/cgroup/memory") ? "v1" : "v2"),
        ("python3", Version("/usr/bin/python3", "--version")),
        ("node", Version("/usr/bin/node", "--version")),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("Load average at start", Read("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => $"{a} {b}")),
    ];

    private static string CpuModel() =>
        Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    private static double MemTotalGiB()
    {
        var line = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) ?? "MemTotal: 0 kB";
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / (1024 * 1024);
    }

    private static string OsName() =>
        Read("/etc/os-release").Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "unknown";

    private static string Version(string file, string arg)
    {
        var start = new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
