#!/usr/bin/env python3
"""Redis round trips per execution, by service: Redis + API + Sandbox started here (built Debug or Release dlls),
N sequential `POST /api/execute?wait=true` hello-world runs, every command seen through MONITOR.

Counted: each command a client sends (a MULTI ... EXEC block counts once: the client sends it in one write; commands
sent together without waiting, such as XACK + XDEL, still count one each);
commands a Lua script runs inside Redis are counted apart. Background traffic (heartbeats, polls) is measured over an
idle window of the same length first and subtracted. Usage (as root, from the repository root):
  python3 bench/scripts/redis_round_trips.py [runs] [Debug|Release]
"""
import re, socket, subprocess, sys, threading, time
from collections import Counter
from codify_stack import Stack

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
CONFIG = sys.argv[2] if len(sys.argv) > 2 else "Debug"


class Monitor(threading.Thread):
    LINE = re.compile(r'^\+[\d.]+ \[(\d+) ([^\]]+)\] "([^"]+)"')

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", stack.redis_port))
        self.sock.sendall(b"MONITOR\r\n")
        self.lines, self.stop = [], False

    def run(self):
        buf = b""
        while not self.stop:
            data = self.sock.recv(65536)
            if not data:
                return
            buf += data
            *done, buf = buf.split(b"\r\n")
            self.lines += [(time.monotonic(), l.decode(errors="replace")) for l in done]

    def tally(self, since, until, owners):
        trips, lua, in_multi = Counter(), Counter(), set()
        for t, line in self.lines:
            m = self.LINE.match(line)
            if not m or not since <= t < until:
                continue
            where, cmd = m.group(2), m.group(3).upper()
            if where == "lua":
                lua[cmd] += 1
                continue
            who = owners(where)
            if cmd == "MULTI":
                in_multi.add(where)
                trips[(who, "MULTI..EXEC")] += 1
            elif where in in_multi:
                if cmd == "EXEC":
                    in_multi.discard(where)
            else:
                trips[(who, cmd)] += 1
        return trips, lua


def owners_by_port(pids):
    out = subprocess.run(["ss", "-tnpH", f"dport = :{stack.redis_port}"], capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split()
        local = parts[3]
        pid = re.search(r"pid=(\d+)", line)
        table[local] = next((name for name, p in pids.items() if pid and int(pid.group(1)) == p), "other")
    return lambda where: table.get(where, "other")


with Stack(CONFIG) as stack:
    for _ in range(20):
        stack.execute()
    monitor = Monitor()
    monitor.start()
    time.sleep(0.5)
    busy_start = time.monotonic()
    results = [stack.execute() for _ in range(RUNS)]
    busy_end = time.monotonic()
    time.sleep(busy_end - busy_start)  # the same length, idle: background traffic
    idle_start, idle_end = busy_end, time.monotonic()
    owners = owners_by_port({"api": stack.api.pid, "sandbox": stack.sandbox.pid})
    monitor.stop = True
busy, busy_lua = monitor.tally(busy_start, busy_end, owners)
idle, _ = monitor.tally(idle_start, idle_end, owners)
assert all(r["status"] == "completed" for r in results), results[:3]
print(f"{RUNS} sequential python hello runs, per run (busy window minus an idle window of the same length):")
for who in ("api", "sandbox", "other"):
    rows = {cmd: (busy[(w, cmd)] - idle[(w, cmd)]) / RUNS for (w, cmd) in set(busy) | set(idle) if w == who}
    rows = {c: n for c, n in rows.items() if abs(n) >= 0.05}
    print(f"  {who}: {sum(rows.values()):.2f} commands  " + ", ".join(f"{c} {n:.2f}" for c, n in sorted(rows.items(), key=lambda r: -r[1])))
print(f"  inside Lua scripts: {sum(busy_lua.values()) / RUNS:.1f} commands per run")
