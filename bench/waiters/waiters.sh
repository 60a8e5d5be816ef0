#!/usr/bin/env bash
# Many waiting clients: one Vitarec process holds CLIENTS concurrent SSE streams (or long-polls)
# on jobs that stay unfinished, while wrk measures the durable submit path at the same time.
#   bench/waiters/waiters.sh [mode=sse|longpoll] [clients=5000] [seconds=10]
# Steps, one server process, a fresh database:
#   1. submit JOBS jobs (they stay queued or running: 16 workers with --stage-delay-ms 60000)
#   2. baseline: wrk POST /portal/recommend (-t2 -c64) with no waiting client; RSS after it
#   3. open CLIENTS waiting clients (bench/waiters/waiters.js), each on its own connection;
#      RSS once all got their first bytes -> RSS per client
#   4. the same wrk POST while they wait; peak RSS sampled every 0.5 s; VmHWM at the end
#   5. the clients must all still be connected at the end
# Env: VITAREC_BIN, VITAREC_BENCH_ARGS, JOBS (500). 127.0.0.1 only; stops only its own PIDs.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/common.sh

mode=${1:-sse}
clients=${2:-5000}
seconds=${3:-10}
jobs=${JOBS:-500}
bin=${VITAREC_BIN:-build/vitarec}
extra_args=${VITAREC_BENCH_ARGS:-}
[[ -x $bin ]] || { echo "waiters: $bin not built" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "# ulimit -n $(ulimit -n); mode=$mode clients=$clients jobs=$jobs wrk -t2 -c64 -d${seconds}s"

work=$(mktemp -d /tmp/vitarec-waiters.XXXXXX)
vpid=""; dpid=""; spid=""
cleanup() { stop_pid "$dpid"; stop_pid "$spid"; stop_pid "$vpid"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port)
# shellcheck disable=SC2086
"$bin" serve --listen "127.0.0.1:$port" --store "sqlite:$work/v.db" --workers 16 \
  --stage-delay-ms 60000 --max-queued 0 --max-connections 20000 --shutdown-grace 1 $extra_args \
  >"$work/vitarec.log" 2>&1 &
vpid=$!
ready=0
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && { ready=1; break; }
  sleep 0.1
done
[[ $ready == 1 ]] || { echo "waiters: vitarec did not become ready" >&2; cat "$work/vitarec.log" >&2; exit 1; }
echo "# vitarec flags: --workers 16 --stage-delay-ms 60000 --max-queued 0 --max-connections 20000 $extra_args"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rss_start $(( $(rss_kb "$vpid") / 1024 )) MiB"

run_wrk() {  # run_wrk LABEL -> metric lines
  local m0 s0 t0 out m1 s1 t1
  m0=$(machine_busy_ticks); s0=$(pid_ticks "$vpid"); t0=$(date +%s.%N)
  out=$( (timeout $((seconds + 30)) wrk -t2 -c64 -d"${seconds}s" --timeout 5s -s bench/http/post.lua \
            "http://127.0.0.1:$port/portal/recommend" 2>&1 || true
          read -r stat </proc/self/stat; awk '{print "wrk_ticks", $14 + $15}' <<<"${stat##*)}") )
  m1=$(machine_busy_ticks); s1=$(pid_ticks "$vpid"); t1=$(date +%s.%N)
  awk -v l="$1" -v m="$((m1 - m0))" -v s="$((s1 - s0))" -v a="$t1" -v b="$t0" -v t="$CLK_TCK" -v c="$NCPU" '
    /Requests\/sec/ {rps = $2} /^p99_us/ {p99 = $2 / 1000} /^p50_us/ {p50 = $2 / 1000}
    /^wrk_ticks/ {w = $2} /Non-2xx/ {bad = $NF} /Socket errors/ {sock = $0}
    END {f = m - s - w; if (f < 0) f = 0
         printf "%s_rps %.0f req/s\n%s_p50 %.2f ms\n%s_p99 %.2f ms\n%s_non2xx %d count\n", l, rps, l, p50, l, p99, l, bad + 0
         if (sock != "") printf "%s_socket_errors 1 flag # %s\n", l, sock
         printf "%s_foreign_cpu %.1f %%\n", l, 100 * f / ((a - b) * t * c)}' <<<"$out"
}

run_wrk submit_baseline
sleep 1
rss_base=$(rss_kb "$vpid")
echo "rss_after_baseline $((rss_base / 1024)) MiB"

hold=$((seconds + 20))
node bench/waiters/waiters.js --port="$port" --clients="$clients" --jobs="$jobs" --mode="$mode" \
  --hold="$hold" >"$work/driver.out" 2>"$work/driver.err" &
dpid=$!
for _ in $(seq 1500); do  # <= 150 s
  grep -q '^ready' "$work/driver.out" 2>/dev/null && break
  kill -0 "$dpid" 2>/dev/null || break
  sleep 0.1
done
grep -q '^ready' "$work/driver.out" || { echo "waiters: clients did not all connect" >&2; cat "$work/driver.out" "$work/driver.err" >&2; exit 1; }
grep -v '^ready' "$work/driver.out"
sleep 2
rss_wait=$(rss_kb "$vpid")
echo "open_connections_server $(ls /proc/$vpid/fd | wc -l) fds"
echo "rss_with_waiters $((rss_wait / 1024)) MiB"
awk -v a="$rss_wait" -v b="$rss_base" -v n="$clients" 'BEGIN{printf "rss_per_waiting_client %.1f KiB\n", (a - b) / n}'

# Peak RSS during the loaded wrk, sampled every 0.5 s (bounded by the wrk's own bound).
( for _ in $(seq $(((seconds + 30) * 2))); do rss_kb "$vpid"; sleep 0.5; done ) >"$work/rss.txt" &
spid=$!
run_wrk submit_with_waiters
stop_pid "$spid"; spid=""
echo "rss_peak_during_submits $(( $(sort -n "$work/rss.txt" | tail -1) / 1024 )) MiB"
echo "vmhwm $(( $(hwm_kb "$vpid") / 1024 )) MiB"
wait "$dpid" 2>/dev/null || true
dpid=""
cat "$work/driver.out" | grep -v '^ready' | grep -v -e '^clients_answered' -e '^open_phase'
tail -1 "$work/driver.err"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "vitarec_log_errors $(grep -cE ' (error|critical) ' "$work/vitarec.log" || true) lines"
