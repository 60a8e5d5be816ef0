#!/usr/bin/env bash
# End-to-end benchmark of Vitarec, the same measurement as the Node/BullMQ peer's (c) and (d)
# (../shared/peers/bullmq/bench.sh):
#   20,000 POST /portal/recommend over 64 keep-alive connections (bench/e2e/submit.js, the same
#   node:http client as the peer's tools/e2e.js), then wait until every job is final;
#   jobs/s = completed / (last job's completion time - first submit), the completion time being
#   the job row's updated_at (unix ms, same clock as the driver). CPU µs per job of the server
#   process (HTTP + store + workers; the peer's figure adds api + worker + redis), peak RSS
#   (VmHWM), and the CPU other processes used on the machine meanwhile (foreign).
#   bench/e2e/e2e.sh [runs=1]
# Env: VITAREC_BIN (build/vitarec), VITAREC_BENCH_ARGS (extra `serve` flags), E2E_N (20000),
#      E2E_CONC (64), E2E_TIMEOUT_S (240).
# A fresh database per run. 127.0.0.1 only; stops only the PIDs it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/common.sh

runs=${1:-1}
bin=${VITAREC_BIN:-build/vitarec}
extra_args=${VITAREC_BENCH_ARGS:-}
n=${E2E_N:-20000}
conc=${E2E_CONC:-64}
timeout_s=${E2E_TIMEOUT_S:-240}
[[ -x $bin ]] || { echo "e2e: $bin not built" >&2; exit 1; }
command -v node >/dev/null || { echo "e2e: needs node" >&2; exit 1; }

work=$(mktemp -d /tmp/vitarec-e2e.XXXXXX)
vpid=""
cleanup() { stop_pid "$vpid"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# vitarec flags: ${extra_args:-(defaults)}; n=$n conc=$conc"
for run in $(seq "$runs"); do
  rm -f "$work"/v.db*
  port=$(free_port)
  # shellcheck disable=SC2086
  "$bin" serve --listen "127.0.0.1:$port" --store "sqlite:$work/v.db" $extra_args \
    >"$work/vitarec.log" 2>&1 &
  vpid=$!
  ready=0
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && { ready=1; break; }
    sleep 0.1
  done
  [[ $ready == 1 ]] || { echo "e2e: vitarec did not become ready" >&2; cat "$work/vitarec.log" >&2; exit 1; }

  t_start=$(date +%s.%N)
  m0=$(machine_busy_ticks); c0=$(pid_ticks "$vpid")
  out=$( (timeout $((timeout_s + 30)) node bench/e2e/submit.js --n="$n" --conc="$conc" --port="$port" --timeout="$timeout_s"
          read -r stat </proc/self/stat; awk '{print "driver_ticks", $14 + $15}' <<<"${stat##*)}") )
  # Wait (bounded) until no job is queued or running.
  pending=1
  for _ in $(seq $((timeout_s * 20))); do
    pending=$(sqlite_pending "$work/v.db")
    [[ $pending == 0 ]] && break
    sleep 0.05
  done
  c1=$(pid_ticks "$vpid"); m1=$(machine_busy_ticks)
  t_end=$(date +%s.%N)
  echo "# run $run"
  grep -v '^driver_ticks' <<<"$out"
  t0=$(awk '/^e2e_t0_ms/ {print $2}' <<<"$out")
  driver_ticks=$(awk '/^driver_ticks/ {print $2}' <<<"$out")
  python3 - "$work/v.db" "$t0" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
t0 = int(sys.argv[2])
rows = dict(db.execute("SELECT state, count(*) FROM jobs WHERE created_at >= ? GROUP BY state", (t0,)))
last = db.execute("SELECT max(updated_at) FROM jobs WHERE state = 'completed' AND created_at >= ?",
                  (t0,)).fetchone()[0] or t0
done = rows.get("completed", 0)
print(f"e2e_jobs_completed {done} jobs")
print(f"e2e_jobs_failed {rows.get('failed', 0)} jobs")
print(f"e2e_jobs_not_final {rows.get('queued', 0) + rows.get('running', 0)} jobs")
print(f"e2e_first_submit_to_last_completion {(last - t0) / 1000:.3f} s")
print(f"e2e_throughput {done / max((last - t0) / 1000, 1e-3):.0f} jobs/s")
PY
  echo "e2e_pending_at_end $pending jobs"
  awk -v d="$((c1 - c0))" -v t="$CLK_TCK" -v j="$n" 'BEGIN{printf "e2e_cpu_per_job_vitarec %.0f us\n", d*1e6/t/j}'
  awk -v d="$driver_ticks" -v t="$CLK_TCK" -v j="$n" 'BEGIN{printf "e2e_cpu_per_job_driver %.0f us\n", d*1e6/t/j}'
  echo "rss_peak_vitarec $(( $(hwm_kb "$vpid") / 1024 )) MiB"
  awk -v m="$((m1 - m0))" -v o="$((c1 - c0 + driver_ticks))" -v a="$t_end" -v b="$t_start" -v t="$CLK_TCK" -v c="$NCPU" \
    'BEGIN{f = m - o; if (f < 0) f = 0; printf "foreign_cpu_share %.1f %%\n", 100 * f / ((a - b) * t * c)}'
  stop_pid "$vpid"; vpid=""
  wait 2>/dev/null || true
done
