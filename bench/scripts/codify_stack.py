"""Redis + API + Sandbox started from this repository's built dlls on free loopback ports, for the probe scripts here
(as the benchmark starts them: Production, the seed's variables, a rate limit that does not get in the way). Only the
processes started here are ever stopped, by their own handles."""
import json, os, socket, subprocess, time, urllib.error, urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, config="Release", env=None, slots=4):
        self.redis_port, self.api_port, self.sandbox_port = free_port(), free_port(), free_port()
        self.config, self.env, self.slots, self.procs = config, env or {}, slots, []

    def __enter__(self):
        self._start(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {})
        time.sleep(0.3)
        self.api = self._service("Codify.ExecutionApi", {"PORT": str(self.api_port), "HOST": "127.0.0.1", "RATE_LIMIT_POINTS": "100000000"})
        self.sandbox = self._service("Codify.Sandbox", {"ASPNETCORE_URLS": f"http://127.0.0.1:{self.sandbox_port}",
                                                        "MAX_CONCURRENT_EXECUTIONS": str(self.slots)})
        for _ in range(300):
            try:
                self.execute()
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise SystemExit("the stack never answered")

    def __exit__(self, *_):
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()

    def _start(self, args, env):
        p = subprocess.Popen(args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def _service(self, project, env):
        return self._start(["dotnet", f"{os.getcwd()}/{project}/bin/{self.config}/net10.0/{project}.dll"], {
            **env, "ConnectionStrings__redis": f"127.0.0.1:{self.redis_port}", "ASPNETCORE_ENVIRONMENT": "Production",
            # Run from the repository root, the services do not find their appsettings.json: its levels, given here.
            "Logging__LogLevel__Microsoft.AspNetCore": "Warning", "Logging__LogLevel__StackExchange.Redis": "Warning",
            **self.env})

    def execute(self, language="python", code="print('Hello, World!')"):
        """One wait=true run; a 503 (a sandbox heartbeat late on a loaded machine) is retried for a while."""
        body = json.dumps({"language": language, "code": code}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.api_port}/api/execute?wait=true", body, {"Content-Type": "application/json"})
        for attempt in range(20):
            try:
                return json.load(urllib.request.urlopen(req, timeout=60))
            except urllib.error.HTTPError as e:
                if e.code != 503 or attempt == 19:
                    raise
                time.sleep(0.5)


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


def cpu_ms(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 10
