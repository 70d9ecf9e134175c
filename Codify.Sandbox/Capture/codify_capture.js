'use strict';
// Codify's capture for node, run inside the sandbox: bound read-only at /.codify/codify_capture.js and preloaded
// (--require) by a run that asks for its files. Node returns no rich outputs. When the program exits (its own end,
// process.exit, an uncaught error; not a kill), the regular files of the work dir go to the channel, one JSON line
// each, within the request's caps. The host trusts none of it and checks it all again.
const fs = require('fs');
const path = require('path');
const request = JSON.parse(fs.readFileSync('/.codify/capture.json', 'utf8') || '{}');
const root = path.dirname(request.entry || '/box/main.js');
const skip = new Set(request.skip || []);

function collect() {
  const channel = fs.openSync('/.codify/capture.out', 'a');
  let count = 0, bytes = 0, cut = false;
  const write = (record) => { try { fs.writeSync(channel, JSON.stringify(record) + '\n'); } catch { /* over the file-size limit */ } };
  const visit = (dir) => {
    let entries;
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name), relative = path.relative(root, full);
      if (entry.name.startsWith('.') || skip.has(relative)) continue;
      if (entry.isDirectory()) { visit(full); continue; } // a symlink to a folder is not a directory entry: never walked
      let fd;
      // No symlink is followed (ELOOP), a FIFO never blocks: only regular files the program wrote are read.
      try { fd = fs.openSync(full, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK); } catch { continue; }
      try {
        const size = fs.fstatSync(fd).isFile() ? fs.fstatSync(fd).size : -1;
        if (size < 0) continue;
        if (count >= request.max_files || bytes + size > request.max_file_bytes) { cut = true; continue; }
        const data = Buffer.alloc(size);
        let off = 0, n;
        while (off < size && (n = fs.readSync(fd, data, off, size - off, null)) > 0) off += n;
        count++; bytes += size;
        write({ kind: 'file', name: relative, data: data.subarray(0, off).toString('base64') });
      } finally { fs.closeSync(fd); }
    }
  };
  visit(root);
  if (cut) write({ kind: 'truncated', what: 'file' });
}

if (request.files && require('worker_threads').isMainThread) process.on('exit', collect);
// As the warm preload does: forks start plain, and the program's require.cache holds only its own modules.
process.execArgv = process.execArgv.filter((a, i, all) => a !== '--require' && all[i - 1] !== '--require');
delete require.cache[__filename];
