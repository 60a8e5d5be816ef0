#!/usr/bin/env bash
# Builds @vitarec/client (tsc → dist/) and runs its tests with Node's test runner: the client,
# the tracker and the SSE parser against a real `vitarec serve` (one per test file, temporary
# SQLite store, free loopback port), the generated types against docs/openapi.yaml, `npm pack`.
# Usage: clients/js/run-tests.sh [extra node --test arguments]
#   VITAREC_BIN  the binary to test (default build/vitarec; relative paths are from the repo root)
# Needs node and npm (scripts/setup.sh test). Installs the npm packages of clients/js and of
# tests/web (whose helpers start the server) from their lock files when missing or stale.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$here/test/npm-deps.sh"

RequireTools node npm
VitarecBinary
NpmDeps "$here"
NpmDeps "$repo/tests/web"
(cd "$here" && npm run --silent build)

cd "$here"
exec timeout 300 node --test --test-concurrency=1 --test-timeout=60000 --test-reporter=spec "$@" test/*.test.mjs
