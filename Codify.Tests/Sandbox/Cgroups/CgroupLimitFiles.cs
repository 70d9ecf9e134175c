namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>A run's memory limit file under either driver: v1 memory.limit_in_bytes, v2 memory.max.</summary>
internal static class CgroupLimitFiles
{
    public static string MemoryLimit(IEnumerable<string> procsFiles) =>
        procsFiles.Select(f => Path.GetDirectoryName(f)!)
            .SelectMany(d => new[] { Path.Combine(d, "memory.limit_in_bytes"), Path.Combine(d, "memory.max") })
            .Single(File.Exists);

    public static string PidsLimit(IEnumerable<string> procsFiles) =>
        procsFiles.Select(f => Path.Combine(Path.GetDirectoryName(f)!, "pids.max")).Single(File.Exists);
}
