#!/usr/bin/env python3
"""Node's per-run cost, candidates against a raw cold start (`node --max-old-space-size=192 main.js`, hello world):
CPU (user + sys of the process tree, from wait4 rusage) and wall time per run, medians over N runs, one at a time,
interleaved round-robin so machine noise hits every candidate alike. No sandbox: this isolates node's own start.

  python3 bench/scripts/node_start_cost.py [runs]
"""
import os, statistics, subprocess, sys, tempfile, time

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
work = tempfile.mkdtemp(prefix="codify-node-")
main = os.path.join(work, "main.js")
open(main, "w").write("console.log('Hello, World!');\n")
# Built with the run's V8 flags (a snapshot only loads under the flags it was built with).
# A startup snapshot of an empty application: node 20 then runs main.js as usual, from the restored heap.
entry = os.path.join(work, "entry.js")
open(entry, "w").write("require('fs'); require('path');\n")
blob = os.path.join(work, "snap.blob")
subprocess.run(["node", "--max-old-space-size=192", "--snapshot-blob", blob, "--build-snapshot", entry], check=True, cwd=work)
# A snapshot whose deserialize-main runs the program named on the command line (what a pre-built image would do).
entry_main = os.path.join(work, "entry-main.js")
open(entry_main, "w").write(
    "const v8 = require('v8');\n"
    "v8.startupSnapshot.setDeserializeMainFunction(() => {\n"
    "  const path = require('path'); const file = path.resolve(process.argv[1]);\n"
    "  require('module').runMain(file);\n"
    "});\n")
blob_main = os.path.join(work, "snap-main.blob")
subprocess.run(["node", "--max-old-space-size=192", "--snapshot-blob", blob_main, "--build-snapshot", entry_main], check=True, cwd=work)

BASE = ["node", "--max-old-space-size=192"]
CANDIDATES = {
    "raw cold start": BASE + [main],
    "node -e": ["node", "-e", "console.log('Hello, World!')"],
    "--jitless": BASE + ["--jitless", main],
    "--max-semi-space-size=1": BASE + ["--max-semi-space-size=1", main],
    "--single-threaded": BASE + ["--single-threaded", main],
    "--v8-pool-size=0": BASE + ["--v8-pool-size=0", main],
    "startup snapshot (runs main.js)": BASE + ["--snapshot-blob", blob, main],
    "startup snapshot (deserialize main)": BASE + ["--snapshot-blob", blob_main, main],
}


def one(cmd):
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={}, cwd=work)
    out, err = p.communicate()
    return time.monotonic() - start, out, err


def measured(cmd):
    before = os.times()
    wall, out, err = one(cmd)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall * 1000, cpu * 1000, out, err


samples = {name: ([], []) for name in CANDIDATES}
for name, cmd in CANDIDATES.items():
    _, _, out, err = measured(cmd)
    assert out == b"Hello, World!\n", (name, out, err)
for _ in range(RUNS):
    for name, cmd in CANDIDATES.items():
        wall, cpu, _, _ = measured(cmd)
        samples[name][0].append(wall)
        samples[name][1].append(cpu)

raw_wall = statistics.median(samples["raw cold start"][0])
raw_cpu = statistics.mean(samples["raw cold start"][1])
print(f"node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, {RUNS} runs each, interleaved")
print("| candidate | wall p50 ms | CPU mean ms | wall / raw | CPU / raw |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, (walls, cpus) in samples.items():
    wall, cpu = statistics.median(walls), statistics.mean(cpus)
    print(f"| {name} | {wall:.1f} | {cpu:.1f} | {wall / raw_wall:.2f} | {cpu / raw_cpu:.2f} |")
