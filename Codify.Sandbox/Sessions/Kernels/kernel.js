'use strict';
// Codify session kernel (node). Runs inside the session's sandbox as the sandbox's own uid. The launch shell gave it:
// fd 3 = requests from the host, fd 4 = answers to the host, fd 5/6 = the read ends of the FIFOs that are the program's
// stdout/stderr (fd 1/2). Frames both ways: 8 hex digits of length, then UTF-8 JSON. Cells run in this one context
// (vm.runInThisContext), so top-level let/const/function declarations stay for later cells. The program runs in this
// process and can reach these fds: it can only ever lie to its own session.
const fs = require('fs');
const net = require('net');
const path = require('path');
const util = require('util');
const vm = require('vm');
const crypto = require('crypto');
const { createRequire } = require('module');

function send(obj) {
  const data = Buffer.from(JSON.stringify(obj), 'utf8');
  const frame = Buffer.concat([Buffer.from(data.length.toString(16).padStart(8, '0'), 'latin1'), data]);
  let off = 0;
  while (off < frame.length) {
    try {
      off += fs.writeSync(4, frame, off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

// The program's output: forwarded as it comes; at a cell's end a random marker is written after it, and the cell ends
// once both streams have passed their marker (everything the cell wrote has been sent).
const streams = { stdout: { fd: 1, pending: '', marker: null, done: null }, stderr: { fd: 2, pending: '', marker: null, done: null } };
for (const [name, fd] of [['stdout', 5], ['stderr', 6]]) {
  const s = streams[name];
  const socket = new net.Socket({ fd, readable: true, writable: false });
  socket.setEncoding('utf8');
  socket.on('data', (text) => {
    if (!s.marker) {
      send({ t: 'out', s: name, d: text });
      return;
    }
    s.pending += text;
    const at = s.pending.indexOf(s.marker);
    if (at < 0) return;
    if (at > 0) send({ t: 'out', s: name, d: s.pending.slice(0, at) });
    const rest = s.pending.slice(at + s.marker.length);
    s.pending = '';
    s.marker = null;
    if (rest) send({ t: 'out', s: name, d: rest });
    s.done();
  });
}

function drain() {
  return Promise.all(Object.values(streams).map((s) => new Promise((resolve) => {
    s.marker = `\u0000codify-${crypto.randomBytes(16).toString('hex')}\u0000`;
    s.done = resolve;
    fs.writeSync(s.fd, s.marker);
  })));
}

globalThis.require = createRequire('/box/');
// A callback that throws after its cell ended reports on stderr instead of ending the session's interpreter.
process.on('uncaughtException', (e) => fs.writeSync(2, `Uncaught ${e && e.stack ? e.stack : util.inspect(e)}\n`));
let count = 0;

async function runCell(req) {
  count += 1;
  const outputs = [];
  let exit = 0;
  let timedOut = false;
  try {
    let value = vm.runInThisContext(req.code || '', { filename: `<cell ${count}>`, timeout: req.timeoutMs, breakOnSigint: true });
    if (value && typeof value.then === 'function') {
      value = await value;
    }
    if (value !== undefined) {
      outputs.push({ type: 'text/plain', data: util.inspect(value) });
    }
  } catch (e) {
    timedOut = !!e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    const text = e && e.stack ? e.stack : `Uncaught ${util.inspect(e)}`;
    fs.writeSync(2, `${text.split('\n').filter((l) => !l.includes(__filename) && !l.includes('node:vm')).join('\n')}\n`);
    exit = 1;
  }
  await drain();
  send({ t: 'done', cell: req.cell, exit, outputs, timedOut });
}

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

// Requests are handled one after another, in order.
let buffer = Buffer.alloc(0);
let chain = Promise.resolve();
const control = new net.Socket({ fd: 3, readable: true, writable: false });
control.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 8) {
    const length = parseInt(buffer.subarray(0, 8).toString('latin1'), 16);
    if (buffer.length < 8 + length) break;
    const req = JSON.parse(buffer.subarray(8, 8 + length).toString('utf8'));
    buffer = buffer.subarray(8 + length);
    if (req.op === 'interrupt') continue; // a running cell is stopped by its vm timeout; the host kills what does not stop
    chain = chain.then(() => (req.op === 'exec' ? runCell(req) : send({ t: 'reply', ...fileOp(req) })));
  }
});
control.on('end', () => process.exit(0));
send({ t: 'ready' });
