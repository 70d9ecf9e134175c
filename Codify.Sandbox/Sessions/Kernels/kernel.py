# Codify session kernel (python). Runs inside the session's sandbox, as the sandbox's own uid: every file operation
# here sees only the sandbox's view. Frames both ways: 8 hex digits of length, then UTF-8 JSON. Requests arrive on the
# original stdin, answers leave on the original stdout; the program's own fds 0-2 are pipes the kernel owns.
# The program runs in this process and can reach these fds: it can only ever lie to its own session.
def _codify_kernel():
    import ast, importlib.util, io, json, linecache, os, queue, signal, sys, threading, time, traceback, types

    ctl_in, ctl_out = os.dup(0), os.dup(1)  # dup() makes them non-inheritable: child processes do not get them
    null = os.open('/dev/null', os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    send_lock = threading.Lock()

    def send(obj):
        data = json.dumps(obj).encode()
        view = memoryview(b'%08x' % len(data) + data)
        with send_lock:
            while view:
                view = view[os.write(ctl_out, view):]

    def read_exact(n):
        data = b''
        while len(data) < n:
            chunk = os.read(ctl_in, n - len(data))
            if not chunk:
                os._exit(0)  # the host closed the channel: the session is over
            data += chunk
        return data

    def load(name):
        # The kernel's modules (bound read-only by the host), loaded by path so the program's sys.path and imports stay
        # a plain run's.
        spec = importlib.util.spec_from_file_location(name, '/.codify/%s.py' % name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    stdio = load('codify_kernel_stdio')
    stdio.start(send)

    requests = queue.Queue()
    main_id = threading.main_thread().ident
    # The cell running now (None between cells), and interrupts that came for a cell before it started (it was queued or
    # still being set up). The control thread reads them under the lock; the main thread writes them under it.
    state = threading.Lock()
    current = [None]
    early = set()
    # Main thread only: whether a SIGINT may raise KeyboardInterrupt now (only inside the cell's try, so it never escapes
    # the kernel's loop nor cuts the cell's own report short), and the last cell whose interrupt Python has raised.
    armed = [False]
    caught = [None]

    def on_sigint(signum, frame):
        if armed[0]:
            caught[0] = current[0]
            raise KeyboardInterrupt

    def interrupt(cell):
        # CPython runs a signal's handler only between bytecodes or when a blocking call returns EINTR: a SIGINT that lands
        # as the main thread lets go of the GIL to block (sleep, read, wait) is taken by the C handler and the call blocks on,
        # and the cell seems not to stop. So the signal goes again until the handler has raised it for this cell.
        sent = False
        while True:
            with state:
                ours = signal.getsignal(signal.SIGINT) is on_sigint
                # The program's own handler (or SIG_DFL, which would end the kernel) gets one SIGINT, as a ^C.
                if current[0] != cell or caught[0] == cell or (sent and not ours):
                    return
                signal.pthread_kill(main_id, signal.SIGINT)
            sent = True
            time.sleep(0.05)

    def control():
        while True:
            req = json.loads(read_exact(int(read_exact(8), 16)))
            if req.get('op') == 'interrupt':
                cell = req.get('cell')
                with state:
                    started = cell is not None and current[0] == cell
                    if not started and cell is not None:
                        early.add(cell)
                if started:
                    threading.Thread(target=interrupt, args=(cell,), daemon=True).start()
            else:
                requests.put(req)

    threading.Thread(target=control, daemon=True).start()
    signal.signal(signal.SIGINT, on_sigint)

    files = load('codify_kernel_files')
    # plt.show() hands the shown figures to the cell's list from now on.
    capture = load('codify_capture')
    shown = []
    capture.show_hook(shown.extend)

    sys.path[0] = '/box'
    sys.argv[:] = ['']
    g = sys.modules['__main__'].__dict__
    builtins = g['__builtins__']
    g.clear()
    g.update(__name__='__main__', __doc__=None, __package__=None, __loader__=None, __spec__=None,
             __annotations__={}, __builtins__=builtins)
    me = sys._getframe().f_code
    kernel_pid = os.getpid()
    count = [0]

    def run_cell(code, stdin, cell):
        count[0] += 1
        filename = '<cell %d>' % count[0]
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        stdio.for_cell(stdin)
        outputs, exit_code = [], 0
        del shown[:]
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        try:
            try:
                # Inside the try: an interrupt may raise as soon as the lock is let go.
                with state:
                    current[0] = cell
                    armed[0] = True
                    interrupted = cell in early
                    early.clear()  # the others were for cells that have ended
                if interrupted:
                    raise KeyboardInterrupt
                tree = ast.parse(code, filename, 'exec')
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, filename, 'exec'), g)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), filename, 'eval'), g)
                    if value is not None:
                        g['_'] = value
                        outputs.extend(capture.represent(value))
            finally:
                armed[0] = False  # an interrupt raised before this line is still the outer try's to catch
        except SystemExit as e:
            exit_code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if not isinstance(e.code, (int, type(None))):
                stdio.to_stderr(lambda f: print(e.code, file=f))
        except BaseException as e:
            stdio.to_stderr(lambda f: traceback.print_exception(type(e), e, program_frames(e), file=f))
            exit_code = 1
        finally:
            if os.getpid() != kernel_pid:
                # A process the cell forked ends where the cell ends, as a forked process ends with a plain run's program:
                # it never goes on as the kernel (a 'done' of its own would end the cell early, and its copies of the
                # kernel's locks may be held by threads it does not have).
                try:
                    stdio.flush()
                finally:
                    os._exit(exit_code & 0xFF)
            with state:
                current[0] = None
            # A late interrupt must not hit the kernel itself: blocked from here, and dropped before the next cell.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            signal.sigtimedwait({signal.SIGINT}, 0)
        # Figures still open are this cell's (even a failed one's): taken and closed, so none shows up in the next cell.
        try:
            left_open = capture.take_figures()
        except Exception:
            left_open = []
        outputs = [*shown, *outputs, *left_open]
        del shown[:]
        stdio.drain()
        send({'t': 'done', 'cell': cell, 'exit': exit_code, 'outputs': outputs})

    def program_frames(e):
        # The program's frames only, in its error and those chained to it: not the kernel's (run_cell under the program,
        # the interrupt handler on top of it).
        kernel_code = (me, run_cell.__code__, on_sigint.__code__)
        seen, chain = set(), [e]
        while chain:
            x = chain.pop()
            if x is None or id(x) in seen:
                continue
            seen.add(id(x))
            kept, tb = [], x.__traceback__
            while tb is not None:
                if tb.tb_frame.f_code not in kernel_code:
                    kept.append(tb)
                tb = tb.tb_next
            tb = None
            for t in reversed(kept):
                tb = types.TracebackType(tb, t.tb_frame, t.tb_lasti, t.tb_lineno)
            x.__traceback__ = tb
            chain += [x.__cause__, x.__context__]
        return e.__traceback__

    def preload(modules):
        # A pooled kernel, before any session has it: the host's own list of imports, so a session's imports of them are
        # instant. Nothing lands in the program's namespace (only sys.modules); one figure drawn loads fonts and the renderer.
        import shutil
        failed = []
        before = set(os.listdir('/box'))
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as e:
                failed.append('%s: %s' % (name, e))
        pyplot = sys.modules.get('matplotlib.pyplot')
        if pyplot is not None:
            try:
                figure = pyplot.figure()
                pyplot.plot([0, 1], [0, 1])
                figure.savefig(io.BytesIO(), format='png')
            except Exception as e:
                failed.append('a first figure: %s' % e)
            finally:
                pyplot.close('all')
        # What the imports wrote in the work dir (matplotlib's font cache under $HOME=/box) is not the session's to find.
        for entry in set(os.listdir('/box')) - before:
            path = os.path.join('/box', entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        stdio.drain()
        return {'error': '; '.join(failed)} if failed else {}

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    send({'t': 'ready'})
    while True:
        req = requests.get()
        if req.get('op') == 'exec':
            run_cell(req.get('code') or '', req.get('stdin'), req.get('cell'))
        elif req.get('op') == 'preload':
            reply = preload(req.get('modules') or [])
            reply['t'] = 'reply'
            send(reply)
        else:
            reply = files.file_op(req)
            reply['t'] = 'reply'
            send(reply)


_codify_kernel()
