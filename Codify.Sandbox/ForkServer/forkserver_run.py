# What runs in a fork server's children (concatenated after forkserver_os.py, before forkserver.py): C, the run's pid 1,
# isolates the run before any of its code runs, and forks P, the program's process, which prepares everything that does
# not depend on the run, waits for its pipes and leaves by exception to run the launcher (see docs/fork-server.md).
def _codify_run_side(calls, tmpfs_bytes, held, forget):
    """held: the server's frame once a run holds it; forget: the server's own imports (filled by the server once ready)."""
    import os, resource, signal, socket, sys
    libc, check, mount, write, loopback_up, drop_capabilities, load_seccomp, look_like_bwrap, status_code, shares = calls
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
    CLONE_NEWCGROUP = 0x2000000
    tmpfs_data = f'mode=0755,size={tmpfs_bytes}'.encode()

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

    return child_setup
