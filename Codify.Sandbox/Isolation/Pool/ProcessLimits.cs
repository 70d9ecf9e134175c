using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Codify.Contracts;

namespace Codify.Sandbox.Isolation.Pool;

/// <summary>
/// Sets a run's rlimits on the processes of a warm sandbox at dispatch, before its program runs: exactly the values the
/// launch wrapper sets for a cold run (<see cref="LaunchCommand"/>): file size in whole 512-byte blocks, the per-process
/// CPU backstop with its slack, soft = hard. Warm sandboxes start with high hard limits, so this only ever lowers them.
/// <para>
/// prlimit(2) on another process needs CAP_SYS_RESOURCE or the target's real uid and gid, and hosts (like these VMs) may
/// withhold CAP_SYS_RESOURCE even from root. So one dedicated thread sets its own *real* uid and gid to the sandbox's
/// host uid for the call and back after (raw syscalls: they change this thread only, glibc's wrappers would change every
/// thread). Its effective uid stays root throughout, so its capabilities and file access never change, and it never
/// runs anything else. The sandbox cannot reach it: its pid namespace cannot name host threads.
/// </para>
/// </summary>
internal sealed class ProcessLimits : IDisposable
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

    private readonly BlockingCollection<(int HostUid, IReadOnlyList<int> Pids, ExecutionLimits Limits, TaskCompletionSource Done)> _requests = new();
    private readonly Thread _thread;
    private string? _broken;

    public ProcessLimits()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "codify-sandbox-rlimits" };
        _thread.Start();
    }

    /// <exception cref="IOException">A limit could not be set on a live process (the warm sandbox must not be used).</exception>
    public Task ApplyAsync(int hostUid, IReadOnlyList<int> pids, ExecutionLimits limits)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((hostUid, pids, limits, done));
        return done.Task;
    }

    private void Loop()
    {
        foreach (var (hostUid, pids, limits, done) in _requests.GetConsumingEnumerable())
        {
            try
            {
                Apply(hostUid, pids, limits);
                done.SetResult();
            }
            catch (IOException e)
            {
                done.SetException(e);
            }
        }
    }

    private void Apply(int hostUid, IReadOnlyList<int> pids, ExecutionLimits limits)
    {
        if (_broken is not null || Syscalls is not { } calls)
        {
            throw new IOException(_broken ?? $"rlimits of warm sandboxes are not supported on {RuntimeInformation.ProcessArchitecture}");
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

    private void Restore((long SetResUid, long SetResGid) calls, uint uid, uint gid)
    {
        if (Syscall(calls.SetResUid, uid, -1, -1) != 0 || Syscall(calls.SetResGid, gid, -1, -1) != 0)
        {
            // Still effective root, so harmless; but it must never act for another sandbox's uid: refuse from now on.
            _broken = $"the rlimit thread could not restore its real uid {uid}: errno {Marshal.GetLastPInvokeError()}";
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

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _requests.Dispose();
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
