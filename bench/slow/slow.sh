#!/usr/bin/env bash
# Slow work, many at once (issue 13, point 6): one node on SQLite, every job waiting 4 x
# --stage-delay-ms (default 5000: 20 s per job, holding no thread), a burst of N submissions
# (bench/e2e/submit.js, 64 keep-alive connections) while bench/slow/status.js reads a status
# over 4 connections every 10 ms each. Reports the time from the last submission until every job
# completed (from the job rows' updated_at), peak RSS (VmHWM), the status p99 during the run and
# the most threads the process had (sampled every 0.2 s).
#   bench/slow/slow.sh [runs=1]
# Env: VITAREC_BIN (build/vitarec), VITAREC_BENCH_ARGS (extra `serve` flags, e.g. `--workers 16`
#      for the old runtime's shape), SLOW_N (10000), SLOW_DELAY_MS (5000), SLOW_TIMEOUT_S (300).
# A fresh database per run. 127.0.0.1 only; stops only the PIDs it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/common.sh

runs=${1:-1}
bin=${VITAREC_BIN:-build/vitarec}
extra_args=${VITAREC_BENCH_ARGS:---max-inflight 12000}
n=${SLOW_N:-10000}
delay=${SLOW_DELAY_MS:-5000}
timeout_s=${SLOW_TIMEOUT_S:-300}
[[ -x $bin ]] || { echo "slow: $bin not built" >&2; exit 1; }
command -v node >/dev/null || { echo "slow: needs node" >&2; exit 1; }

work=$(mktemp -d /tmp/vitarec-slow.XXXXXX)
vpid="" spid="" tpid=""
cleanup() { stop_pid "$spid"; stop_pid "$tpid"; stop_pid "$vpid"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# vitarec flags: --stage-delay-ms $delay ${extra_args}; n=$n"
for run in $(seq "$runs"); do
  rm -f "$work"/v.db*
  port=$(free_port)
  # shellcheck disable=SC2086
  "$bin" serve --listen "127.0.0.1:$port" --store "sqlite:$work/v.db" --no-access-log \
    --stage-delay-ms "$delay" $extra_args >"$work/vitarec.log" 2>&1 &
  vpid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  ( max=0; while kill -0 "$vpid" 2>/dev/null; do
      t=$(awk '/^Threads:/ {print $2}' "/proc/$vpid/status" 2>/dev/null || echo 0)
      (( t > max )) && { max=$t; echo "$max" >"$work/threads"; }
      sleep 0.2
    done ) &
  tpid=$!
  node bench/slow/status.js --port="$port" --duration="$timeout_s" >"$work/status.out" &
  spid=$!
  m0=$(machine_busy_ticks); c0=$(pid_ticks "$vpid"); t_start=$(date +%s.%N)
  out=$(timeout $((timeout_s + 30)) node bench/e2e/submit.js --n="$n" --conc=64 --port="$port" --timeout="$timeout_s")
  pending=1
  for _ in $(seq $((timeout_s * 10))); do
    pending=$(sqlite_pending "$work/v.db")
    [[ $pending == 0 ]] && break
    sleep 0.1
  done
  c1=$(pid_ticks "$vpid"); m1=$(machine_busy_ticks); t_end=$(date +%s.%N)
  kill -TERM "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  spid=""
  echo "# run $run"
  grep -E '^e2e_(jobs_submitted|submit_errors|submit_rate|submit_phase)' <<<"$out"
  t0=$(awk '/^e2e_t0_ms/ {print $2}' <<<"$out")
  phase=$(awk '/^e2e_submit_phase/ {print $2}' <<<"$out")
  python3 - "$work/v.db" "$t0" "$phase" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
t0 = int(sys.argv[2]); last_submit = t0 + float(sys.argv[3]) * 1000
rows = dict(db.execute("SELECT state, count(*) FROM jobs WHERE created_at >= ? GROUP BY state", (t0,)))
last = db.execute("SELECT max(updated_at) FROM jobs WHERE state = 'completed' AND created_at >= ?",
                  (t0,)).fetchone()[0] or t0
print(f"slow_jobs_completed {rows.get('completed', 0)} jobs")
print(f"slow_jobs_not_completed {sum(v for k, v in rows.items() if k != 'completed')} jobs")
all_done = sum(v for k, v in rows.items() if k != "completed") == 0
name = "slow_last_submit_to_all_completed" if all_done else "slow_last_submit_to_last_completion_so_far"
print(f"{name} {(last - last_submit) / 1000:.1f} s")
PY
  cat "$work/status.out"
  curl -s "http://127.0.0.1:$port/metrics" |
    grep -E '^vitarec_jobs_(lease_renewal_calls|leases_renewed|cancel_checks)_total ' || true
  echo "threads_max_vitarec $(cat "$work/threads" 2>/dev/null || echo '?')"
  echo "rss_peak_vitarec $(( $(hwm_kb "$vpid") / 1024 )) MiB"
  awk -v d="$((c1 - c0))" -v t="$CLK_TCK" -v j="$n" 'BEGIN{printf "cpu_per_job_vitarec %.0f us\n", d*1e6/t/j}'
  awk -v m="$((m1 - m0))" -v o="$((c1 - c0))" -v a="$t_end" -v b="$t_start" -v t="$CLK_TCK" -v c="$NCPU" \
    'BEGIN{f = m - o; if (f < 0) f = 0; printf "other_cpu_share %.1f %%\n", 100 * f / ((a - b) * t * c)}'
  stop_pid "$vpid"; vpid=""
  stop_pid "$tpid"; tpid=""
  wait 2>/dev/null || true
done
