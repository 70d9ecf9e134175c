# Codify session kernel's file operations (python): put, get and list in the session's work dir, /box. They run inside
# the sandbox as its own uid and never follow a symlink: a link the program planted leads nowhere (the lesson of
# Judge0's CVE-2024-28185 and CVE-2024-28189). Loaded by path by kernel.py; answers are the kernel's reply frames.
import base64
import os
import stat

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
