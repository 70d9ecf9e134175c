#!/usr/bin/env python3
"""API + Sandbox memory (RSS) and CPU under GC/JIT settings given as DOTNET_* environment variables.

For each variant: Redis + API + Sandbox (built dlls), CODIFY_WARMUP warm-up runs (60), idle RSS after 10 s, then 200
python hello runs at concurrency 4: the services' CPU per run (/proc/pid/stat) and the rate. Usage (as root, from the
repository root):
  python3 bench/scripts/gc_settings.py [Release|Debug] [variant name ...]
"""
import os, sys, time
from concurrent.futures import ThreadPoolExecutor
from codify_stack import Stack, cpu_ms, rss_mb

CONFIG = sys.argv[1] if len(sys.argv) > 1 else "Release"
WARMUP = int(os.environ.get("CODIFY_WARMUP", "60"))
# With an OTLP endpoint (a closed loopback port), as under the AppHost: the exporters' own memory and CPU count too.
OTLP = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
VARIANTS = {
    "default (server GC)": {},
    "default, OTLP on": OTLP,
    "workstation GC, OTLP on": {**OTLP, "DOTNET_gcServer": "0"},
    "workstation, non-concurrent, OTLP on": {**OTLP, "DOTNET_gcServer": "0", "DOTNET_gcConcurrent": "0"},
    "TieredPGO off, OTLP on": {**OTLP, "DOTNET_TieredPGO": "0"},
    "TieredPGO on, OTLP on": {**OTLP, "DOTNET_TieredPGO": "1"},
    "workstation, TieredPGO off, OTLP on": {**OTLP, "DOTNET_gcServer": "0", "DOTNET_TieredPGO": "0"},
    "TieredCompilation off, OTLP on": {**OTLP, "DOTNET_TieredCompilation": "0"},
    "workstation, non-concurrent, TieredPGO off, OTLP on": {**OTLP, "DOTNET_gcServer": "0", "DOTNET_gcConcurrent": "0", "DOTNET_TieredPGO": "0"},
    "workstation, non-concurrent, TieredPGO off, gen0 4 MB, OTLP on": {
        **OTLP, "DOTNET_gcServer": "0", "DOTNET_gcConcurrent": "0", "DOTNET_TieredPGO": "0", "DOTNET_GCgen0size": "0x400000"},
}
if len(sys.argv) > 2:
    VARIANTS = {k: v for k, v in VARIANTS.items() if k in sys.argv[2:]}


def measure(extra):
    with Stack(CONFIG, extra, slots=8) as stack:
        for _ in range(WARMUP):
            stack.execute()
        time.sleep(10)
        idle = rss_mb(stack.api.pid) + rss_mb(stack.sandbox.pid)
        before = cpu_ms(stack.api.pid) + cpu_ms(stack.sandbox.pid)
        clock = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: stack.execute(), range(200)))
        rate = 200 / (time.monotonic() - clock)
        cpu = (cpu_ms(stack.api.pid) + cpu_ms(stack.sandbox.pid) - before) / 200
        assert all(r["status"] == "completed" for r in results)
        return idle, rss_mb(stack.api.pid) + rss_mb(stack.sandbox.pid), cpu, rate


print(f"| variant (warm-up {WARMUP} runs) | idle RSS API + Sandbox (MB) | after load (MB) | services CPU per run (ms) | runs/s at c=4 |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, extra in VARIANTS.items():
    idle, loaded, cpu, rate = measure(extra)
    print(f"| {name} | {idle:.0f} | {loaded:.0f} | {cpu:.1f} | {rate:.1f} |", flush=True)
