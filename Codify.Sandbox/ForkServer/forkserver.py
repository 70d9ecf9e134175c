# The fork server: a long-lived sandboxed python with the common libraries loaded. Every run forks from it and is
# isolated in the child BEFORE any of its code runs (see docs/fork-server.md). Only the host talks to it, over one
# unix socket; no user code ever runs in this process. The host puts forkserver_os.py and forkserver_run.py before this
# file and the warm pool's launcher (WarmLaunchers) after it: a forked run leaves _codify_serve() by exception and runs
# that launcher at module level, exactly as a warm sandbox does, so its stack, __main__, sys.argv and tracebacks are the
# warm (= cold) ones.
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
    import gc, os, select, signal, socket, struct

    (status_code, clone_child, map_child), child_calls = _codify_os_calls(slots)
    held = []          # the server's frame, in a forked run (see the prefork branch)
    forget = []        # the server's own imports, forgotten in each run's program (filled once the server is ready)
    child_setup = _codify_run_side(child_calls, tmpfs_bytes, held, forget)
    control = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    control.connect('/.codify/control/s')

    children = {}      # id -> (C's pid, the server's end of its channel)
    by_pid = {}        # C's pid -> id
    ready = set()      # ids whose child said ready
    reported = set()   # ids whose exit code the child's pid 1 reported before it exited
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    gc.collect()
    # Preloaded objects never move again: forked runs share their pages instead of copying them on the first gc.
    forget.extend(n for n in sys.modules if n not in keep)
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
