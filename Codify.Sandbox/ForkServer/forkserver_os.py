# The fork server's calls into the kernel (concatenated before forkserver_run.py and forkserver.py): ctypes and os-level
# helpers, and the values they need computed once by the server, so that a child (C, the run's pid 1, and P, the
# program's process) makes as few objects as possible: every object costs it copy-on-write faults of the server's memory.
def _codify_os_calls(slots):
    import ctypes, fcntl, os, signal, socket, struct

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    # The same libc through the interpreter's own handle: calls keep the GIL held (no thread switch around clone).
    api = ctypes.PyDLL(None, use_errno=True)
    api.syscall.restype = ctypes.c_long
    api.syscall.argtypes = [ctypes.c_long] * 6
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    NR_SECCOMP, NR_CAPSET, NR_CLONE = {'x86_64': (317, 126, 56), 'aarch64': (277, 91, 220)}[os.uname().machine]
    CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
        0x20000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000)

    def check(result, what):
        if result != 0:
            err = ctypes.get_errno()
            raise OSError(err, f'{what}: {os.strerror(err)}')

    def mount(source, target, fstype, flags, data=None):
        # Bytes in, the message built only on failure: a run's pid 1 runs this, and every object it makes costs it
        # copy-on-write faults of the server's memory.
        if libc.mount(source, target, fstype, flags, data) != 0:
            check(-1, f'mount {target.decode()}')

    def write(path, text):
        # os-level calls, not open(): no io objects made in a forked child.
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, text)
        finally:
            os.close(fd)

    def loopback_up():
        # The same as bwrap's: lo up in the run's own network namespace, nothing else.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            flags = struct.unpack('16sH', fcntl.ioctl(s, 0x8913, lo_request)[:18])[1]
            fcntl.ioctl(s, 0x8914, struct.pack('16sH', b'lo', flags | 1))

    def drop_capabilities():
        # Bounding set first (needs CAP_SETPCAP, still held), then ambient, then every set to empty.
        for cap in range(64):
            if libc.prctl(24, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:  # PR_CAPBSET_DROP; EINVAL: past the last cap
                break
        check(libc.prctl(47, 4, 0, 0, 0), 'clear ambient capabilities')  # PR_CAP_AMBIENT, CLEAR_ALL
        header = struct.pack('Ii', 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
        data = ctypes.create_string_buffer(24)
        check(libc.syscall(NR_CAPSET, ctypes.c_char_p(header), data), 'capset')

    def load_seccomp():
        # The filter's buffers are the server's (seccomp_fprog below): a child only makes the two calls.
        check(libc.prctl(38, 1, 0, 0, 0), 'no_new_privs')  # PR_SET_NO_NEW_PRIVS
        check(libc.syscall(NR_SECCOMP, 1, 0, seccomp_fprog), 'seccomp')  # SECCOMP_SET_MODE_FILTER

    def inotify_shares():
        # Kernel per-user counts (inotify instances and watches) are charged at every user namespace level, and above the
        # server's own namespace every run counts as the server's owner: each run gets its share of the host's limits, so
        # one run hoarding them cannot starve the others (a cold run has its own host uid at that level).
        shares = []
        for name, host in (('max_inotify_instances', 'max_user_instances'), ('max_inotify_watches', 'max_user_watches')):
            with open(f'/proc/sys/fs/inotify/{host}') as f:
                shares.append((f'/proc/sys/user/{name}', str(max(1, int(f.read()) // slots)).encode()))
        return shares

    # bwrap is pid 1 of a cold run: /proc/1/cmdline says so in a fork too (the name fits over "/usr/bin/python3"). A fork
    # has the server's addresses: where its arguments start is read once, here.
    with open('/proc/self/stat') as f:
        arg_start = int(f.read().rsplit(')', 1)[1].split()[45])
    bwrap_name = b'/usr/bin/bwrap\0\0' if ctypes.string_at(arg_start, 16) == b'/usr/bin/python3' else None

    def look_like_bwrap():
        if bwrap_name is not None:
            ctypes.memmove(arg_start, bwrap_name, len(bwrap_name))

    def status_code(status):
        # What bwrap reports for its child: the exit code, or 128 + the signal that killed it.
        return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)

    # fd 3: the seccomp filter the launch wrapper opened (as for every sandbox); read once, every run loads it.
    bpf = b''
    while chunk := os.read(3, 1 << 16):
        bpf += chunk
    os.close(3)
    seccomp_program = ctypes.create_string_buffer(bpf, len(bpf))
    seccomp_fprog = ctypes.create_string_buffer(struct.pack('HxxxxxxQ', len(bpf) // 8, ctypes.addressof(seccomp_program)))
    # The program's buffer lives as long as the header that points into it (only the header is load_seccomp's).
    seccomp_fprog.program = seccomp_program
    shares = inotify_shares()
    lo_request = struct.pack('16sH', b'lo', 0)

    def clone_child():
        """
        fork() that creates the run's namespaces with the child: it is pid 1 of its own pid namespace at once (one process
        fewer per run than unshare + fork), in a user namespace of its own whose map the server writes. The interpreter's
        fork hooks run around it exactly as for os.fork (same GIL held throughout: the syscall goes through pythonapi).
        """
        api.PyOS_BeforeFork()
        pid = api.syscall(NR_CLONE, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID
                          | signal.SIGCHLD, 0, 0, 0, 0)
        if pid == 0:
            api.PyOS_AfterFork_Child()
        else:
            err = ctypes.get_errno()
            api.PyOS_AfterFork_Parent()
            if pid < 0:
                raise OSError(err, f'clone: {os.strerror(err)}')
        return pid

    def map_child(pid, uid):
        """Its user namespace maps only the run's host uid, to nobody: concurrent runs never share a uid (runs as the server)."""
        write(f'/proc/{pid}/setgroups', b'deny')
        write(f'/proc/{pid}/uid_map', f'65534 {uid} 1'.encode())
        write(f'/proc/{pid}/gid_map', f'65534 {uid} 1'.encode())

    # The server's own (it forks and maps each child), then what runs in the children (forkserver_run.py).
    return ((status_code, clone_child, map_child),
            (libc, check, mount, write, loopback_up, drop_capabilities, load_seccomp, look_like_bwrap, status_code, shares))
