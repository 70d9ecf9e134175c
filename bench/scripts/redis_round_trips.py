#!/usr/bin/env python3
"""Redis round trips per execution, by service: Redis + API + Sandbox started here (built Debug or Release dlls),
N sequential `POST /api/execute?wait=true` hello-world runs, every command seen through MONITOR.

A round trip is one command a client sends (a MULTI ... EXEC block counts once: the client sends it in one write);
commands a Lua script runs inside Redis are counted apart. Background traffic (heartbeats, polls) is measured over an
idle window of the same length first and subtracted. Usage (as root, from the repository root):
  python3 bench/scripts/redis_round_trips.py [runs] [Debug|Release]
"""
import json, os, re, socket, subprocess, sys, threading, time, urllib.request
from collections import Counter

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
CONFIG = sys.argv[2] if len(sys.argv) > 2 else "Debug"
REPO = os.getcwd()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


redis_port, api_port, sandbox_port = free_port(), free_port(), free_port()
procs = []


def start(args, env=None):
    p = subprocess.Popen(args, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    return p


def service(project, env):
    dll = f"{REPO}/{project}/bin/{CONFIG}/net10.0/{project}.dll"
    return start(["dotnet", dll], {**env, "ConnectionStrings__redis": f"127.0.0.1:{redis_port}",
                                   "ASPNETCORE_ENVIRONMENT": "Production", "Logging__LogLevel__Default": "Warning"})


def wait_healthy(port):
    for _ in range(300):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).status == 200:
                return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"port {port} never healthy")


def execute(language="python", code="print('Hello, World!')"):
    body = json.dumps({"language": language, "code": code}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{api_port}/api/execute?wait=true", body, {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=30))


class Monitor(threading.Thread):
    LINE = re.compile(r'^\+[\d.]+ \[(\d+) ([^\]]+)\] "([^"]+)"')

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", redis_port))
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
    out = subprocess.run(["ss", "-tnpH", f"dport = :{redis_port}"], capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split()
        local = parts[3]
        pid = re.search(r"pid=(\d+)", line)
        table[local] = next((name for name, p in pids.items() if pid and int(pid.group(1)) == p), "other")
    return lambda where: table.get(where, "other")


try:
    start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
    time.sleep(0.5)
    api = service("Codify.ExecutionApi", {"PORT": str(api_port), "HOST": "127.0.0.1", "RATE_LIMIT_POINTS": "100000000"})
    sandbox = service("Codify.Sandbox", {"ASPNETCORE_URLS": f"http://127.0.0.1:{sandbox_port}", "MAX_CONCURRENT_EXECUTIONS": "4"})
    wait_healthy(api_port), wait_healthy(sandbox_port)
    for attempt in range(100):
        try:
            execute()
            break
        except Exception:
            time.sleep(0.3)
    for _ in range(20):
        execute()
    monitor = Monitor()
    monitor.start()
    time.sleep(0.5)
    idle_start = time.monotonic()
    busy_start = time.monotonic()
    results = [execute() for _ in range(RUNS)]
    busy_end = time.monotonic()
    time.sleep(busy_end - busy_start)  # the same length, idle: background traffic
    idle_start, idle_end = busy_end + 0.0, time.monotonic()
    owners = owners_by_port({"api": api.pid, "sandbox": sandbox.pid})
    monitor.stop = True
    busy, busy_lua = monitor.tally(busy_start, busy_end, owners)
    idle, _ = monitor.tally(idle_start, idle_end, owners)
    assert all(r["status"] == "completed" for r in results), results[:3]
    print(f"{RUNS} sequential python hello runs, per run (busy window minus an idle window of the same length):")
    for who in ("api", "sandbox", "other"):
        rows = {cmd: (busy[(w, cmd)] - idle[(w, cmd)]) / RUNS for (w, cmd) in set(busy) | set(idle) if w == who}
        rows = {c: n for c, n in rows.items() if abs(n) >= 0.05}
        print(f"  {who}: {sum(rows.values()):.2f} round trips  " + ", ".join(f"{c} {n:.2f}" for c, n in sorted(rows.items(), key=lambda r: -r[1])))
    print(f"  inside Lua scripts: {sum(busy_lua.values()) / RUNS:.1f} commands per run")
finally:
    for p in reversed(procs):
        p.terminate()
    for p in procs:
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
