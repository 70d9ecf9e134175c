#!/usr/bin/env bash
# Retakes the README's dashboard screenshots (docs/images/dashboard.png, docs/images/dashboard-traces.png):
# installs Debian's chromium and npm's playwright-core (in a scratch folder outside the repo) when missing, starts
# ./run.sh, waits until the API is ready, sends a few executions, screenshots the Aspire dashboard with headless
# Chromium (scripts/screenshot-dashboard.mjs), then stops the app it started (SIGTERM to ./run.sh's process group).
# PORT moves the API as for ./run.sh; PLAYWRIGHT_DIR (default /tmp/codify-shot) is the scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=${PLAYWRIGHT_DIR:-/tmp/codify-shot}
api=http://localhost:${PORT:-8080}
dashboard=${DASHBOARD_URL:-http://localhost:18888}
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

if [ ! -x /usr/bin/chromium ]; then
  "${as_root[@]}" apt-get install -y chromium
fi
if [ ! -d "$scratch/node_modules/playwright-core" ]; then
  mkdir -p "$scratch"
  (cd "$scratch" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install playwright-core)
fi

# Never screenshot (or stop) somebody else's app.
for url in "$api/api/health" "$dashboard"; do
  if curl -s -o /dev/null --max-time 2 "$url"; then
    echo "screenshot-dashboard: $url already answers; stop that app first (or set PORT)" >&2
    exit 1
  fi
done

log=$(mktemp)
# Its own session and process group, so that stopping it reaches dotnet run and the AppHost, and nothing else.
setsid ./run.sh >"$log" 2>&1 &
app=$!
stop() {
  kill -TERM -- "-$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT

deadline=$((SECONDS + 600)) # a first build on a busy 2-core machine takes minutes
until curl -sf -o /dev/null --max-time 5 "$api/api/health/ready"; do
  if ! kill -0 "$app" 2>/dev/null || [ "$SECONDS" -gt "$deadline" ]; then
    echo "screenshot-dashboard: the app did not become ready; its output:" >&2
    tail -50 "$log" >&2
    exit 1
  fi
  sleep 1
done

PLAYWRIGHT_DIR="$scratch" API_URL="$api" DASHBOARD_URL="$dashboard" node scripts/screenshot-dashboard.mjs
