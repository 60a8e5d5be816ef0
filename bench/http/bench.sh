#!/usr/bin/env bash
# HTTP benchmark: Vitarec against nginx answering a static body of the same size, in one run.
#   bench/http/bench.sh [runs=3] [seconds=10] [connections=64]
# Env: VITAREC_BIN (build/vitarec), VITAREC_BENCH_ARGS (extra `serve` flags, e.g.
#      "--sqlite-sync normal --no-access-log"; the default is the service's own default:
#      synchronous=FULL and the access log on, written to a file), DRAIN_MAX_S (240),
#      MAX_FOREIGN (10: runs with more foreign CPU, in % of the machine, are left out of the
#      "clean" medians).
# Needs wrk, nginx, python3 (apt: wrk nginx-light python3).
# Each run: wrk POST /portal/recommend against Vitarec (durable submit: the job is committed to
# SQLite before the 202; the workers run the jobs concurrently, as in production), waits until
# the backlog that built up is worked off (so it does not load the next measurement), then wrk
# POST against nginx (a static 202 with the same headers and body), then GET
# /portal/status/<completed id> against both. Per measurement it reports req/s, p50/p99, wrk's
# error counts, the server's CPU per request and the CPU used by other processes on the machine
# (foreign) during it. Then medians of the per-run ratios.
# Everything listens on 127.0.0.1; every process started here is stopped by its PID on exit;
# every wrk is bounded by `timeout`, every wait by a deadline.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/common.sh

runs=${1:-3}
seconds=${2:-10}
conns=${3:-64}
bin=${VITAREC_BIN:-build/vitarec}
extra_args=${VITAREC_BENCH_ARGS:-}
drain_max_s=${DRAIN_MAX_S:-240}
max_foreign=${MAX_FOREIGN:-10}
[[ -x $bin ]] || { echo "bench: $bin not built" >&2; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "bench: needs wrk and nginx" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d /tmp/vitarec-bench.XXXXXX)
chmod 755 "$work"  # nginx workers (user nobody) must reach status.json, else try_files -> 404
vpid=""
nginx_pid=""
cleanup() {
  stop_pid "$vpid"
  if [[ -z $nginx_pid && -f $work/nginx.pid ]]; then nginx_pid=$(cat "$work/nginx.pid"); fi
  stop_pid "$nginx_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

vport=$(free_port)
# shellcheck disable=SC2086  # extra_args is a list of flags
# The queue cap is raised: with the workers running below the I/O threads' priority, a 10 s burst
# queues more than the default 100,000 jobs, and the submit run would measure cheap 503s.
"$bin" serve --listen "127.0.0.1:$vport" --store "sqlite:$work/v.db" --max-queued 10000000 $extra_args \
  >"$work/vitarec.log" 2>&1 &
vpid=$!
ready=0
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$vport/readyz" >/dev/null && { ready=1; break; }
  sleep 0.1
done
[[ $ready == 1 ]] || { echo "bench: vitarec did not become ready" >&2; cat "$work/vitarec.log" >&2; exit 1; }

# Reference bodies: exactly what Vitarec answers, so both sides send the same bytes.
post_body='{"query":"magnesio","quiz_id":"sueno-v1","category":"minerales","locale":"es"}'
accepted=$(curl -s -XPOST "http://127.0.0.1:$vport/portal/recommend" -H 'Content-Type: application/json' -d "$post_body")
id=$(printf '%s' "$accepted" | python3 -c 'import json,sys; print(json.load(sys.stdin)["recommendation_id"])')
status=$(curl -s "http://127.0.0.1:$vport/portal/status/$id?wait=5")
printf '%s' "$status" | grep -q '"status":"completed"' || { echo "bench: job did not complete" >&2; exit 1; }

etag=$(curl -s -o /dev/null -D - "http://127.0.0.1:$vport/portal/status/$id" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
nport=$(free_port)
printf '%s' "$accepted" >"$work/accepted.json"
printf '%s' "$status" >"$work/status.json"
# A body as an nginx single-quoted string: backslashes and quotes escaped. nginx would expand
# `$name` in a `return` text, so a body with a `$` cannot be served this way.
nginx_quote() {
  if grep -q '\$' "$1"; then echo "bench: $1 holds a \$; cannot serve it with return" >&2; exit 1; fi
  sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$1"
}
# Both answers come from memory (`return`), like Vitarec's: no file is opened per request.
# `always`: without it nginx adds headers only to 200/201/204/206/3xx answers, not to a 202.
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport reuseport;
    location = /portal/recommend {
      default_type application/json;
      add_header X-Content-Type-Options nosniff always;
      add_header Location /portal/status/$id always;
      add_header Retry-After 3 always;
      return 202 '$(nginx_quote "$work/accepted.json")';
    }
    location /portal/status/ {
      default_type application/json;
      add_header X-Content-Type-Options nosniff;
      add_header ETag '$etag';
      add_header Cache-Control no-store;
      return 200 '$(nginx_quote "$work/status.json")';
    }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log"
for _ in $(seq 50); do [[ -s $work/nginx.pid ]] && break; sleep 0.1; done
nginx_pid=$(cat "$work/nginx.pid")
for _ in $(seq 50); do curl -sf -XPOST "http://127.0.0.1:$nport/portal/recommend" >/dev/null 2>&1 && break || true; sleep 0.1; done
nginx_pids() { echo "$nginx_pid"; child_pids "$nginx_pid"; }

# Both sides must answer the same status with about the same number of bytes.
check_same() {  # check_same METHOD PATH
  local v n
  v=$(curl -s -o /dev/null -w '%{http_code} %{size_header}+%{size_download}' -X"$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$vport$2")
  n=$(curl -s -o /dev/null -w '%{http_code} %{size_header}+%{size_download}' -X"$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$nport$2")
  echo "# $1 $2: vitarec $v bytes, nginx $n bytes"
  local vb nb
  vb=$(curl -s -X"$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$vport$2" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("recommendation_id",None); d.pop("statusUrl",None); print(len(json.dumps(d)))')
  nb=$(curl -s -X"$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$nport$2" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("recommendation_id",None); d.pop("statusUrl",None); print(len(json.dumps(d)))')
  [[ $vb == "$nb" ]] || { echo "bench: bodies differ (vitarec $vb, nginx $nb JSON bytes)" >&2; exit 1; }
  [[ ${v%% *} == "${n%% *}" ]] || { echo "bench: status codes differ (vitarec $v, nginx $n)" >&2; exit 1; }
}
check_same POST /portal/recommend "$post_body"
check_same GET "/portal/status/$id"

# run_wrk LABEL URL SCRIPT SERVER_PIDS...
# -> "LABEL rps p99_ms p50_ms non2xx socket_errors server_us_per_req foreign_pct wrk_pct", rps
# counting 2xx answers only
run_wrk() {
  local label=$1 url=$2 script=$3; shift 3
  local m0 s0 t0 out m1 s1 t1 wrk_ticks
  m0=$(machine_busy_ticks); s0=$(pids_ticks "$@"); t0=$(date +%s.%N)
  # The subshell reports the CPU of the wrk it waited for (cutime + cstime of /proc/self).
  out=$( (timeout $((seconds + 30)) wrk -t2 -c"$conns" -d"${seconds}s" --timeout 5s -s "$script" "$url" 2>&1 || true
          read -r stat </proc/self/stat; awk '{print "wrk_ticks", $14 + $15}' <<<"${stat##*)}") )
  m1=$(machine_busy_ticks); s1=$(pids_ticks "$@"); t1=$(date +%s.%N)
  wrk_ticks=$(awk '/^wrk_ticks/ {print $2}' <<<"$out")
  awk -v label="$label" -v m="$((m1 - m0))" -v s="$((s1 - s0))" -v w="$wrk_ticks" \
      -v wall="$(awk -v a="$t1" -v b="$t0" 'BEGIN{print a-b}')" -v tck="$CLK_TCK" -v ncpu="$NCPU" '
    /Requests\/sec/ {rps = $2}
    /^p99_us/ {p99 = $2 / 1000}
    /^p50_us/ {p50 = $2 / 1000}
    /^requests/ {n = $2}
    /Non-2xx or 3xx responses:/ {non2xx = $NF}
    /Socket errors:/ {sock = $4 $6 $8 $10; gsub(/,/, "/", sock)}
    END {
      cap = wall * tck * ncpu; f = m - s - w; if (f < 0) f = 0
      # Only 2xx answers count: a 503 (queue full, store down) is not a durable submit.
      if (n > 0) rps = rps * (n - non2xx) / n
      printf "%s %.0f %.2f %.2f %d %s %.1f %.1f %.1f\n", label, rps, p99, p50, non2xx + 0,
        (sock == "" ? "0" : sock), (n > 0 ? s * 1e6 / tck / n : 0), 100 * f / cap, 100 * w / cap
    }' <<<"$out"
}

# Waits (bounded) until Vitarec has worked off the jobs the submit run queued; prints seconds.
drain() {
  local t0 pending
  t0=$(date +%s.%N)
  for _ in $(seq $((drain_max_s * 2))); do
    pending=$(sqlite_pending "$work/v.db")
    [[ $pending == 0 ]] && break
    sleep 0.5
  done
  awk -v a="$(date +%s.%N)" -v b="$t0" -v p="$pending" 'BEGIN{printf "%.1f %d\n", a-b, p}'
}

results=$work/results.txt
echo "# vitarec flags: ${extra_args:-(defaults: --sqlite-sync full, access log on)}; wrk -t2 -c$conns -d${seconds}s"
echo "# columns: label req/s p99_ms p50_ms non2xx socket_errors(connect/read/write/timeout) server_cpu_us_per_req foreign_cpu_% wrk_cpu_%"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$runs"); do
  run_wrk "submit-vitarec" "http://127.0.0.1:$vport/portal/recommend" bench/http/post.lua "$vpid" | tee -a "$results"
  read -r drain_s left < <(drain)
  echo "# run $run: backlog worked off in ${drain_s} s (left: $left)"
  run_wrk "submit-nginx" "http://127.0.0.1:$nport/portal/recommend" bench/http/post.lua $(nginx_pids) | tee -a "$results"
  run_wrk "status-vitarec" "http://127.0.0.1:$vport/portal/status/$id" bench/http/get.lua "$vpid" | tee -a "$results"
  run_wrk "status-nginx" "http://127.0.0.1:$nport/portal/status/$id" bench/http/get.lua $(nginx_pids) | tee -a "$results"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# vitarec peak RSS (VmHWM): $(( $(hwm_kb "$vpid") / 1024 )) MiB"

echo
echo "medians over $runs runs (wrk -t2 -c$conns -d${seconds}s, same machine, 127.0.0.1):"
python3 - "$results" "$max_foreign" <<'PY'
import statistics, sys
max_foreign = float(sys.argv[2])
runs = {}  # label -> list of rows, in run order
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) < 9:
        continue
    runs.setdefault(p[0], []).append(dict(rps=float(p[1]), p99=float(p[2]), p50=float(p[3]),
        non2xx=int(p[4]), sock=p[5], cpu=float(p[6]), foreign=float(p[7])))
med = statistics.median
print(f"{'endpoint':<7} {'runs':>4} {'vitarec req/s':>13} {'p99 ms':>7} {'µs/req':>7} {'nginx req/s':>11} "
      f"{'p99 ms':>7} {'µs/req':>7} {'ratio':>6} {'ratio range':>12} {'foreign %':>9} {'errors':>6}")
for ep in ("submit", "status"):
    v, n = runs.get(f"{ep}-vitarec", []), runs.get(f"{ep}-nginx", [])
    pairs = list(zip(v, n))
    for name, sel in (("all", pairs), ("clean", [(a, b) for a, b in pairs
                                                  if max(a["foreign"], b["foreign"]) <= max_foreign])):
        if not sel:
            print(f"{ep:<7} {name}: no run with foreign CPU <= {max_foreign} %")
            continue
        ratios = [a["rps"] / b["rps"] for a, b in sel if b["rps"] > 0]
        errors = sum(a["non2xx"] + b["non2xx"] for a, b in sel) + sum(
            1 for a, b in sel if a["sock"] != "0" or b["sock"] != "0")
        print(f"{ep + '/' + name:<7} {len(sel):>4} {med(a['rps'] for a, _ in sel):>13.0f} "
              f"{med(a['p99'] for a, _ in sel):>7.2f} {med(a['cpu'] for a, _ in sel):>7.1f} "
              f"{med(b['rps'] for _, b in sel):>11.0f} {med(b['p99'] for _, b in sel):>7.2f} "
              f"{med(b['cpu'] for _, b in sel):>7.1f} {med(ratios):>6.2f} "
              f"{min(ratios):>5.2f}-{max(ratios):<5.2f} "
              f"{med(max(a['foreign'], b['foreign']) for a, b in sel):>9.1f} {errors:>6}")
PY
echo
curl -sf "http://127.0.0.1:$vport/readyz" >/dev/null && echo "vitarec still ready after the load"
grep -cE ' (error|critical) ' "$work/vitarec.log" | sed 's/^/vitarec log error lines: /' || true
