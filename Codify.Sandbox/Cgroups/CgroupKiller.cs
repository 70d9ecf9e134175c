using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Codify.Sandbox.Cgroups;

/// <summary>SIGKILLs every process listed in a run's cgroup.procs files until they are all empty (bounded).</summary>
internal static class CgroupKiller
{
    private const int SigKill = 9;
    private const int Esrch = 3;
    private const int Enosys = 38;

    /// <summary>Returns whether every file became empty before the timeout.</summary>
    public static bool KillUntilEmpty(CgroupFs fs, IReadOnlyList<string> procsFiles, string cgroupSuffix, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var pause = 1;
        while (true)
        {
            var pids = procsFiles.SelectMany(fs.ReadPids).Distinct().ToList();
            if (pids.Count == 0)
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            // A fork racing the kill shows up in the next round; the pids limit bounds how many rounds that takes.
            foreach (var pid in pids)
            {
                Kill(pid, cgroupSuffix);
            }

            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 20);
        }
    }

    /// <summary>One SIGKILL to every process listed now; whatever forks meanwhile is left to <see cref="KillUntilEmpty"/>.</summary>
    public static void KillOnce(CgroupFs fs, IReadOnlyList<string> procsFiles, string cgroupSuffix)
    {
        foreach (var pid in procsFiles.SelectMany(fs.ReadPids).Distinct())
        {
            Kill(pid, cgroupSuffix);
        }
    }

    /// <summary>
    /// Kills pid only if, through a pidfd, it is still the process in our cgroup: a pid that exited and was reused by an
    /// unrelated host process between reading cgroup.procs and signalling must not be killed.
    /// </summary>
    private static void Kill(int pid, string cgroupSuffix)
    {
        var pidfd = OpenPidfd(pid, out var errno);
        if (pidfd < 0)
        {
            if (errno == Esrch)
            {
                return;
            }

            // Kernels before 5.3 (or glibc before 2.36) have no pidfds: kill(2) after the same membership check,
            // with a tiny pid-reuse window left.
            if (InCgroup(pid, cgroupSuffix))
            {
                _ = SysKill(pid, SigKill);
            }

            return;
        }

        try
        {
            // The pidfd pins the process it was opened for; if pid now names another process the signal fails with ESRCH.
            if (InCgroup(pid, cgroupSuffix))
            {
                _ = PidfdSendSignal(pidfd, SigKill, IntPtr.Zero, 0);
            }
        }
        finally
        {
            _ = Close(pidfd);
        }
    }

    private static int OpenPidfd(int pid, out int errno)
    {
        try
        {
            var fd = PidfdOpen(pid, 0);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd;
        }
        catch (EntryPointNotFoundException)
        {
            errno = Enosys;
            return -1;
        }
    }

    private static bool InCgroup(int pid, string cgroupSuffix)
    {
        try
        {
            // Lines are "id:controllers:path"; the run's unique "/codify/<run>" suffix identifies our cgroup in any hierarchy.
            return File.ReadLines($"/proc/{pid}/cgroup").Any(line => line.EndsWith(cgroupSuffix, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int PidfdOpen(int pid, uint flags);

    [DllImport("libc", EntryPoint = "pidfd_send_signal", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int PidfdSendSignal(int pidfd, int sig, IntPtr info, uint flags);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SysKill(int pid, int sig);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
