#!/usr/bin/env bash
# Installs the Debian 12 packages Vitarec needs, only those missing. Usage:
#   scripts/setup.sh build      # to build and run the service
#   scripts/setup.sh test       # also what the tests need
# Runs apt-get as root, or through sudo otherwise.
set -euo pipefail

profile="${1:-build}"
packages=(g++ cmake ninja-build pkg-config ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libspdlog-dev libfmt-dev libcli11-dev libexpected-dev
  libssl-dev)
if [[ "$profile" == test ]]; then
  # postgresql: initdb and postgres for the throwaway server of the PostgreSQL store tests.
  # clang-format: scripts/test.sh fails on C++ files that do not match .clang-format.
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev curl chromium nodejs
    postgresql nginx-light clang-format)
  # Browser tests (tests/web) need npm too; a Node.js package that bundles it conflicts with
  # Debian's npm, so ask for npm only when the command is missing.
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
