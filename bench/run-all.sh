#!/usr/bin/env bash
# The whole HTTP / end-to-end / waiting-clients matrix of docs/BENCHMARKS.md, one step after the
# other (never two benchmarks at once), raw output under $OUT (default
# /tmp/vitarec-bench-results/<stamp>).
#   bench/run-all.sh [http] [e2e] [waiters] [slow]      (default: all four)
# Env: VITAREC_BIN (build/vitarec), HTTP_RUNS (3), HTTP_SECONDS (8), E2E_ROUNDS (3),
#      PEER_DIR (a copy of ../shared/peers/bullmq with `npm ci` done; e2e is Vitarec-only
#      without it).
set -uo pipefail
cd "$(dirname "$0")/.."
export VITAREC_BIN=${VITAREC_BIN:-build/vitarec}
out=${OUT:-/tmp/vitarec-bench-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
steps=("$@"); [[ ${#steps[@]} -gt 0 ]] || steps=(http e2e waiters slow)
echo "results in $out"

for step in "${steps[@]}"; do
  case $step in
    http)
      for sync in full normal; do
        for log in on off; do
          args="--sqlite-sync $sync"; [[ $log == off ]] && args+=" --no-access-log"
          VITAREC_BENCH_ARGS="$args" timeout 1200 bench/http/bench.sh "${HTTP_RUNS:-3}" "${HTTP_SECONDS:-8}" 64 \
            >"$out/http_${sync}_log-${log}.txt" 2>&1
          tail -8 "$out/http_${sync}_log-${log}.txt"
        done
      done ;;
    e2e)
      for round in $(seq "${E2E_ROUNDS:-3}"); do
        if [[ -n ${PEER_DIR:-} ]]; then
          timeout 600 bash "$PEER_DIR/bench.sh" >"$out/e2e_peer_run$round.txt" 2>&1
          grep -E '^(e2e_throughput|e2e_cpu|rss_peak_total|foreign)' "$out/e2e_peer_run$round.txt"
        fi
        for sync in full normal; do
          VITAREC_BENCH_ARGS="--sqlite-sync $sync" timeout 600 bench/e2e/e2e.sh 1 \
            >"$out/e2e_vitarec_${sync}_run$round.txt" 2>&1
          grep -E '^(e2e_throughput|e2e_cpu_per_job_vitarec|rss_peak|foreign)' "$out/e2e_vitarec_${sync}_run$round.txt"
        done
      done ;;
    waiters)
      for mode in sse longpoll; do
        timeout 600 bench/waiters/waiters.sh "$mode" 5000 10 >"$out/waiters_$mode.txt" 2>&1
        grep -E 'rps|p99|rss|client|foreign' "$out/waiters_$mode.txt"
      done ;;
    slow)
      timeout 900 bench/slow/slow.sh 2 >"$out/slow.txt" 2>&1
      grep -E '^(slow_|status_p99|threads_max|rss_peak)' "$out/slow.txt" ;;
    *) echo "unknown step $step" >&2 ;;
  esac
done
