using System.Runtime.InteropServices;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Warm sandboxes start at a lower CPU priority, so refilling the pool never takes CPU from programs that are running;
/// at dispatch every thread of the sandbox goes back to normal priority before its program runs (nice is per thread on
/// Linux, and node has started a dozen by then). Root with CAP_SYS_NICE may raise any process's priority.
/// </summary>
internal static partial class Niceness
{
    /// <summary>The nice value idle warm sandboxes start with.</summary>
    public const int Idle = 10;

    private const int PrioProcess = 0;

    /// <summary>Sets one process's (its main thread's) nice value; children it forks afterwards inherit it.</summary>
    public static void Set(int pid, int nice) => _ = SetPriority(PrioProcess, pid, nice);

    /// <summary>Every thread of every process in <paramref name="pids"/> back to nice 0.</summary>
    /// <exception cref="IOException">A live thread kept its lower priority.</exception>
    public static void Reset(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            IEnumerable<string> threads;
            try
            {
                threads = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }

            foreach (var thread in threads)
            {
                // ESRCH: the thread ended meanwhile.
                if (int.TryParse(Path.GetFileName(thread), out var tid) && SetPriority(PrioProcess, tid, 0) != 0
                    && Marshal.GetLastPInvokeError() is var errno and not 3)
                {
                    throw new IOException($"setpriority({tid}, 0) failed: errno {errno}");
                }
            }
        }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int prio);
}
