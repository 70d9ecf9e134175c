'use strict';
// Codify session kernel (node). Runs inside the session's sandbox as the sandbox's own uid. The launch shell gave it:
// fd 3 = requests from the host, fd 4 = answers to the host, fd 5/6 = the read ends of the FIFOs that are the program's
// stdout/stderr (fd 1/2). Frames both ways: 8 hex digits of length, then UTF-8 JSON. Cells run in this one context
// (vm.runInThisContext), so top-level let/const/function declarations stay for later cells. The program runs in this
// process and can reach these fds: it can only ever lie to its own session.
// A cell runs on the main thread and may never yield, so what must go on meanwhile has threads of its own: one reads the
// host's requests (an interrupt becomes a SIGINT, which stops the cell), one per stream forwards the program's output
// (a cell that floods a FIFO nobody drains would block in write(2) for good, beyond any interrupt).
const fs = require('fs');
const util = require('util');
const vm = require('vm');
const crypto = require('crypto');
const { Worker } = require('worker_threads');
const { createRequire } = require('module');
// Put, get and list in the work dir, bound read-only beside this file.
const { fileOp } = require('./codify_kernel_files.js');

// Every thread writes frames to fd 4; one lock (shared memory) keeps each frame whole.
const SEND = `
function send(obj) {
  const data = Buffer.from(JSON.stringify(obj), 'utf8');
  const frame = Buffer.concat([Buffer.from(data.length.toString(16).padStart(8, '0'), 'latin1'), data]);
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 5);
  try {
    let off = 0;
    while (off < frame.length) {
      try {
        off += fs.writeSync(4, frame, off);
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
      }
    }
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  }
}`;
const lock = new Int32Array(new SharedArrayBuffer(4));
// [0]: the number of the exec request the main thread runs (0: none); [1]: the last one an interrupt came for.
const cells = new Int32Array(new SharedArrayBuffer(8));
const send = new Function('fs', 'lock', `${SEND}\nreturn send;`)(fs, lock);

// A thread of the kernel's own: the same send, and the blocking reads it is there for (a descriptor that someone made
// non-blocking is waited on instead).
const READ = `
const nap = new Int32Array(new SharedArrayBuffer(4));
function read(fd, buffer, off) {
  for (;;) {
    try {
      return fs.readSync(fd, buffer, off, buffer.length - off, null);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, 2);
    }
  }
}`;
function thread(body, workerData) {
  const source = `const fs = require('fs');\nconst { parentPort, workerData } = require('worker_threads');\nconst lock = workerData.lock;\n${SEND}\n${READ}\n${body}`;
  return new Worker(source, { eval: true, workerData: { lock, ...workerData } });
}

// The program's output, forwarded as it comes. At a cell's end the kernel's marker (random, never shown to the
// program) is written after it on both streams; the cell ends once both have passed it: everything it wrote is sent.
const PUMP = `
const { StringDecoder } = require('string_decoder');
const { fd, name, marker } = workerData;
const decoder = new StringDecoder('utf8');
const buffer = Buffer.alloc(65536);
let pending = '';
for (;;) {
  const n = read(fd, buffer, 0);
  pending += decoder.write(buffer.subarray(0, n));
  for (let at; (at = pending.indexOf(marker)) >= 0; pending = pending.slice(at + marker.length)) {
    if (at > 0) send({ t: 'out', s: name, d: pending.slice(0, at) });
    parentPort.postMessage('passed');
  }
  let keep = Math.min(pending.length, marker.length - 1);
  while (keep > 0 && !marker.startsWith(pending.slice(pending.length - keep))) keep--;
  if (pending.length > keep) send({ t: 'out', s: name, d: pending.slice(0, pending.length - keep) });
  pending = pending.slice(pending.length - keep);
}`;
const marker = `\u0000codify-${crypto.randomBytes(16).toString('hex')}\u0000`;
const passed = { 1: [], 2: [] };
for (const [fd, name, source] of [[1, 'stdout', 5], [2, 'stderr', 6]]) {
  // Only the kernel writes the marker, so a 'passed' always has its waiting drain; a stray one is ignored all the same.
  thread(PUMP, { fd: source, name, marker }).on('message', () => passed[fd].shift()?.());
}

// Node writes to a pipe asynchronously: past what the FIFO holds, a cell that never yields would queue its output in
// memory (the memory limit, then output delivered after the cell ended). Blocking writes wait for the pump instead.
for (const stream of [process.stdout, process.stderr]) stream._handle?.setBlocking?.(true);

// A cell that closed fd 0, 1 or 2 leaves a number the next open takes: a libuv handle that got it would abort node when
// closed (uv__close refuses stdio fds). Each is taken back at once, in order (an open returns the lowest free number):
// 0 on /dev/null, 1 and 2 on their FIFOs again (reopened through the kernel's read ends), so output flows on.
function reclaimStdio() {
  for (const [fd, path] of [[0, '/dev/null'], [1, '/proc/self/fd/5'], [2, '/proc/self/fd/6']]) {
    try {
      fs.fstatSync(fd);
    } catch {
      const got = fs.openSync(path, fd === 0 ? 'r' : 'w');
      if (got !== fd) fs.closeSync(got);
    }
  }
}

// Whether fd still is the FIFO the kernel pumps (the program may have put a file of its own there).
function pumped(fd, source) {
  try {
    const [a, b] = [fs.fstatSync(fd), fs.fstatSync(source)];
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

function drain() {
  return Promise.all([[1, 5], [2, 6]].map(([fd, source]) => new Promise((resolve) => {
    // Not the FIFO any more: no marker can come through, and nothing of the cell's output waits in the pipe.
    if (!pumped(fd, source)) return resolve();
    passed[fd].push(resolve);
    try {
      fs.writeSync(fd, marker);
    } catch {
      passed[fd].pop();
      resolve();
    }
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
    // Compiled before the cell counts as running: a SIGINT while vm compiles (before breakOnSigint's watchdog starts)
    // would meet the no-op listener below and be lost; an interrupt meanwhile is seen by the check that follows instead.
    const script = new vm.Script(req.code || '', { filename: `<cell ${count}>` });
    // Stops an interrupt that came before the cell ran from being lost (the cell would then run on to a kill).
    Atomics.store(cells, 0, req.seq);
    if (Atomics.load(cells, 1) === req.seq) throw Object.assign(new Error('Script execution interrupted.'), { code: 'ERR_SCRIPT_EXECUTION_INTERRUPTED' });
    let value = script.runInThisContext({ timeout: req.timeoutMs, breakOnSigint: true });
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
  Atomics.store(cells, 0, 0);
  try {
    reclaimStdio();
    await drain();
  } finally {
    send({ t: 'done', cell: req.cell, exit, outputs, timedOut });
  }
}

// The host's requests, read on a thread of their own: an interrupt stops the running cell at once (breakOnSigint), the
// rest are handled here one after another, in order. The host closing the channel ends the session.
const CONTROL = `
const header = Buffer.alloc(8);
function readExact(buffer) {
  for (let off = 0; off < buffer.length;) {
    const n = read(3, buffer, off);
    if (n === 0) return false;
    off += n;
  }
  return true;
}
const cells = workerData.cells;
let seq = 0;
let latest = null;
while (readExact(header)) {
  const body = Buffer.alloc(parseInt(header.toString('latin1'), 16));
  if (!readExact(body)) break;
  const req = JSON.parse(body.toString('utf8'));
  if (req.op !== 'interrupt') {
    if (req.op === 'exec') [req.seq, latest] = [++seq, req.cell];
    parentPort.postMessage(req);
  } else if (req.cell === latest) {
    Atomics.store(cells, 1, seq);
    if (Atomics.load(cells, 0) === seq) process.kill(process.pid, 'SIGINT');
  }
}
parentPort.postMessage({ op: 'end' });`;
// Outside a cell (breakOnSigint handles it inside) a late interrupt must not end the kernel.
process.on('SIGINT', () => {});
// process.exit joins every thread, and ours wait in read(2) for good: an exit (the program's, or the host closing the
// channel) ends the process at once instead. The host reports the interpreter exited either way.
process.on('exit', () => process.kill(process.pid, 'SIGKILL'));
let chain = Promise.resolve();
thread(CONTROL, { cells }).on('message', (req) => {
  if (req.op === 'end') process.exit(0);
  // A request that fails must not stop the ones after it: a rejected chain would leave the kernel deaf for good.
  chain = chain.then(() => (req.op === 'exec' ? runCell(req) : send({ t: 'reply', ...fileOp(req) }))).catch(() => {});
});
send({ t: 'ready' });
