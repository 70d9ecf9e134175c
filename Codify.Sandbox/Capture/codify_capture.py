"""Codify's capture of rich outputs and written files, run inside the sandbox.

Bound read-only at /.codify/codify_capture.py into python sandboxes. The one place every python launch path takes its
capture from: the cold runner's boot, the warm launcher, the fork server, a session kernel. Nothing here is trusted by
the host: the program runs in this same process and can write anything to the channel; the host parses it with caps.

Interface (stable, for launchers and session kernels):
  represent(value) -> [{"type", "data"}]   a value as a notebook shows it: image/png, text/html, text/plain ([] for None)
  take_figures() -> [{"type", "data"}]     every open matplotlib figure as image/png, then closes them
  show_hook(sink)                          from now on plt.show() hands the shown figures to sink(list)
  run_source(source, filename, namespace)  exec the code; a trailing expression (not ending in ';') is evaluated and returned
  run_main(path, args, request)            a one-shot program as `python3 main.py args` would run it, then the capture
"""

import ast
import base64
import importlib.util
import io
import json
import os
import stat
import sys

CHANNEL = '/.codify/capture.out'
REQUEST = '/.codify/capture.json'
BACKEND = 'codify_inline'
_ME = __file__ if '__file__' in globals() else '/.codify/codify_capture.py'


def _entry(mime, data):
    return {'type': mime, 'data': data if isinstance(data, str) else base64.b64encode(data).decode('ascii')}


def _figure_png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', bbox_inches='tight')
    return _entry('image/png', buffer.getvalue())


def represent(value):
    if value is None:
        return []
    out = []
    if type(value).__module__.startswith('matplotlib.figure'):
        out.append(_figure_png(value))
        pyplot = sys.modules.get('matplotlib.pyplot')
        if pyplot is not None:
            pyplot.close(value)
    for mime, method in (('image/png', '_repr_png_'), ('text/html', '_repr_html_')):
        render = getattr(type(value), method, None)
        if render is None:
            continue
        try:
            data = render(value)
        except Exception:
            continue
        if isinstance(data, (str, bytes)) and data:
            out.append(_entry(mime, data))
    try:
        out.append(_entry('text/plain', repr(value)))
    except Exception:
        pass
    return out


def take_figures():
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is None:
        return []
    from matplotlib._pylab_helpers import Gcf
    out = []
    for manager in Gcf.get_all_fig_managers():
        try:
            out.append(_figure_png(manager.canvas.figure))
        except Exception:
            pass
    pyplot.close('all')
    return out


class _Backend:
    """A matplotlib backend (module://codify_inline): Agg drawing, and show() hands the figures to the sink."""

    def __init__(self, sink):
        self.sink = sink

    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == BACKEND else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.backend_bases import FigureManagerBase
        module.FigureCanvas = FigureCanvasAgg
        module.FigureManager = FigureManagerBase
        module.backend_version = 'codify'
        module.show = lambda *args, **kwargs: self.sink(take_figures())


def show_hook(sink):
    sys.meta_path.append(_Backend(sink))
    name = 'module://' + BACKEND
    os.environ['MPLBACKEND'] = name
    if 'matplotlib' in sys.modules:  # loaded before the program (a fork server): switch it now
        sys.modules['matplotlib'].use(name)


def _silenced(source, node):
    lines = source.splitlines()
    tail = lines[node.end_lineno - 1][node.end_col_offset:] if node.end_lineno <= len(lines) else ''
    return tail.lstrip().startswith(b';' if isinstance(tail, bytes) else ';')


def run_source(source, filename, namespace):
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not _silenced(source, tree.body[-1]):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, 'exec', dont_inherit=True), namespace)
    return None if last is None else eval(compile(last, filename, 'eval', dont_inherit=True), namespace)


class Channel:
    """The records for the host, one JSON line each, within the caps the request gives (the host checks them again)."""

    def __init__(self, request):
        self.request = request
        self.counts = {'output': 0, 'file': 0}
        self.bytes = {'output': 0, 'file': 0}
        self.flagged = set()
        self.out = open(CHANNEL, 'ab', buffering=0)

    def _room(self, kind, size):
        limit_count, limit_bytes = self.request.get(f'max_{kind}s', 0), self.request.get(f'max_{kind}_bytes', 0)
        if self.counts[kind] < limit_count and self.bytes[kind] + size <= limit_bytes:
            self.counts[kind] += 1
            self.bytes[kind] += size
            return True
        if kind not in self.flagged:
            self.flagged.add(kind)
            self._write({'kind': 'truncated', 'what': kind})
        return False

    def _write(self, record):
        try:
            self.out.write(json.dumps(record).encode('ascii') + b'\n')
        except OSError:  # over the file-size limit: the host sees a short channel and marks it truncated
            pass

    def outputs(self, entries):
        for entry in entries:
            if self._room('output', len(entry['data'])):
                self._write({'kind': 'output', **entry})

    def files(self, root, skip):
        for folder, folders, names in os.walk(root, followlinks=False):
            folders[:] = sorted(f for f in folders if not f.startswith('.'))
            for name in sorted(n for n in names if not n.startswith('.')):
                relative = os.path.relpath(os.path.join(folder, name), root)
                if relative not in skip:
                    self._file(os.path.join(folder, name), relative)

    def _file(self, path, relative):
        try:
            # No symlink is followed (ELOOP), a FIFO never blocks: only regular files the program wrote are read.
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and self._room('file', info.st_size):
                chunks, left = [], info.st_size
                while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
                    chunks.append(chunk)
                    left -= len(chunk)
                self._write({'kind': 'file', 'name': relative, 'data': base64.b64encode(b''.join(chunks)).decode('ascii')})
        finally:
            os.close(fd)


def _read_request():
    try:
        with open(REQUEST, 'rb') as f:
            data = f.read()
        return json.loads(data) if data.strip() else None
    except (OSError, ValueError):
        return None


def _hide_own_frames(error):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in (_ME, '<string>'):
        tb = tb.tb_next
    return tb


def run_main(path, args, request):
    """Runs the entry file as __main__ (argv, path and globals as `python3 -E -s -u main.py args`), then captures."""
    sys.argv[:] = [os.path.basename(path), *args]
    sys.orig_argv[:] = [*sys.orig_argv[:4], os.path.basename(path), *args]
    sys.path[0] = os.path.dirname(path)
    loader = sys.modules['_frozen_importlib_external'].SourceFileLoader('__main__', path)
    g = sys.modules['__main__'].__dict__
    builtins = g['__builtins__']
    g.clear()
    g.update(__name__='__main__', __doc__=None, __package__=None, __loader__=loader, __spec__=None,
             __annotations__={}, __builtins__=builtins, __file__=path, __cached__=None)
    channel = Channel(request)
    notebook = bool(request.get('outputs'))
    if notebook:
        show_hook(channel.outputs)
    with open(path, 'rb') as f:
        source = f.read()
    try:
        if notebook:
            channel.outputs(represent(run_source(source, path, g)))
        else:
            exec(compile(source, path, 'exec', dont_inherit=True), g)
    except SystemExit:
        raise
    except BaseException as e:
        tb = _hide_own_frames(e)
        sys.excepthook(type(e), e.with_traceback(tb), tb)
        raise SystemExit(1) from None
    finally:
        if notebook:
            channel.outputs(take_figures())
        if request.get('files'):
            channel.files(os.path.dirname(path), set(request.get('skip', [])))


def main(args=None):
    """The launchers' entry: the request file says the entry file and what to capture; args default to sys.argv[1:]
    (the cold runner's `python3 -E -s -u -c BOOT args`)."""
    request = _read_request() or {}
    run_main(request.get('entry', '/box/main.py'), sys.argv[1:] if args is None else args, request)
