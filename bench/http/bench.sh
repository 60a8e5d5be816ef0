#!/usr/bin/env bash
# HTTP benchmark: Vitarec against nginx answering a static body of the same size, in one run.
#   bench/http/bench.sh [runs=3] [seconds=10] [connections=64]
# Needs build/vitarec (cmake --build build --target vitarec), wrk and nginx (apt: wrk nginx-light).
# For each run: wrk POST /portal/recommend (durable submit: the job is committed to SQLite before
# the 202), then wrk GET /portal/status/<completed id>, against Vitarec and against nginx serving
# a static 202 / 200 of the same size. Prints req/s and p99 per run, then medians and ratios.
# Everything listens on 127.0.0.1; every process started here is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-3}
seconds=${2:-10}
conns=${3:-64}
bin=${VITAREC_BIN:-build/vitarec}
extra_args=${VITAREC_BENCH_ARGS:-}
[[ -x $bin ]] || { echo "bench: $bin not built" >&2; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "bench: needs wrk and nginx" >&2; exit 1; }

work=$(mktemp -d /tmp/vitarec-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

vport=$(free_port)
"$bin" serve --listen "127.0.0.1:$vport" --store "sqlite:$work/v.db" --no-access-log $extra_args \
  >"$work/vitarec.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$vport/readyz" >/dev/null && break; sleep 0.1; done

# Reference bodies: exactly what Vitarec answers, so both sides send the same bytes.
post_body='{"query":"magnesio","quiz_id":"sueno-v1","category":"minerales","locale":"es"}'
accepted=$(curl -s -XPOST "http://127.0.0.1:$vport/portal/recommend" -H 'Content-Type: application/json' -d "$post_body")
id=$(printf '%s' "$accepted" | python3 -c 'import json,sys; print(json.load(sys.stdin)["recommendation_id"])')
status=$(curl -s "http://127.0.0.1:$vport/portal/status/$id?wait=5")
printf '%s' "$status" | grep -q '"status":"completed"' || { echo "bench: job did not complete" >&2; exit 1; }

nport=$(free_port)
printf '%s' "$accepted" >"$work/accepted.json"
printf '%s' "$status" >"$work/status.json"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nport reuseport;
    location = /portal/recommend {
      default_type application/json;
      add_header Location /portal/status/$id;
      add_header Retry-After 3;
      return 202 '$(cat "$work/accepted.json")';
    }
    location /portal/status/ {
      default_type application/json;
      add_header Cache-Control no-store;
      root $work;
      try_files /status.json =404;
    }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -sf -XPOST "http://127.0.0.1:$nport/portal/recommend" >/dev/null 2>&1 && break || true; sleep 0.1; done

run_wrk() {  # run_wrk LABEL URL SCRIPT -> prints "LABEL rps p99_ms"
  local out
  out=$(timeout $((seconds + 30)) wrk -t2 -c"$conns" -d"${seconds}s" --timeout 5s -s "$3" "$2" 2>&1)
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '/^p99_us/ {printf "%.2f", $2/1000}' <<<"$out")
  errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+|Socket errors: .*' <<<"$out" | tr '\n' ' ' || true)
  echo "$1 $rps $p99 ${errors}"
}

results=$work/results.txt
for run in $(seq "$runs"); do
  for target in vitarec nginx; do
    port=$vport; [[ $target == nginx ]] && port=$nport
    run_wrk "submit-$target" "http://127.0.0.1:$port/portal/recommend" bench/http/post.lua | tee -a "$results"
    run_wrk "status-$target" "http://127.0.0.1:$port/portal/status/$id" bench/http/get.lua | tee -a "$results"
  done
done

echo
echo "medians over $runs runs (wrk -t2 -c$conns -d${seconds}s, same machine, 127.0.0.1):"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 3:
        rows.setdefault(parts[0], []).append((float(parts[1]), float(parts[2])))
med = {k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v)) for k, v in rows.items()}
print(f"{'endpoint':<8} {'vitarec req/s':>14} {'p99 ms':>7} {'nginx req/s':>12} {'p99 ms':>7} {'ratio':>6}")
for ep in ("submit", "status"):
    v, n = med[f"{ep}-vitarec"], med[f"{ep}-nginx"]
    print(f"{ep:<8} {v[0]:>14.0f} {v[1]:>7.2f} {n[0]:>12.0f} {n[1]:>7.2f} {v[0]/n[0]:>6.2f}")
PY
echo
grep -E "job finished" -c "$work/vitarec.log" >/dev/null 2>&1 || true
curl -s "http://127.0.0.1:$vport/readyz" >/dev/null && echo "vitarec still ready after the load"
