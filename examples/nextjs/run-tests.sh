#!/usr/bin/env bash
# Builds @vitarec/client and this app (`next build`), then drives it (`next start` on a free
# loopback port) in headless Debian Chromium (playwright-core from tests/web) against a real
# `vitarec serve`: search → progress → cards, the quiz, escaping, Vitarec down or slow, a reload
# that resumes, the wait limit, retry.
# Usage: examples/nextjs/run-tests.sh [extra node --test arguments]
#   VITAREC_BIN  the binary to test (default build/vitarec; relative paths are from the repo root)
# Needs node, npm and /usr/bin/chromium (scripts/setup.sh test). `npm ci` here runs every time:
# it copies the freshly built clients/js into node_modules (install-links, see .npmrc).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/clients/js/test/npm-deps.sh"
export NEXT_TELEMETRY_DISABLED=1

RequireTools node npm
[[ -x "${VITAREC_CHROMIUM:-/usr/bin/chromium}" ]] ||
  { echo "${VITAREC_CHROMIUM:-/usr/bin/chromium} not found (run scripts/setup.sh test)" >&2; exit 1; }
VitarecBinary
NpmDeps "$repo/clients/js"
NpmDeps "$repo/tests/web"
(cd "$repo/clients/js" && npm run --silent build)
NpmDeps "$here" always

cd "$here"
started=$SECONDS
timeout 600 node node_modules/next/dist/bin/next build >"${TMPDIR:-/tmp}/vitarec-next-build.log" 2>&1 ||
  { tail -40 "${TMPDIR:-/tmp}/vitarec-next-build.log" >&2; echo "next build failed" >&2; exit 1; }
echo "next build: $((SECONDS - started)) s" >&2
exec timeout 300 node --test --test-concurrency=1 --test-timeout=90000 --test-reporter=spec "$@" tests/*.test.mjs
