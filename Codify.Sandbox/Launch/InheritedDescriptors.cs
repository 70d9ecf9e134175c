using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Marks every descriptor of this process close-on-exec before a sandbox is started. .NET opens its own descriptors
/// close-on-exec, but the ones the service inherited from whatever started it (a supervisor's pipe, a socket-activated
/// listener, /dev/null) or that native code opened without O_CLOEXEC pass down to every child; setpriv and bwrap close
/// none. Through one, a sandboxed program could read a host file, or write into a host pipe or socket, whatever its
/// namespaces and uid. Descriptors 0-2 are left alone: the child's are replaced by its own pipes anyway.
/// </summary>
internal static class InheritedDescriptors
{
    private const int GetFlags = 1; // F_GETFD
    private const int SetFlags = 2; // F_SETFD
    private const int CloseOnExec = 1; // FD_CLOEXEC
    private const int BadDescriptor = 9; // EBADF: closed since it was listed (the listing's own descriptor, for one)

    /// <exception cref="Win32Exception">A descriptor could not be inspected or marked: the caller must not start the sandbox.</exception>
    public static void MarkCloseOnExec()
    {
        // One syscall on Linux 5.11+ (glibc 2.34+): every descriptor from 3 up gets close-on-exec. Listing /proc/self/fd
        // costs a stat per descriptor (hundreds in a busy service), on the launcher thread, for every sandbox.
        try
        {
            if (CloseRange(3, uint.MaxValue, CloseRangeCloexec) == 0)
            {
                return;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // An older libc: list and mark them one by one.
        }

        foreach (var fd in Open().Where(fd => fd > 2))
        {
            var flags = Fcntl(fd, GetFlags, 0);
            if (flags < 0)
            {
                ThrowUnlessClosed(fd);
                continue;
            }

            if ((flags & CloseOnExec) == 0 && Fcntl(fd, SetFlags, flags | CloseOnExec) < 0)
            {
                ThrowUnlessClosed(fd);
            }
        }
    }

    private static List<int> Open()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Select(path => int.Parse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Win32Exception($"cannot list this process's descriptors: {e.Message}");
        }
    }

    private static void ThrowUnlessClosed(int fd)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != BadDescriptor)
        {
            throw new Win32Exception(errno, $"cannot mark descriptor {fd} close-on-exec");
        }
    }

    private const int CloseRangeCloexec = 4; // CLOSE_RANGE_CLOEXEC

    [DllImport("libc", EntryPoint = "close_range", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int CloseRange(uint first, uint last, int flags);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int fd, int command, int argument);
}
