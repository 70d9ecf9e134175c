using System.Runtime.InteropServices;
using Codify.Contracts;

namespace Codify.Sandbox.Pool;

/// <summary>
/// Sets a run's rlimits on the processes of a warm sandbox at dispatch, before its program runs: exactly the values the
/// launch wrapper sets for a cold run (<see cref="Launch.LaunchCommand"/>): file size in whole 512-byte blocks, the per-process
/// CPU backstop with its slack, soft = hard. Warm sandboxes start with high hard limits, so this only ever lowers them.
/// <para>
/// prlimit(2) on another process needs CAP_SYS_RESOURCE or the target's real uid and gid, and hosts (like these VMs) may
/// withhold CAP_SYS_RESOURCE even from root. So the calling thread sets its own *real* uid and gid to the sandbox's host
/// uid for the calls and back right after, synchronously (no await in between, so nothing else runs on the thread), with
/// raw syscalls: they change this thread only, where glibc's wrappers would change every thread of the service. Its
/// effective uid stays root throughout, so its capabilities and file access never change. The sandbox cannot reach the
/// thread meanwhile: its pid namespace cannot name host threads.
/// </para>
/// </summary>
internal static class ProcessLimits
{
    private const int RlimitCpu = 0;
    private const int RlimitFsize = 1;
    private const int Esrch = 3;

    private static readonly (long SetResUid, long SetResGid)? Syscalls = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (117, 119),
        Architecture.Arm64 => (147, 149),
        _ => null,
    };

    private static volatile string? s_broken;

    /// <exception cref="IOException">A limit could not be set on a live process (the warm sandbox must not be used).</exception>
    public static void Apply(int hostUid, IReadOnlyList<int> pids, ExecutionLimits limits)
    {
        if (s_broken is not null || Syscalls is not { } calls)
        {
            throw new IOException(s_broken ?? $"rlimits of warm sandboxes are not supported on {RuntimeInformation.ProcessArchitecture}");
        }

        var (uid, gid) = (GetUid(), GetGid());
        if (Syscall(calls.SetResGid, hostUid, -1, -1) != 0 || Syscall(calls.SetResUid, hostUid, -1, -1) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Restore(calls, uid, gid);
            throw new IOException($"cannot take the sandbox's real uid {hostUid}: errno {errno}");
        }

        try
        {
            var fileSize = (ulong)Math.Max(1, limits.FileSizeBytes / 512) * 512;
            var cpuSeconds = (ulong)(limits.CpuTimeMs / 1000 + 2);
            foreach (var pid in pids)
            {
                Set(pid, RlimitFsize, fileSize);
                Set(pid, RlimitCpu, cpuSeconds);
            }
        }
        finally
        {
            Restore(calls, uid, gid);
        }
    }

    private static void Restore((long SetResUid, long SetResGid) calls, uint uid, uint gid)
    {
        if (Syscall(calls.SetResUid, uid, -1, -1) != 0 || Syscall(calls.SetResGid, gid, -1, -1) != 0)
        {
            // Still effective root, so no capability is lost or gained; but never again act with a changed real uid.
            s_broken = $"a thread could not restore its real uid {uid} after setting rlimits: errno {Marshal.GetLastPInvokeError()}";
        }
    }

    private static void Set(int pid, int resource, ulong value)
    {
        var limit = new RLimit { Current = value, Max = value };
        // ESRCH: the process exited meanwhile (an idle bwrap helper); the interpreter's own exit is caught at dispatch.
        if (PrLimit(pid, resource, ref limit, IntPtr.Zero) != 0 && Marshal.GetLastPInvokeError() is var errno and not Esrch)
        {
            throw new IOException($"prlimit({pid}, {resource}) failed: errno {errno}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", EntryPoint = "prlimit", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int PrLimit(int pid, int resource, ref RLimit newLimit, IntPtr oldLimit);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long Syscall(long number, long a, long b, long c);

    [DllImport("libc", EntryPoint = "getuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetUid();

    [DllImport("libc", EntryPoint = "getgid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetGid();
}
