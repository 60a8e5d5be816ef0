#!/usr/bin/env bash
# Builds the recommendation query fuzzer with clang (libFuzzer + ASan + UBSan) in its own build
# directory (fuzz/build-fuzz.sh, shared with the HTTP fuzzer) and runs it for a while on the
# seed corpus.
#
#   fuzz/run-recommend-fuzz.sh [SECONDS]        default 30
#
# Environment: BUILD_DIR (default build-fuzz), JOBS (default 2). New inputs the fuzzer finds go
# to $BUILD_DIR/fuzz-corpus (the checked-in seeds are never modified); a crash leaves a
# crash-* file in $BUILD_DIR and a non-zero exit status.
set -euo pipefail

seconds="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-fuzz}"

BUILD_DIR="$build" bash "$root/fuzz/build-fuzz.sh" recommend_query_fuzzer

mkdir -p "$build/fuzz-corpus"
cd "$build"
./fuzz/recommend/recommend_query_fuzzer \
  -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 \
  "$build/fuzz-corpus" "$root/fuzz/recommend/corpus"
