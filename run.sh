#!/usr/bin/env bash
# Starts Codify for development: redis-server, the ExecutionApi (HOST:PORT, default 0.0.0.0:8080) and the
# Sandbox, under the Aspire AppHost with its dashboard (http://localhost:18888).
# The seed's variables and any Section__Key setting (README, Settings) go to the service that reads them;
# extra arguments go to the AppHost.
# Ctrl-C or SIGTERM stops everything.
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-deps.sh
# Release: a Debug build runs every service with the JIT's optimizations off, the product would pay that per request.
# exec: the signal reaches dotnet run, which hands it to the AppHost, which stops every resource.
exec dotnet run -c Release --project Codify.AppHost -- "$@"
