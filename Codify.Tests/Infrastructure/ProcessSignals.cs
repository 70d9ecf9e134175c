using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Codify.Tests.Infrastructure;

/// <summary>Signals for the fault tests: pause (SIGSTOP), resume (SIGCONT) and stop (SIGTERM) a process the test started.</summary>
public static class ProcessSignals
{
    public const int Terminate = 15;
    public const int Continue = 18;
    public const int Stop = 19;

    public static void Send(int pid, int signal)
    {
        if (SysKill(pid, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SysKill(int pid, int signal);
}
