'use strict';
// Codify session kernel's file operations (node): put, get and list in the session's work dir, /box. They run inside the
// sandbox as its own uid and never follow a symlink: a link the program planted leads nowhere (the lesson of Judge0's
// CVE-2024-28185 and CVE-2024-28189). Required by kernel.js; answers are the kernel's reply frames.
const fs = require('fs');
const path = require('path');

const DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW;

// Node has no openat: each folder of the path is checked with lstat (no symlink, a real folder) before the next. The
// sandbox's uid is the only writer of /box, and it is this session's program: a race here only ever reaches its own view.
function resolve(rel, create) {
  const parts = rel.split('/');
  if (rel.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..') || rel.includes('\0')) {
    throw Object.assign(new Error('not a plain relative path'), { code: 'EPERM' });
  }
  let dir = '/box';
  for (const p of parts.slice(0, -1)) {
    dir = path.join(dir, p);
    if (create && !fs.existsSync(dir)) fs.mkdirSync(dir, { mode: 0o755 });
    fs.closeSync(fs.openSync(dir, DIR));
  }
  return path.join(dir, parts[parts.length - 1]);
}

function listing(limit) {
  const files = [];
  const stack = [''];
  while (stack.length && files.length < limit) {
    const prefix = stack.pop();
    for (const entry of fs.readdirSync(path.join('/box', prefix), { withFileTypes: true })) {
      if (entry.isFile() && files.length < limit) {
        files.push({ path: prefix + entry.name, size: fs.lstatSync(path.join('/box', prefix, entry.name)).size });
      } else if (entry.isDirectory()) {
        stack.push(`${prefix}${entry.name}/`);
      }
    }
  }
  return files;
}

function fileOp(req) {
  const rel = req.path || '';
  try {
    if (req.op === 'list') return { files: listing(req.maxFiles) };
    const file = resolve(rel, req.op === 'put');
    if (req.op === 'put') {
      const data = Buffer.from(req.data || '', 'base64');
      if (!fs.existsSync(file) && listing(req.maxFiles).length >= req.maxFiles) {
        return { error: 'refused', detail: `the session already holds ${req.maxFiles} files (Sessions:MaxFiles)` };
      }
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK, 0o644);
      try {
        if (!fs.fstatSync(fd).isFile()) return { error: 'refused', detail: `'${rel}' is not a regular file` };
        fs.writeSync(fd, data);
      } finally {
        fs.closeSync(fd);
      }
      return { size: data.length };
    }
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) return { error: 'not_found', detail: `'${rel}' is not a regular file` };
      if (st.size > req.maxBytes) return { error: 'refused', detail: `too_large: ${st.size} bytes` };
      return { data: fs.readFileSync(fd).toString('base64'), size: st.size };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (e.code === 'ENOENT') return { error: 'not_found', detail: `no file '${rel}' in the session's work dir` };
    if (e.code === 'ELOOP') return { error: 'refused', detail: `'${rel}' is a symlink: refused` };
    if (e.code === 'ENOTDIR') return { error: 'refused', detail: `a folder of '${rel}' is a symlink or a file: refused` };
    return { error: 'refused', detail: `${e.code || 'error'}: ${e.message}` };
  }
}

module.exports = { fileOp };
