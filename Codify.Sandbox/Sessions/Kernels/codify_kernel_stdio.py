# Codify session kernel's stdio (python): the program's fds 1 and 2 are pipes whose read ends threads pump to the host as
# 'out' frames, and every cell starts with fds 0-2 set afresh, whatever the last cell closed or replaced: a cell can break
# only its own output, never the kernel. Loaded by path by kernel.py.
import codecs
import fcntl
import io
import os
import select
import struct
import sys
import termios
import threading

_pumps = {}
_outs = {}


def start(send):
    """Points fds 1 and 2 at pipes and pumps what arrives there to the host with send()."""
    for fd, name in ((1, 'stdout'), (2, 'stderr')):
        r, w = os.pipe()
        os.dup2(w, fd)
        _outs[fd] = w  # kept (not inheritable): every cell starts with fds 1 and 2 on the pipes, whatever the last one closed
        _pumps[name] = (r, threading.Lock())
    for name, (r, lock) in _pumps.items():
        threading.Thread(target=_pump, args=(name, r, lock, send), daemon=True).start()


def for_cell(stdin):
    """A cell's fds 0-2: 1 and 2 on the pipes, 0 on its stdin (fed by a thread) or on /dev/null."""
    for fd, w in _outs.items():
        os.dup2(w, fd)
    if stdin:
        r, w = os.pipe()
        threading.Thread(target=_feed, args=(w, stdin.encode()), daemon=True).start()
        _as_stdin(r)
    else:
        _as_stdin(os.open('/dev/null', os.O_RDONLY))
    sys.stdin = io.TextIOWrapper(io.FileIO(0, 'r', closefd=False), encoding='utf-8')


def flush():
    # The program may have replaced sys.stdout/sys.stderr (even with None): what its own objects hold is its own.
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass


def to_stderr(write):
    """An error of the cell reaches the cell's stderr even if the program replaced or broke sys.stderr; never the kernel."""
    for f in (sys.stderr, sys.__stderr__):
        try:
            if f is not None:
                return write(f)
        except Exception:
            pass


def drain():
    """Everything the cell wrote is sent before its end: each pipe is empty and its pump is not mid-send."""
    flush()
    for r, lock in _pumps.values():
        while True:
            with lock:
                if struct.unpack('i', fcntl.ioctl(r, termios.FIONREAD, b'\0\0\0\0'))[0] == 0:
                    break
            threading.Event().wait(0.001)


def _pump(name, r, lock, send):
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


def _as_stdin(fd):
    # Onto fd 0, unless it is 0 already: a program that closed fd 0 makes the next open or pipe return 0.
    if fd != 0:
        os.dup2(fd, 0)
        os.close(fd)
    else:
        os.set_inheritable(0, True)


def _feed(w, data):
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]
    except OSError:
        pass
    finally:
        os.close(w)
