#!/usr/bin/env bash
# Installs the Debian packages Codify needs at run time (the .NET SDK is assumed):
#   redis-server         the shared queue/store, started by the AppHost as a plain process
#   bubblewrap           the sandbox's namespaces
#   python3 (+ numpy, pandas, matplotlib) and node   the interpreters user code runs on
#   libseccomp2          the sandbox's syscall filter (loaded from C#)
#   util-linux           setpriv, to drop to an unprivileged uid before bubblewrap
#   chromium             headless, for the playground page's browser tests (Playwright drives the system browser)
#   user-mode-linux      a cgroup v2 kernel run as a process: the Kernel test tier proves the v2 driver in it
#   npm                  (when missing) builds the playground's editor bundle from its lockfile during the .NET build
# Idempotent: when everything is present it does not touch apt at all.
set -euo pipefail

packages=(redis-server bubblewrap python3 python3-numpy python3-pandas python3-matplotlib libseccomp2 util-linux chromium user-mode-linux)

missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != installed ]; then
    missing+=("$package")
  fi
done
# Node 20+ usually comes with the machine (/usr/bin/node); only fall back to Debian's nodejs without one.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all system packages are present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
