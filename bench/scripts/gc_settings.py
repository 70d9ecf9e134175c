#!/usr/bin/env python3
"""API + Sandbox memory (RSS) and CPU under GC/JIT settings given as DOTNET_* environment variables.

For each variant: Redis + API + Sandbox (Release dlls), 60 warm-up runs, idle RSS after 10 s, then 200 python hello
runs at concurrency 4: the services' CPU per run (/proc/pid/stat) and the wall time. Usage (as root, repository root):
  python3 bench/scripts/gc_settings.py [Release|Debug]
"""
import json, os, socket, subprocess, sys, time, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor

CONFIG = sys.argv[1] if len(sys.argv) > 1 else "Release"
REPO = os.getcwd()
# With an OTLP endpoint (a closed loopback port), as under the AppHost: the exporters' own memory and CPU count too.
OTLP = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
VARIANTS = {
    "default (server GC)": {},
    "default, OTLP on": OTLP,
    "workstation GC, OTLP on": {**OTLP, "DOTNET_gcServer": "0"},
    "workstation, non-concurrent, OTLP on": {**OTLP, "DOTNET_gcServer": "0", "DOTNET_gcConcurrent": "0"},
    "TieredPGO off, OTLP on": {**OTLP, "DOTNET_TieredPGO": "0"},
    "workstation, TieredPGO off, OTLP on": {**OTLP, "DOTNET_gcServer": "0", "DOTNET_TieredPGO": "0"},
    "TieredCompilation off, OTLP on": {**OTLP, "DOTNET_TieredCompilation": "0"},
}
if len(sys.argv) > 2:
    VARIANTS = {k: v for k, v in VARIANTS.items() if k in sys.argv[2:]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


def cpu_ms(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 10


def run_variant(extra):
    redis_port, api_port, sandbox_port = free_port(), free_port(), free_port()
    procs = []

    def start(args, env):
        p = subprocess.Popen(args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        return p

    def service(project, env):
        return start(["dotnet", f"{REPO}/{project}/bin/{CONFIG}/net10.0/{project}.dll"],
                     {**env, **extra, "ConnectionStrings__redis": f"127.0.0.1:{redis_port}", "ASPNETCORE_ENVIRONMENT": "Production",
                      "Logging__LogLevel__Default": "Warning"})

    def execute():
        body = json.dumps({"language": "python", "code": "print('Hello, World!')"}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{api_port}/api/execute?wait=true", body, {"Content-Type": "application/json"})
        for attempt in range(20):
            try:
                return json.load(urllib.request.urlopen(req, timeout=60))
            except urllib.error.HTTPError as e:
                if e.code != 503 or attempt == 19:
                    raise
                time.sleep(0.5)  # a sandbox heartbeat late on a loaded machine

    try:
        start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {})
        time.sleep(0.3)
        api = service("Codify.ExecutionApi", {"PORT": str(api_port), "HOST": "127.0.0.1", "RATE_LIMIT_POINTS": "100000000"})
        sandbox = service("Codify.Sandbox", {"ASPNETCORE_URLS": f"http://127.0.0.1:{sandbox_port}", "MAX_CONCURRENT_EXECUTIONS": "8"})
        for _ in range(300):
            try:
                execute()
                break
            except Exception:
                time.sleep(0.3)
        for _ in range(60):
            execute()
        time.sleep(10)
        idle = (rss_mb(api.pid), rss_mb(sandbox.pid))
        before = cpu_ms(api.pid) + cpu_ms(sandbox.pid)
        clock = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: execute(), range(200)))
        wall = time.monotonic() - clock
        cpu = (cpu_ms(api.pid) + cpu_ms(sandbox.pid) - before) / 200
        loaded = (rss_mb(api.pid), rss_mb(sandbox.pid))
        assert all(r["status"] == "completed" for r in results)
        return idle, loaded, cpu, 200 / wall
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


print("| variant | idle RSS API + Sandbox (MB) | after load (MB) | services CPU per run (ms) | runs/s at c=4 |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, extra in VARIANTS.items():
    (ia, isb), (la, lsb), cpu, rate = run_variant(extra)
    print(f"| {name} | {ia:.0f} + {isb:.0f} = {ia + isb:.0f} | {la + lsb:.0f} | {cpu:.1f} | {rate:.1f} |", flush=True)
