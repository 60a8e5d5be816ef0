#!/usr/bin/env bash
# Runs the browser tests of the portal pages: headless Debian Chromium driven by playwright-core,
# each test file against its own `vitarec serve` on a free loopback port.
# Usage: tests/web/run.sh [extra node --test arguments]
#   VITAREC_BIN  the binary to test (default build/vitarec; relative paths are from the repo root)
# Needs node, npm and /usr/bin/chromium (scripts/setup.sh test installs them). Installs the npm
# dependencies (package-lock.json) into tests/web/node_modules when they are missing or stale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "web tests: $tool not found (run scripts/setup.sh test)" >&2; exit 1; }
done
[[ -x "${VITAREC_CHROMIUM:-/usr/bin/chromium}" ]] ||
  { echo "web tests: ${VITAREC_CHROMIUM:-/usr/bin/chromium} not found (run scripts/setup.sh test)" >&2; exit 1; }

stamp=node_modules/.package-lock.json
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || ! -d node_modules/playwright-core ]]; then
  echo "web tests: npm ci" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

bin="${VITAREC_BIN:-build/vitarec}"
[[ "$bin" == /* ]] || bin="$here/../../$bin"
[[ -x "$bin" ]] || { echo "web tests: no vitarec binary at $bin (build it, or set VITAREC_BIN)" >&2; exit 1; }
export VITAREC_BIN="$bin"

# One file at a time (each starts a server and a browser on 2 cores); no test may hang.
exec timeout 600 node --test --test-concurrency=1 --test-timeout=60000 --test-reporter=spec "$@" ./*.test.mjs
