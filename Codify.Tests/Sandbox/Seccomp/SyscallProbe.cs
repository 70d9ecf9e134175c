namespace Codify.Tests.Sandbox.Seccomp;

/// <summary>
/// A python program that makes each dangerous syscall through ctypes (x86_64 numbers) and prints
/// "name errno", or "name ok" when the call went through.
/// </summary>
public static class SyscallProbe
{
    /// <param name="stopping">Include calls that, when they succeed, stop the sandbox's pid 1 and hang the run: only under the filter.</param>
    public static string Python(bool stopping) => $"STOPPING = {(stopping ? "True" : "False")}\n" + Body;

    public static Dictionary<string, string> Parse(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    private const string Body = """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        NONE, TMP, TMPFS, ROOT = (ctypes.c_char_p(s) for s in (b'none', b'/tmp', b'tmpfs', b'/'))

        def call(name, nr, *args):
            ctypes.set_errno(0)
            r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])
            errno = ctypes.get_errno()
            if name.startswith('clone') and r == 0:
                os._exit(0)  # the child of a clone that got through
            if name.startswith('clone') and r > 0:
                os.waitpid(r, 0)
            print(name, 'ok' if r >= 0 else errno, flush=True)

        if STOPPING:
            call('ptrace_traceme', 101, 0, 0, 0, 0)
            call('ptrace_attach_pid1', 101, 16, 1, 0, 0)
        call('ptrace_seize_pid1', 101, 0x4206, 1, 0, 0)
        call('process_vm_readv', 310, 1, 0, 0, 0, 0, 0)
        call('mount', 165, NONE, TMP, TMPFS, 0, 0)
        call('umount2', 166, TMP, 0)
        call('pivot_root', 155, ROOT, ROOT)
        call('chroot', 161, ROOT)
        call('fsopen', 430, TMPFS, 0)
        call('unshare', 272, 0x10000000)  # CLONE_NEWUSER
        call('setns', 308, -1, 0)
        call('keyctl', 250, 0, -3, 1)  # KEYCTL_GET_KEYRING_ID of the session keyring, creating it
        call('bpf', 321, 9999, 0, 0)
        call('perf_event_open', 298, 0, 0, -1, -1, 0)
        call('userfaultfd', 323, 1)  # UFFD_USER_MODE_ONLY: allowed to unprivileged users by default
        call('io_uring_setup', 425, 1, 0)
        call('init_module', 175, 0, 0, 0)
        call('personality', 135, 0x0400000)  # READ_IMPLIES_EXEC
        call('clock_settime', 227, 0, 0)
        call('reboot', 169, 0, 0, 0, 0)
        call('syslog', 103, 10, 0, 0)
        call('clone_newuser', 56, 0x10000000 | 17, 0, 0, 0, 0)  # CLONE_NEWUSER | SIGCHLD
        call('clone_newnet', 56, 0x40000000 | 17, 0, 0, 0, 0)  # CLONE_NEWNET | SIGCHLD
        call('clone3', 435, 0, 0)
        try:
            print('fd3', os.readlink('/proc/self/fd/3'))
        except OSError as e:
            print('fd3', e.errno)
        """;
}
