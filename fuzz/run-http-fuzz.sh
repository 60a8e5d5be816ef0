#!/usr/bin/env bash
# Builds the HTTP request fuzzer (the whole service in-process; clang, libFuzzer + ASan + UBSan,
# fuzz/build-fuzz.sh) and runs it for a while on the seed corpus of raw requests.
#
#   fuzz/run-http-fuzz.sh [SECONDS]        default 30
#
# Environment: BUILD_DIR (default build-fuzz), JOBS (default 2). New inputs go to
# $BUILD_DIR/http-fuzz-corpus (the checked-in seeds in fuzz/http/corpus are never modified); a
# crash, or a server that stops answering /healthz, leaves a crash-* file in $BUILD_DIR and a
# non-zero exit status.
set -euo pipefail

seconds="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-fuzz}"

BUILD_DIR="$build" bash "$root/fuzz/build-fuzz.sh" http_request_fuzzer

mkdir -p "$build/http-fuzz-corpus"
cd "$build"
# Leaks are not checked: the in-process service lives until exit on purpose. -timeout covers a
# request that would hang the server (each exchange is bounded at 3 s, /healthz at 5 s).
ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" ./fuzz/http/http_request_fuzzer \
  -max_total_time="$seconds" -max_len=16384 -timeout=25 -rss_limit_mb=4096 \
  -print_final_stats=1 -dict="$root/fuzz/http/http.dict" \
  "$build/http-fuzz-corpus" "$root/fuzz/http/corpus"
