using System.Globalization;

namespace Codify.Sandbox.Supervision;

/// <summary>
/// When a run's CPU counter is next worth reading. A cgroup's CPU time grows at most as fast as the wall clock times the
/// CPUs its processes can run on, so until (limit - used) / CPUs of wall time has passed the limit cannot have been
/// reached: a short run (most runs) is never polled, and near its limit a run is read every <see cref="MinInterval"/>,
/// so an overrun is caught as soon as with a fixed poll (it was a 50 ms timer and a cgroup read per run per 50 ms).
/// </summary>
internal static class CpuPace
{
    /// <summary>The shortest gap between two reads: a CPU-limit overrun lasts at most this long (times the CPUs).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Every CPU online, not only those this service may use: a program can widen its own affinity within its cpuset, and
    /// counting too few CPUs would let it pass its limit unseen for longer (too many only means an earlier read).
    /// </summary>
    public static int Cpus { get; } = Math.Max(Environment.ProcessorCount, OnlineCpus());

    /// <summary>The wait before the next read, given the limit and the CPU time the last read found (both ms).</summary>
    public static TimeSpan NextRead(long limitMs, long usedMs) =>
        TimeSpan.FromMilliseconds(Math.Max(MinInterval.TotalMilliseconds, (limitMs - usedMs) / (double)Cpus));

    /// <summary>The count in /sys/devices/system/cpu/online ("0-3,6"); 0 when it cannot be read.</summary>
    internal static int OnlineCpus(string path = "/sys/devices/system/cpu/online")
    {
        try
        {
            return File.ReadAllText(path).Trim().Split(',', StringSplitOptions.RemoveEmptyEntries).Sum(range =>
                range.Split('-') is [var first, var last]
                    ? int.Parse(last, CultureInfo.InvariantCulture) - int.Parse(first, CultureInfo.InvariantCulture) + 1
                    : 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
