using System.Runtime.InteropServices;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// The few syscalls .NET has no API for: pipes whose ends the host hands to the fork server, sending them with a message
/// (SCM_RIGHTS), and chown of the control socket. Every descriptor is created close-on-exec: nothing of a run's pipes
/// leaks into any other process the service starts.
/// </summary>
internal static unsafe partial class Descriptors
{
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int SolSocket = 1;
    private const int ScmRights = 1;

    /// <returns>(read end, write end)</returns>
    public static (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Pipe2(fds, CloseOnExec) != 0)
        {
            throw new IOException($"pipe2 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (fds[0], fds[1]);
    }

    public static void Close(int fd) => _ = CloseFd(fd);

    /// <summary>Sends one message with <paramref name="fds"/> attached (the receiver gets its own copies).</summary>
    public static void Send(SafeHandle socket, ReadOnlySpan<byte> message, ReadOnlySpan<int> fds)
    {
        var control = stackalloc byte[64];
        new Span<byte>(control, 64).Clear();
        var dataLength = fds.Length * sizeof(int);
        // struct cmsghdr { size_t len; int level; int type; } then the fds.
        *(ulong*)control = (ulong)(16 + dataLength);
        *(int*)(control + 8) = SolSocket;
        *(int*)(control + 12) = ScmRights;
        fds.CopyTo(new Span<int>(control + 16, fds.Length));
        fixed (byte* data = message)
        {
            var iov = new IoVec { Base = data, Length = (nuint)message.Length };
            var header = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)((16 + dataLength + 7) & ~7) };
            var added = false;
            socket.DangerousAddRef(ref added);
            try
            {
                if (SendMessage((int)socket.DangerousGetHandle(), &header, 0x4000 /* MSG_NOSIGNAL */) != message.Length)
                {
                    throw new IOException($"sendmsg to the fork server failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }
            finally
            {
                if (added)
                {
                    socket.DangerousRelease();
                }
            }
        }
    }

    public static void Chown(string path, int uid, int gid)
    {
        if (ChangeOwner(path, uid, gid) != 0)
        {
            throw new IOException($"chown {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseFd(int fd);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMessage(int socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChangeOwner(string path, int uid, int gid);
}
