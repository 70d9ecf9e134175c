# The fork server: a long-lived sandboxed python with the common libraries loaded. Every run forks from it and is
# isolated in the child BEFORE any of its code runs (see docs/fork-server.md). Only the host talks to it, over one
# unix socket; no user code ever runs in this process. The host appends the warm pool's launcher (WarmLaunchers) after
# this file: a forked run leaves _codify_serve() by exception and runs that launcher at module level, exactly as a warm
# sandbox does, so its stack, __main__, sys.argv and tracebacks are the warm (= cold) ones.
class _CodifyForked(BaseException):
    pass


def _codify_serve():
    import sys
    # argv: -c, the preloads (comma-separated), the tmpfs size cap of a run's /tmp, /dev/shm and /box.
    preloads = [p for p in sys.argv[1].split(',') if p]
    tmpfs_bytes = int(sys.argv[2])
    slots = int(sys.argv[3])
    del sys.argv[1:]
    import importlib
    for name in preloads:
        importlib.import_module(name)
    keep = set(sys.modules)
    import ctypes, fcntl, gc, os, resource, select, signal, socket, struct

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    # The same libc through the interpreter's own handle: calls keep the GIL held (no thread switch around clone).
    api = ctypes.PyDLL(None, use_errno=True)
    api.syscall.restype = ctypes.c_long
    api.syscall.argtypes = [ctypes.c_long] * 6
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    NR_SECCOMP, NR_CAPSET, NR_CLONE = {'x86_64': (317, 126, 56), 'aarch64': (277, 91, 220)}[os.uname().machine]
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
    CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = (
        0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000)

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
    shares = inotify_shares()
    tmpfs_data = f'mode=0755,size={tmpfs_bytes}'.encode()
    lo_request = struct.pack('16sH', b'lo', 0)
    control = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    control.connect('/.codify/control/s')

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

    def child_setup(channel, folder):
        """
        Runs in C, the run's only process besides its program (like bwrap's pid 1): pid 1 of the run's pid namespace, in
        its own user, mount, net, ipc and uts namespaces. All of it happens before the run is asked for: it takes the run's
        uid once mapped, mounts a fresh /proc and tmpfs, binds the (still empty) program file, and once the host moved it
        into the run's cgroup forks P, the program's process, which waits for the program's pipes.
        """
        if channel.recv(16) != b'mapped':
            os._exit(125)
        # Every process of the run is the run's host uid (nobody inside) from here on; capabilities stay in its own namespace
        # only (its root is unmapped, so changing uid keeps them: they are dropped explicitly before P is forked).
        os.setresgid(65534, 65534, 65534)
        os.setresuid(65534, 65534, 65534)
        # After the uid change (which clears both): dies with the server, and its /proc files stay its own (not root's).
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
        socket.sethostname('codify')
        loopback_up()
        mount(None, b'/', None, MS_REC | MS_PRIVATE)
        mount(b'proc', b'/proc', b'proc', MS_NOSUID | MS_NODEV | MS_NOEXEC)
        for path, share in shares:
            write(path, share)
        for path in (b'/tmp', b'/dev/shm', b'/box'):
            # Fresh size-capped tmpfs mounts: nothing of an earlier or concurrent run, capped like a cold run's.
            mount(b'tmpfs', path, b'tmpfs', MS_NOSUID | MS_NODEV, tmpfs_data)
        os.close(os.open('/box/main.py', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666))
        # The host's empty, root-owned file of this child in the spool; the host fills it (same inode) when the run comes.
        mount(f'/.codify/spool/{folder}/main.py'.encode(), b'/box/main.py', None, MS_BIND)
        # The program's file is read-only: it cannot rewrite itself.
        mount(None, b'/box/main.py', None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        # The control socket and every other run's program file disappear from this run's view.
        mount(b'tmpfs', b'/.codify', b'tmpfs', MS_NOSUID | MS_NODEV | MS_RDONLY, b'mode=0755,size=4096')
        channel.sendmsg([b'ready'])
        if channel.recv(16) != b'joined':
            os._exit(125)
        # Moved to the run's cgroup by the host by now: the cgroup namespace roots the program's view there, as bwrap's.
        check(libc.unshare(CLONE_NEWCGROUP), 'unshare cgroup')
        # No capability is left from here on, in pid 1 or the program; pid 1 is as confined as the program (same seccomp
        # filter), so a program that takes it over (same uid: /proc/1/mem) gains nothing.
        drop_capabilities()
        p = os.fork()
        if p == 0:
            program_setup(channel)
        # pid 1 ignores what the program could signal it (the interpreter's own SIGINT handler would let it end the run early).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        null = os.open('/dev/null', os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
        look_like_bwrap()
        load_seccomp()
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                os._exit(0)
            if pid == p:
                # Like bwrap's pid 1: the run ends when its program does; the pid namespace takes the rest with it. The exit
                # code goes to the server first: the run's end is reported without waiting for this process's own teardown.
                code = status_code(status)
                try:
                    channel.send(f'exit {code}'.encode())
                finally:
                    os._exit(code)

    def program_setup(channel):
        """
        Runs in P, the program's process, forked before the run is asked for: what does not depend on the run first, then
        (once the run message brings its pipes) the last layers, then the launcher (module level, after this file).
        """
        os.setsid()  # bwrap --new-session: no TIOCSTI into a terminal
        os.chdir('/box')
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        # Random state of its own: python's random reseeds itself at fork; numpy's legacy global generator does not.
        if 'numpy' in sys.modules:
            sys.modules['numpy'].random.seed()
        if 'tempfile' in sys.modules:
            sys.modules['tempfile']._name_sequence = None
        # The filter binds from here, before the run is asked for: what is left to do (take the pipes, close the rest, set
        # rlimits) is not denied by it, and its load (the kernel evaluates it for every syscall number) is off the run's path.
        load_seccomp()
        # sys.modules as a fresh interpreter's plus the preloads: the server's own imports are forgotten (listed once by
        # the server: going through all of sys.modules here would write to every name's reference count, page by page).
        for name in forget:
            del sys.modules[name]
        # The first compile after a fork pays the copy-on-write and first-touch faults of the compiler's memory (~0.9 ms
        # of CPU): paid here, not by the program. Nothing of it remains: the code object is dropped, no name is defined.
        compile(b'print()\n', '/box/main.py', 'exec', dont_inherit=True)
        msg, fds, _, _ = socket.recv_fds(channel, 4096, 3)
        if len(fds) != 3:
            os._exit(125)
        _, _, nofile, fsize, cpu = msg.decode().split()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        # Nothing of the server reaches the program but its own three pipes: not the channel, not the server's stdio.
        os.closerange(3, 1 << 20)
        for limit, value in ((resource.RLIMIT_NOFILE, int(nofile)), (resource.RLIMIT_FSIZE, int(fsize)), (resource.RLIMIT_CPU, int(cpu))):
            resource.setrlimit(limit, (value, value))
        raise _CodifyForked(finish)

    def finish(launch):
        """
        Runs the launcher, then ends the program as python's own shutdown would (non-daemon threads joined, atexit
        handlers, stdio flushed, SystemExit turned into the exit code and message) and exits without tearing the preloaded
        modules down: that teardown would copy most of the shared image into the run (tens of MB, tens of ms of CPU).
        """
        if not held:
            raise RuntimeError('a forked run holds the server frame while its program runs')
        try:
            launch()
            code = 0
        except SystemExit as e:
            code = e.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            try:
                print(code, file=sys.stderr)
            except Exception:
                pass
            code = 1
        if 'threading' in sys.modules:
            sys.modules['threading']._shutdown()
        import atexit
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                code = 120 if stream is sys.stdout else code
        os._exit(code & 0xff)

    held = []          # the server's frame, in a forked run (see the prefork branch)
    children = {}      # id -> (C's pid, the server's end of its channel)
    by_pid = {}        # C's pid -> id
    ready = set()      # ids whose child said ready
    reported = set()   # ids whose exit code the child's pid 1 reported before it exited
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    gc.collect()
    # Preloaded objects never move again: forked runs share their pages instead of copying them on the first gc.
    forget = [n for n in sys.modules if n not in keep]
    gc.freeze()
    control.send(f'hello {os.getpid()}'.encode())
    poller = select.poll()
    poller.register(control, select.POLLIN)
    poller.register(wake_r, select.POLLIN)
    while True:
        for fd, _ in poller.poll():
            if fd == wake_r:
                while True:
                    try:
                        os.read(wake_r, 512)
                    except BlockingIOError:
                        break
                while True:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    if (run := by_pid.pop(pid, None)) is not None:
                        channel = children.pop(run)[1]
                        if channel is not None:
                            try:
                                poller.unregister(channel)
                            except KeyError:
                                pass
                            channel.close()
                        if run not in reported:
                            control.send(f'exit {run} {status_code(status)}'.encode())
                        reported.discard(run)
                        ready.discard(run)
            elif fd == control.fileno():
                msg, fds, _, _ = socket.recv_fds(control, 4096, 3)
                if not msg:
                    os._exit(0)
                words = msg.decode().split()
                if words[0] == 'prefork':
                    run, uid, folder = words[1], int(words[2]), words[3]
                    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                    try:
                        pid = clone_child()
                    except OSError as e:
                        ours.close()
                        theirs.close()
                        control.send(f'fail {run} {e}'.encode())
                        continue
                    if pid == 0:
                        try:
                            signal.set_wakeup_fd(-1)
                            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                            control.close()
                            os.close(wake_r)
                            os.close(wake_w)
                            ours.close()
                            for _, (_, other) in children.items():
                                if other is not None:
                                    other.close()
                            child_setup(theirs, folder)
                        except _CodifyForked:
                            # This frame outlives the unwind (finish holds it while the program runs): freed, its locals
                            # would release everything the server made, ~60 copy-on-write faults on the run's path.
                            held.append(sys._getframe())
                            raise
                        except BaseException as e:
                            try:
                                os.write(2, f'codify fork server: run {run} setup failed in pid {os.getpid()}: {e!r} {__import__("traceback").format_exc()}\n'.encode())
                                theirs.sendmsg([f'fail {e}'.encode()])
                            finally:
                                os._exit(125)
                    theirs.close()
                    children[run] = (pid, ours)
                    by_pid[pid] = run
                    try:
                        map_child(pid, uid)
                        ours.send(b'mapped')
                    except OSError as e:
                        # Never left unmapped: it dies, and its exit (SIGCHLD) reports the failed prefork.
                        os.write(2, f'codify fork server: run {run} could not be mapped: {e!r}\n'.encode())
                        os.kill(pid, signal.SIGKILL)
                    poller.register(ours, select.POLLIN)
                elif words[0] == 'run':
                    run = words[1]
                    channel = children.get(run, (0, None))[1]
                    if channel is None:
                        control.send(f'exit {run} 125'.encode())
                    else:
                        channel.sendmsg([msg], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack('3i', *fds))])
                    for f in fds:
                        os.close(f)
                elif words[0] == 'joined':
                    # The host moved the child into its run's cgroup: it may fork the program's process now.
                    channel = children.get(words[1], (0, None))[1]
                    if channel is not None:
                        channel.send(b'joined')
                elif words[0] == 'drop':
                    if (entry := children.get(words[1])) is not None:
                        os.kill(entry[0], signal.SIGKILL)
            else:
                # An event of this same poll may have closed the channel (its child reaped above), and a new one may have its
                # number: never block on it, never fail on it.
                run = next((r for r, (_, ch) in children.items() if ch is not None and ch.fileno() == fd), None)
                if run is None:
                    try:
                        poller.unregister(fd)
                    except KeyError:
                        pass
                    continue
                pid, channel = children[run]
                try:
                    data = channel.recv(4096, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    continue
                if run in ready:
                    # After ready, one message only: the program's exit code, from its pid 1. The run's own processes could
                    # forge it (same uid as pid 1): anything else than "exit 0..255" kills the run, and never reaches the host.
                    poller.unregister(channel)
                    words = data.split()
                    if len(words) == 2 and words[0] == b'exit' and words[1].isdigit() and len(words[1]) <= 3 and int(words[1]) <= 255:
                        reported.add(run)
                        control.send(f'exit {run} {int(words[1])}'.encode())
                    else:
                        os.kill(pid, signal.SIGKILL)
                    continue
                words = data.decode(errors='replace').split(maxsplit=1) if data else ['fail', 'setup ended']
                # First message of a child: ready (it keeps its end: the joined and run messages, its exit) or why its setup failed.
                if words[0] == 'ready':
                    ready.add(run)
                    control.send(f'ready {run} {pid}'.encode())
                else:
                    poller.unregister(channel)
                    control.send(f'fail {run} {words[1] if len(words) > 1 else ""}'.encode())
                    channel.close()
                    children[run] = (pid, None)


try:
    _codify_serve()
except _CodifyForked as forked:
    _codify_finish = forked.args[0]
    del forked
