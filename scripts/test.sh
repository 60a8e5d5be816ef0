#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: the whole CTest suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer (a clang build shared with the fuzzers),
# short fuzzing runs of HTTP request handling and of the query parser, the engine, store, jobs
# and HTTP tests under ThreadSanitizer, the browser tests (headless Chromium), and the unit and
# integration tests (CTest: real SQLite files, a throwaway PostgreSQL server, servers on
# 127.0.0.1 port 0, the reliability tests that kill, starve and flood the real binary).
# It stops at once, before building, when a tracked C++ file does not match .clang-format.
# Environment: VITAREC_SANITIZERS=0 skips the ASan+UBSan suite and the HTTP fuzzer, about 10
# minutes on 2 cores (the clang build of everything, ~2.5 min of tests, 20 s of fuzzing; see
# docs/RELIABILITY.md, "CI"); the query fuzzer and TSan still run. VITAREC_FUZZ_SECONDS (20) is
# the length of each fuzzing run.
# Exits non-zero when any step fails; CTest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh test
# Formatting first, as it costs a second: every tracked C++ file must match .clang-format
# (Debian's clang-format 14); the fix is `clang-format -i` on the files named.
unformatted=()
while IFS= read -r f; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done < <(git ls-files '*.cc' '*.h')
if ((${#unformatted[@]} > 0)); then
  echo "FAILED: format: not formatted with clang-format: ${unformatted[*]}" >&2
  exit 1
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVITAREC_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"

failed_steps=()
# Sanitizers and fuzzing first, so that CTest's summary is the last thing printed.
# One clang build (-O1, ASan + UBSan + libFuzzer coverage, build-fuzz/) serves both fuzzers and
# the ASan + UBSan run of the whole CTest suite: built whole once when the suite runs, otherwise
# each fuzzing step builds only its own target. UBSan stops at its first report (the build has
# -fno-sanitize-recover=all); leaks fail a test at its exit.
fuzz_seconds="${VITAREC_FUZZ_SECONDS:-20}"
if [[ "${VITAREC_SANITIZERS:-1}" != 0 ]]; then
  if bash fuzz/build-fuzz.sh; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-fuzz --output-on-failure -j2 --timeout 900 || failed_steps+=(asan-ubsan-ctest)
  else
    failed_steps+=(asan-ubsan-build)
  fi
  bash fuzz/run-http-fuzz.sh "$fuzz_seconds" || failed_steps+=(fuzz-http)
fi
bash fuzz/run-recommend-fuzz.sh "$fuzz_seconds" || failed_steps+=(fuzz-recommend)
# TSan over the engine, store, jobs and HTTP tests (their own build, only those targets); the
# HTTP tests hold the hand-offs between the I/O threads and the workers.
tsan_tests=(tests/recommend/recommend_tests tests/store/store_tests tests/jobs/jobs_tests
  tests/http/http_tests)
if cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
     "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DVITAREC_BUILD_BENCH=OFF -DVITAREC_TSAN=ON >/dev/null &&
   cmake --build build-tsan -j2 --target "${tsan_tests[@]##*/}"; then
  for t in "${tsan_tests[@]}"; do
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "build-tsan/$t" --gtest_brief=1 ||
      failed_steps+=("tsan-${t##*/}")
  done
else
  failed_steps+=(tsan-build)
fi
# The pages in a real headless Chromium (Node's test runner + playwright-core).
VITAREC_BIN=build/vitarec bash tests/web/run.sh || failed_steps+=(browser-tests)
# The JavaScript client against the real server, and the Next.js example in Chromium (~2 min).
VITAREC_BIN=build/vitarec bash clients/js/run-tests.sh || failed_steps+=(js-client)
VITAREC_BIN=build/vitarec bash examples/nextjs/run-tests.sh || failed_steps+=(nextjs-example)
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600 || failed_steps+=(ctest)

if ((${#failed_steps[@]} > 0)); then
  echo "FAILED: ${failed_steps[*]}" >&2
  exit 1
fi
