#!/usr/bin/env bash
# Configures the clang build used by the fuzzers and by the ASan+UBSan test run (one build,
# shared: libFuzzer coverage + AddressSanitizer + UndefinedBehaviorSanitizer over the whole
# service, -O1) and builds the given targets (all of them when none is given).
#
#   fuzz/build-fuzz.sh [TARGET...]
#
# Environment: BUILD_DIR (default build-fuzz), JOBS (default 2).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-fuzz}"
jobs="${JOBS:-2}"

CXX="${CXX:-clang++}" cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DVITAREC_BUILD_BENCH=OFF -DVITAREC_BUILD_TESTS=ON -DVITAREC_SANITIZE=ON -DVITAREC_FUZZ=ON >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build" "${targets[@]}" -j "$jobs"
