#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: a short fuzzing run of the
# query parser, the browser tests (headless Chromium), and the unit and integration tests (CTest:
# real SQLite files, a throwaway PostgreSQL server, servers on 127.0.0.1 port 0).
# Exits non-zero when any step fails; CTest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh test
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVITAREC_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"

failed_steps=()
# The fuzzing run first, so that CTest's summary is the last thing printed.
if [[ -f fuzz/run-recommend-fuzz.sh ]]; then
  bash fuzz/run-recommend-fuzz.sh "${VITAREC_FUZZ_SECONDS:-20}" || failed_steps+=(fuzz-recommend)
fi
# The pages in a real headless Chromium (Node's test runner + playwright-core).
VITAREC_BIN=build/vitarec bash tests/web/run.sh || failed_steps+=(browser-tests)
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600 || failed_steps+=(ctest)

if ((${#failed_steps[@]} > 0)); then
  echo "FAILED: ${failed_steps[*]}" >&2
  exit 1
fi
