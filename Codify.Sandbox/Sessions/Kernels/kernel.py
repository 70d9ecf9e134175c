# Codify session kernel (python). Runs inside the session's sandbox, as the sandbox's own uid: every file operation
# here sees only the sandbox's view. Frames both ways: 8 hex digits of length, then UTF-8 JSON. Requests arrive on the
# original stdin, answers leave on the original stdout; the program's own fds 0-2 are pipes the kernel owns.
# The program runs in this process and can reach these fds: it can only ever lie to its own session.
def _codify_kernel():
    import ast, base64, codecs, fcntl, importlib.util, io, json, linecache, os, queue, select, signal, stat, struct, sys, termios, threading, traceback

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

    pumps = {}
    for fd, name in ((1, 'stdout'), (2, 'stderr')):
        r, w = os.pipe()
        os.dup2(w, fd)
        os.close(w)
        pumps[name] = (r, threading.Lock())

    def pump(name, r, lock):
        decoder = codecs.getincrementaldecoder('utf-8')('replace')
        while True:
            select.select([r], [], [])  # wait outside the lock: drain() may look while nothing is pending
            with lock:
                chunk = os.read(r, 65536)
                if not chunk:
                    return
                text = decoder.decode(chunk)
                if text:
                    send({'t': 'out', 's': name, 'd': text})

    for name, (r, lock) in pumps.items():
        threading.Thread(target=pump, args=(name, r, lock), daemon=True).start()

    def drain():
        # Everything the cell wrote is sent before its end: each pipe is empty and its pump is not mid-send.
        sys.stdout.flush()
        sys.stderr.flush()
        for r, lock in pumps.values():
            while True:
                with lock:
                    if struct.unpack('i', fcntl.ioctl(r, termios.FIONREAD, b'\0\0\0\0'))[0] == 0:
                        break
                threading.Event().wait(0.001)

    requests = queue.Queue()
    main_id = threading.main_thread().ident
    # The cell running now, and the one an interrupt came for before it started (the host's cancel can be that early).
    cells = {'running': None, 'stopped': None}
    cells_lock = threading.Lock()

    def control():
        while True:
            req = json.loads(read_exact(int(read_exact(8), 16)))
            if req.get('op') == 'interrupt':
                with cells_lock:
                    if cells['running'] is not None and cells['running'] == req.get('cell'):
                        signal.pthread_kill(main_id, signal.SIGINT)
                    else:
                        cells['stopped'] = req.get('cell')
            else:
                requests.put(req)

    threading.Thread(target=control, daemon=True).start()
    signal.signal(signal.SIGINT, signal.default_int_handler)

    # The capture module (bound read-only by the host), loaded by path so the program's sys.path and imports stay a
    # plain run's. plt.show() hands the shown figures to the cell's list from now on.
    spec = importlib.util.spec_from_file_location('codify_capture', '/.codify/codify_capture.py')
    capture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(capture)
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
    count = [0]

    def run_cell(code, stdin, cell):
        count[0] += 1
        filename = '<cell %d>' % count[0]
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        if stdin:
            r, w = os.pipe()
            data = stdin.encode()
            threading.Thread(target=feed, args=(w, data), daemon=True).start()
            os.dup2(r, 0)
            os.close(r)
        else:
            null = os.open('/dev/null', os.O_RDONLY)
            os.dup2(null, 0)
            os.close(null)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, 'r', closefd=False), encoding='utf-8')
        outputs, exit_code = [], 0
        del shown[:]
        try:
            # Stops an interrupt that came before the cell ran from being lost (the cell would then run on to a kill).
            with cells_lock:
                cells['running'], early = cell, cells['stopped'] == cell
                cells['stopped'] = None
            if early:
                raise KeyboardInterrupt
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            tree = ast.parse(code, filename, 'exec')
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, filename, 'exec'), g)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, 'eval'), g)
                if value is not None:
                    g['_'] = value
                    outputs.extend(capture.represent(value))
        except SystemExit as e:
            exit_code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if not isinstance(e.code, (int, type(None))):
                print(e.code, file=sys.stderr)
        except BaseException as e:
            tb = e.__traceback__
            while tb is not None and tb.tb_frame.f_code in (me, run_cell.__code__):
                tb = tb.tb_next
            traceback.print_exception(type(e), e, tb)
            exit_code = 1
        finally:
            # A late interrupt must not hit the kernel itself: blocked from here, and dropped before the next cell.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            with cells_lock:
                cells['running'] = None
            signal.sigtimedwait({signal.SIGINT}, 0)
        # Figures still open are this cell's (even a failed one's): taken and closed, so none shows up in the next cell.
        try:
            left_open = capture.take_figures()
        except Exception:
            left_open = []
        outputs = [*shown, *outputs, *left_open]
        del shown[:]
        drain()
        send({'t': 'done', 'cell': cell, 'exit': exit_code, 'outputs': outputs})

    def feed(w, data):
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
        except OSError:
            pass
        finally:
            os.close(w)

    DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW

    def parent_of(path, create):
        # Component by component, never following a symlink: a link the program planted leads nowhere.
        parts = path.split('/')
        if path.startswith('/') or any(p in ('', '.', '..') for p in parts) or '\0' in path:
            raise PermissionError('not a plain relative path')
        d = os.open('/box', DIR)
        try:
            for p in parts[:-1]:
                if create:
                    try:
                        os.mkdir(p, 0o755, dir_fd=d)
                    except FileExistsError:
                        pass
                nd = os.open(p, DIR, dir_fd=d)
                os.close(d)
                d = nd
        except BaseException:
            os.close(d)
            raise
        return d, parts[-1]

    def listing(limit):
        files = []
        stack = [('', os.open('/box', DIR))]
        while stack and len(files) < limit:
            prefix, d = stack.pop()
            try:
                for entry in os.scandir(d):
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and len(files) < limit:
                        files.append({'path': prefix + entry.name, 'size': st.st_size})
                    elif stat.S_ISDIR(st.st_mode):
                        stack.append((prefix + entry.name + '/', os.open(entry.name, DIR, dir_fd=d)))
            finally:
                os.close(d)
        for _, d in stack:
            os.close(d)
        return files

    def file_op(req):
        op, path = req['op'], req.get('path') or ''
        try:
            if op == 'list':
                return {'files': listing(req['maxFiles'])}
            if op == 'put':
                data = base64.b64decode(req['data'])
                d, name = parent_of(path, create=True)
                try:
                    try:
                        os.stat(name, dir_fd=d, follow_symlinks=False)
                    except FileNotFoundError:
                        if len(listing(req['maxFiles'])) >= req['maxFiles']:
                            return {'error': 'refused', 'detail': 'the session already holds %d files (Sessions:MaxFiles)' % req['maxFiles']}
                    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644, dir_fd=d)
                finally:
                    os.close(d)
                with os.fdopen(fd, 'wb') as f:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        return {'error': 'refused', 'detail': "'%s' is not a regular file" % path}
                    f.write(data)
                return {'size': len(data)}
            d, name = parent_of(path, create=False)
            try:
                fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=d)
            finally:
                os.close(d)
            with os.fdopen(fd, 'rb') as f:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    return {'error': 'not_found', 'detail': "'%s' is not a regular file" % path}
                if st.st_size > req['maxBytes']:
                    return {'error': 'refused', 'detail': 'too_large: %d bytes' % st.st_size}
                data = f.read(req['maxBytes'] + 1)
            if len(data) > req['maxBytes']:
                return {'error': 'refused', 'detail': 'too_large'}
            return {'data': base64.b64encode(data).decode(), 'size': len(data)}
        except FileNotFoundError:
            return {'error': 'not_found', 'detail': "no file '%s' in the session's work dir" % path}
        except OSError as e:
            if e.errno == 40:  # ELOOP: the last component is a symlink
                return {'error': 'refused', 'detail': "'%s' is a symlink: refused" % path}
            if e.errno == 20:  # ENOTDIR: a component is a file or a symlink
                return {'error': 'refused', 'detail': "a folder of '%s' is a symlink or a file: refused" % path}
            return {'error': 'refused', 'detail': '%s: %s' % (type(e).__name__, e.strerror)}

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    send({'t': 'ready'})
    while True:
        req = requests.get()
        if req.get('op') == 'exec':
            run_cell(req.get('code') or '', req.get('stdin'), req.get('cell'))
        else:
            reply = file_op(req)
            reply['t'] = 'reply'
            send(reply)


_codify_kernel()
