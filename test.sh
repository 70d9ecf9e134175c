#!/usr/bin/env bash
# Builds Codify.sln and runs all of its tests. The Aspire tests start their own redis-server, API and
# Sandbox (on random ports, so a running ./run.sh is no obstacle). Exits with dotnet test's code.
#   ./test.sh unit | api | sandbox | e2e | kernel   one tier alone (the trait Tier=Unit, ...; see README, "Tests by tier")
# Any other arguments go to dotnet test as they are (e.g. --filter "Tier=Api&FullyQualifiedName~Sockets").
set -euo pipefail
cd "$(dirname "$0")"

tier=()
case "${1:-}" in
  unit) tier=(--filter Tier=Unit) ;;
  api) tier=(--filter Tier=Api) ;;
  sandbox) tier=(--filter Tier=Sandbox) ;;
  e2e) tier=(--filter Tier=EndToEnd) ;;
  kernel) tier=(--filter Tier=Kernel) ;;
esac
if [ ${#tier[@]} -gt 0 ]; then
  shift
fi

# Every tier builds the solution, and the build bundles the playground's editor with node + npm: the packages are
# installed first (a no-op when everything is present).
./scripts/install-deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT

set +e
# A hung test fails the run after 5 minutes (with a dump) instead of eating the CI budget.
dotnet test Codify.sln --logger "console;verbosity=normal" --blame-hang-timeout 5m "${tier[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# CI shows only the tail of the output: repeat each failed test's name and the start of its message there.
awk '
  /^[ \t]+Failed [A-Za-z]/ { shown = 1; lines = 0; print "FAILED:" substr($0, index($0, "Failed") + 6); next }
  shown && /^[ \t]+(Passed|Skipped|Failed) / { shown = 0 }
  shown && lines < 12 { print "  " $0; lines++ }
' "$log"

# One plain closing line over every test project: "Summary: N passed, N failed, N skipped".
awk '
  /^Total tests:/             { seen = 1 }
  /^[ \t]+Passed:[ \t]+[0-9]+$/  { passed += $2 }
  /^[ \t]+Failed:[ \t]+[0-9]+$/  { failed += $2 }
  /^[ \t]+Skipped:[ \t]+[0-9]+$/ { skipped += $2 }
  END { if (seen) printf "Summary: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"

exit "$status"
