#!/usr/bin/env bash
# Retakes the README's playground picture (docs/images/playground.png): runs the browser test that answers an input()
# (real Redis, Sandbox and API in-process, Debian's headless chromium), which saves a full-page screenshot when
# PLAYGROUND_SCREENSHOT names a file. Needs what ./test.sh needs (scripts/install-deps.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
PLAYGROUND_SCREENSHOT="$PWD/docs/images/playground.png" dotnet test Codify.Tests \
  --filter "FullyQualifiedName~Codify.Tests.Playground.PlaygroundTests.Input_typed_while_the_program_runs_answers_its_input_call"
echo "screenshot-playground: wrote docs/images/playground.png"
