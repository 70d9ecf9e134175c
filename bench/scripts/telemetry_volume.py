#!/usr/bin/env python3
"""What the services send a telemetry collector (the Aspire dashboard's job) per execution: spans, log records, metric
export requests and bytes, through OTLP http/protobuf to a counting sink here. Redis + API + Sandbox are started as in
the benchmark (built dlls), with the given Telemetry settings; N sequential python hello runs (wait=true).

  python3 bench/scripts/telemetry_volume.py [runs] [Debug|Release] [Key=Value ...]
  e.g. ... 60 Release Telemetry__SampleRatio=1 Telemetry__RedisCommandSpans=true Telemetry__MetricExportIntervalMs=1000
"""
import sys, threading, time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from codify_stack import Stack

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 60
CONFIG = sys.argv[2] if len(sys.argv) > 2 else "Release"
EXTRA = dict(a.split("=", 1) for a in sys.argv[3:])


def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def fields(buf):
    """(field number, bytes) of each length-delimited field of one protobuf message."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 2:
            n, i = varint(buf, i)
            yield number, buf[i:i + n]
            i += n
        elif wire == 0:
            _, i = varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"wire type {wire}")


def count_items(body):
    # Export*ServiceRequest{1: Resource*{2: Scope*{2: item}}}: spans, log records or metrics.
    return sum(1 for _, r in fields(body) if _ == 1 for n, sc in fields(r) if n == 2 for m, _x in fields(sc) if m == 2)


seen = Counter()
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        signal = self.path.rsplit("/", 1)[-1]
        with lock:
            seen[(signal, "requests")] += 1
            seen[(signal, "bytes")] += len(body)
            seen[(signal, "items")] += count_items(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
threading.Thread(target=sink.serve_forever, daemon=True).start()
OTLP = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink.server_port}", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        # As the AppHost sets them for its resources (batch delays of 1 s).
        "OTEL_BSP_SCHEDULE_DELAY": "1000", "OTEL_BLRP_SCHEDULE_DELAY": "1000", "OTEL_METRIC_EXPORT_INTERVAL": "1000"}
try:
    with Stack(CONFIG, {**OTLP, **EXTRA}) as stack:
        for _ in range(10):
            stack.execute()
        time.sleep(3)
        with lock:
            before = Counter(seen)
        clock = time.monotonic()
        results = [stack.execute() for _ in range(RUNS)]
        time.sleep(3)  # the last batches
        elapsed = time.monotonic() - clock
        with lock:
            delta = Counter(seen)
            delta.subtract(before)
    assert all(r["status"] == "completed" for r in results)
    print(f"{RUNS} sequential python hello runs in {elapsed:.1f} s, settings {EXTRA or 'defaults'}; per execution:")
    for signal in ("traces", "logs", "metrics"):
        print(f"  {signal}: {delta[(signal, 'items')] / RUNS:.1f} items, {delta[(signal, 'bytes')] / RUNS / 1024:.1f} KiB,"
              f" {delta[(signal, 'requests')] / RUNS:.2f} export requests")
finally:
    sink.shutdown()
