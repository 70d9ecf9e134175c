#!/usr/bin/env python3
"""What a warm (pooled) node run costs against a raw cold start, and where: no sandbox, node alone, hello world.

A warm candidate is node started with the pool's launcher (`--require boot.js main.js`, the preload shipped in
Codify.Sandbox/Pool/NodeLauncher.cs, or the one it replaced), measured in two phases:
  refill: CPU from spawn until the ready byte, plus IDLE seconds idle (what the pool pays per run, off the request path)
  run:    wall from the header to the process's end, and CPU in that span (what the request waits for)
A cold candidate is `node [flags] main.js`: wall and CPU of the whole process. CPU is the process tree's user + sys
(wait4 rusage; at the ready byte, the threads' schedstat). Candidates run round-robin, N rounds, so machine noise hits
each alike; medians. Ratios are against the raw cold start (`node --max-old-space-size=192 main.js`).

  python3 bench/scripts/node_warm_cost.py [rounds] [idle seconds]
"""
import glob, os, re, statistics, subprocess, sys, tempfile, time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
IDLE = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = tempfile.mkdtemp(prefix="codify-node-warm-")
main = os.path.join(work, "main.js")
open(main, "w").write("console.log('Hello, World!');\n")


def shipped_preload():
    src = open(os.path.join(REPO, "Codify.Sandbox/Pool/NodeLauncher.cs")).read()
    body = re.search(r'Preload = """\n(.*?)\n\s*""";', src, re.S).group(1)
    return "\n".join(line[8:] for line in body.split("\n")) + "\n"


# The launcher before the warm-up (main thread found through require('worker_threads'), nothing preloaded).
BEFORE = """'use strict';
const fs = require('fs');
function readExact(n) {
  const buf = Buffer.alloc(n);
  let off = 0;
  while (off < n) {
    const r = fs.readSync(0, buf, off, n - off, null);
    if (r === 0) process.exit(0);
    off += r;
  }
  return buf;
}
if (require('worker_threads').isMainThread) {
  fs.writeSync(1, '\\0');
  const parts = readExact(parseInt(readExact(8).toString('latin1'), 16)).toString('utf8').split('\\0');
  process.argv.push(...parts.slice(1, 1 + Number(parts[0])));
}
process.execArgv = process.execArgv.filter((a, i, all) => a !== '--require' && all[i - 1] !== '--require');
delete require.cache[__filename];
"""
SHIPPED = shipped_preload()
# Measured, not shipped: exit through process.reallyExit once node emits 'exit' (skips the environment and isolate
# teardown). A program could see it (process.emit becomes an own property), and node reports an uncaught error only
# after emitting 'exit', so the report would be lost.
FAST_EXIT = SHIPPED.replace("process.execArgv = ", """if (process.chdir.disabled !== true) {
  const emit = process.emit;
  process.emit = function (ev) { const r = emit.apply(this, arguments); if (ev === 'exit') process.reallyExit(process.exitCode ?? 0); return r; };
}
process.execArgv = """, 1)
# Measured, not shipped: the warm-up done once into a startup snapshot (node --build-snapshot) instead of in every start.
# Node 20 leaves console.Console undefined in a process started from a user snapshot: a program could tell.
NO_WARM_UP = SHIPPED.replace("  warmUp();\n", "", 1)
WARM_UP = re.search(r"(function warmUp\(\) \{.*?\n\})", SHIPPED, re.S).group(1) + "\nwarmUp();\n"
# Phases of a run, by process.cpuUsage() marks: after the header, in main.js, at 'exit'; the rest is teardown.
PROBE = SHIPPED.replace("  process.argv.push(", """  const c0 = process.cpuUsage();
  globalThis.mark = (l) => { const c = process.cpuUsage(c0); fs.writeSync(2, `${l} ${(c.user + c.system) / 1000}\\n`); };
  process.on('exit', () => mark('exit event'));
  process.argv.push(""", 1)
probe_main = os.path.join(work, "probe.js")
open(probe_main, "w").write("mark('main.js starts');\nconsole.log('Hello, World!');\nmark('console.log done');\n")
preloads = {}
for name, text in {"before": BEFORE, "shipped": SHIPPED, "fast-exit": FAST_EXIT, "no-warm-up": NO_WARM_UP, "probe": PROBE}.items():
    preloads[name] = os.path.join(work, f"boot-{name}.js")
    open(preloads[name], "w").write(text)

NODE = ["/usr/bin/node", "--max-old-space-size=192"]
FLAG = "--no-rehash-snapshot"
blob = os.path.join(work, "warm-up.blob")
open(os.path.join(work, "warm-up.js"), "w").write(WARM_UP)
subprocess.run(NODE + [FLAG, "--snapshot-blob", blob, "--build-snapshot", "warm-up.js"], check=True, cwd=work, env={})
COLD = {
    "raw cold start": [],
    f"cold {FLAG}": [FLAG],
    "cold --v8-pool-size=0": ["--v8-pool-size=0"],
    "cold --single-threaded": ["--single-threaded"],
    "cold --max-semi-space-size=1": ["--max-semi-space-size=1"],
    "cold --jitless": ["--jitless"],
}
WARM = {
    "warm, launcher before": ([], "before"),
    "warm, launcher shipped": ([], "shipped"),
    f"warm, launcher shipped, {FLAG}": ([FLAG], "shipped"),
    f"warm, shipped + fast exit, {FLAG} (not shipped)": ([FLAG], "fast-exit"),
    f"warm, warm-up in a startup snapshot, {FLAG} (not shipped)": ([FLAG, "--snapshot-blob", blob], "no-warm-up"),
}


def threads_cpu_ms(pid):
    total = 0
    for stat in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            total += int(open(stat).read().split()[0])
        except OSError:
            pass  # a thread that ended meanwhile
    return total / 1e6


def header(args):
    payload = "\0".join([str(len(args)), *args]).encode()
    return b"%08x" % len(payload) + payload


def spawn(cmd):
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={}, cwd=work, bufsize=0)


def finish(p):
    out, err = p.stdout.read(), p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    assert out == b"Hello, World!\n" and p.returncode == 0, (out, err, p.returncode)
    return (ru.ru_utime + ru.ru_stime) * 1000, err


def cold(flags):
    start = time.monotonic()
    p = spawn(NODE + flags + [main])
    p.stdin.close()
    cpu, _ = finish(p)
    return {"wall": (time.monotonic() - start) * 1000, "cpu": cpu}


def warm(flags, preload, program=main):
    p = spawn(NODE + flags + ["--require", preloads[preload], program])
    assert p.stdout.read(1) == b"\0", p.stderr.read()
    at_ready = threads_cpu_ms(p.pid)
    time.sleep(IDLE)  # idle in the pool: background work after the ready byte is the refill's too
    refill = threads_cpu_ms(p.pid)
    start = time.monotonic()
    p.stdin.write(header([]))
    p.stdin.close()
    total, err = finish(p)
    return {"wall": (time.monotonic() - start) * 1000, "cpu": total - refill, "refill": refill, "ready": at_ready, "total": total, "err": err}


candidates = {name: (lambda f=flags: cold(f)) for name, flags in COLD.items()}
candidates |= {name: (lambda f=flags, b=boot: warm(f, b)) for name, (flags, boot) in WARM.items()}
candidates["phases"] = lambda: warm([FLAG], "probe", probe_main)
samples = {name: [] for name in candidates}
for name, run in candidates.items():
    run()  # once unmeasured: page cache, and the output check
for _ in range(ROUNDS):
    for name, run in candidates.items():
        samples[name].append(run())


def med(name, key):
    return statistics.median(s[key] for s in samples[name])


raw_wall, raw_cpu = med("raw cold start", "wall"), med("raw cold start", "cpu")
version = subprocess.run(["/usr/bin/node", "--version"], capture_output=True, text=True).stdout.strip()
print(f"node {version}, {ROUNDS} rounds, interleaved, idle {IDLE} s; medians; raw cold start {raw_wall:.1f} ms wall, {raw_cpu:.1f} ms CPU")
print("| candidate | run wall ms | run CPU ms | refill CPU ms (at ready) | CPU per run ms | run wall / raw | CPU per run / raw |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in candidates:
    if name == "phases":
        continue
    wall, cpu = med(name, "wall"), med(name, "cpu")
    if name in WARM:
        per_run = med(name, "total")
        refill = f"{med(name, 'refill'):.1f} ({med(name, 'ready'):.1f})"
    else:
        per_run, refill = cpu, ""
    print(f"| {name} | {wall:.1f} | {cpu:.1f} | {refill} | {per_run:.1f} | {wall / raw_wall:.2f} | {per_run / raw_cpu:.2f} |")

marks = {}
for sample in samples["phases"]:
    for line in sample["err"].decode().splitlines():
        label, ms = line.rsplit(" ", 1)
        marks.setdefault(label, []).append(float(ms))
print(f"\nA warm hello's run CPU by phase (launcher shipped, {FLAG}; cumulative ms from the header read, medians):")
for label, values in marks.items():
    print(f"- {label}: {statistics.median(values):.2f}")
print(f"- process end (wait4; the rest is teardown after 'exit'): {med('phases', 'cpu'):.2f}")
