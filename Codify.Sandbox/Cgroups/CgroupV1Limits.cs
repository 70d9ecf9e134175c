using System.Globalization;

namespace Codify.Sandbox.Cgroups;

/// <summary>The v1 limit writes, shared by a fresh run's cgroup and a pooled one re-targeted at dispatch.</summary>
internal static class CgroupV1Limits
{
    private const string MemoryLimit = "memory.limit_in_bytes";
    private const string MemorySwapLimit = "memory.memsw.limit_in_bytes";

    public static void Memory(CgroupFs fs, string dir, long bytes, string swapsPath)
    {
        var value = bytes.ToString(CultureInfo.InvariantCulture);
        if (!fs.FileExists(Path.Combine(dir, MemorySwapLimit)))
        {
            // Without swap accounting an active swap would let a run exceed its limit: refuse (boot with swapaccount=1).
            // No memsw file and no swap on this host (like these VMs): there is nothing to page out to.
            if (fs.SwapActive(swapsPath))
            {
                throw new CgroupException($"swap is active but {dir} has no {MemorySwapLimit}: swap cannot be limited");
            }

            // A run that allocates past its limit is OOM-killed instead of starving the host.
            fs.SetLimit(dir, MemoryLimit, value);
            return;
        }

        // memory+swap equal to memory: a run cannot page out to swap to get past its memory limit. The kernel refuses a
        // memsw limit below the memory limit, so raising writes memsw first and lowering writes memory first.
        if (bytes > fs.ReadLong(Path.Combine(dir, MemoryLimit)))
        {
            fs.SetLimit(dir, MemorySwapLimit, value);
            fs.SetLimit(dir, MemoryLimit, value);
        }
        else
        {
            fs.SetLimit(dir, MemoryLimit, value);
            fs.SetLimit(dir, MemorySwapLimit, value);
        }
    }

    /// <summary>A fork bomb stops at the pids limit instead of exhausting the host's process table.</summary>
    public static void Pids(CgroupFs fs, string dir, int processes) =>
        fs.SetLimit(dir, "pids.max", processes.ToString(CultureInfo.InvariantCulture));
}
