#!/usr/bin/env bash
# Node-scaling benchmark: end-to-end jobs/s and submit req/s with 1, 2 and 3 `vitarec serve`
# nodes on one PostgreSQL database, beside one node on SQLite, in the same run.
#   bench/multinode/bench.sh [runs=3] [jobs=3000] [seconds=8] [connections=64]
# Needs a built vitarec (VITAREC_BIN, default build/vitarec), PostgreSQL 15 server binaries
# (VITAREC_PG_BIN, default /usr/lib/postgresql/15/bin), nginx, wrk, curl, python3.
#
# Per run and configuration, on fresh nodes and a fresh database (SQLite file or PostgreSQL
# schema):
#  1. end to end: wrk submits exactly `jobs` jobs (bench/multinode/submit-count.lua, one thread,
#     `connections` keep-alive connections); the nodes' /metrics are read every 50 ms until
#     every accepted job is completed. jobs/s = jobs accepted / (last completion - first submit).
#  2. submit: wrk -t2 -c`connections` -d`seconds`s POST /portal/recommend (bench/http/post.lua):
#     durable 202s per second, while the nodes' workers run what is submitted.
# PostgreSQL configurations are measured through nginx configured from deploy/nginx/vitarec.conf
# (one nginx worker); "postgres-1 direct" and "sqlite-1" talk to the node itself.
# PostgreSQL runs durable (fsync on, synchronous_commit on), like SQLite's synchronous=FULL.
# Everything listens on 127.0.0.1; every process started here is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${1:-3}
jobs=${2:-3000}
seconds=${3:-8}
conns=${4:-64}
bin=${VITAREC_BIN:-build/vitarec}
pg_bin=${VITAREC_PG_BIN:-/usr/lib/postgresql/15/bin}
node_args=${VITAREC_BENCH_ARGS:-}
[[ -x $bin ]] || { echo "bench: $bin not built" >&2; exit 1; }
for tool in wrk nginx curl python3; do
  command -v $tool >/dev/null || { echo "bench: needs $tool (apt: wrk nginx-light curl python3)" >&2; exit 1; }
done
[[ -x $pg_bin/postgres ]] || { echo "bench: no PostgreSQL in $pg_bin (apt: postgresql)" >&2; exit 1; }

work=$(mktemp -d /tmp/vitarec-multibench.XXXXXX)
chmod 755 "$work"
node_pids=()
pg_pid=
nginx_pid=
stop_nodes() {
  for p in "${node_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  node_pids=()
}
stop_nginx() {
  if [[ -n $nginx_pid ]]; then kill -TERM "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  nginx_pid=
}
cleanup() {
  if [[ -n ${wrk_pid:-} ]]; then kill "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true; fi
  stop_nginx
  stop_nodes
  if [[ -n $pg_pid ]]; then kill -INT "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap runs

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- a throwaway, durable PostgreSQL -------------------------------------------------------
as_pg=()
if [[ $(id -u) == 0 ]]; then as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
mkdir -p "$work/pg"
[[ $(id -u) == 0 ]] && chown postgres: "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C >"$work/pg/initdb.log" 2>&1
pg_port=$(free_port)
# setpriv execs (no fork), so $! is the postmaster itself.
"${as_pg[@]}" "$pg_bin/postgres" -D "$work/pg/data" -p "$pg_port" -k "$work/pg" \
  -c listen_addresses=127.0.0.1 -c max_connections=200 >"$work/pg/postgres.log" 2>&1 &
pg_pid=$!
pg_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"
for _ in $(seq 100); do psql -qAt "$pg_url" -c 'select 1' >/dev/null 2>&1 && break; sleep 0.1; done
psql -qAt "$pg_url" -c 'select 1' >/dev/null || { echo "bench: PostgreSQL did not start" >&2; cat "$work/pg/postgres.log" >&2; exit 1; }

# --- nodes and nginx -------------------------------------------------------------------------
ports=()
start_nodes() {  # start_nodes COUNT STORE_URL: COUNT `vitarec serve` nodes, ports in ${ports[@]}
  ports=()
  local i
  for i in $(seq "$1"); do
    local p
    p=$(free_port)
    # shellcheck disable=SC2086
    "$bin" serve --listen "127.0.0.1:$p" --store "$2" --no-access-log $node_args \
      >"$work/node-$i.log" 2>&1 &
    node_pids+=($!)
    ports+=("$p")
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
    curl -sf "http://127.0.0.1:$p/readyz" >/dev/null || { echo "bench: a node did not start" >&2; cat "$work"/node-*.log >&2; exit 1; }
  done
}

lb_port=
start_nginx() {  # nginx in front of ${ports[@]}, configured from deploy/nginx/vitarec.conf
  lb_port=$(free_port)
  local dir=$work/nginx
  rm -rf "$dir"; mkdir -p "$dir"; chmod 755 "$dir"
  awk -v nodes="${ports[*]}" -v listen="127.0.0.1:$lb_port" '
    /# @node$/ { if (!done) { n = split(nodes, a, " ")
                   for (i = 1; i <= n; i++) { line = $0; sub(/server [^ ;]+/, "server 127.0.0.1:" a[i], line); print line } }
                 done = 1; next }
    /# @listen$/ { line = $0; sub(/listen [^;]+/, "listen " listen, line); print line; next }
    { print }' deploy/nginx/vitarec.conf >"$dir/vitarec.conf"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  include $dir/vitarec.conf;
}
CONF
  nginx -c "$dir/nginx.conf" -p "$dir" &
  nginx_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$lb_port/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$lb_port/readyz" >/dev/null || { echo "bench: nginx did not start" >&2; cat "$dir/error.log" >&2; exit 1; }
}

# Sum of a metric over the nodes' /metrics (one curl for all of them).
metric_sum() {  # metric_sum 'PROMETHEUS SAMPLE NAME WITH LABELS'
  local urls=()
  for p in "${ports[@]}"; do urls+=("http://127.0.0.1:$p/metrics"); done
  curl -s "${urls[@]}" | awk -v name="$1" '$1 == name { s += $2 } END { printf "%d\n", s }'
}

now() { date +%s.%N; }

results=$work/results.txt
wrk_pid=
end_to_end() {  # end_to_end LABEL URL
  local submitted0 completed0 start submitted completed last elapsed give_up
  submitted0=$(metric_sum vitarec_jobs_submitted_total)
  completed0=$(metric_sum 'vitarec_jobs_runs_total{outcome="completed"}')
  start=$(now)
  # wrk runs for its whole -d even once its thread stopped: stopped by PID once all are in.
  wrk -t1 -c"$conns" -d100s --timeout 10s -s bench/multinode/submit-count.lua "$2" -- "$jobs" \
    >"$work/e2e-wrk.txt" 2>&1 &
  wrk_pid=$!
  give_up=$(( $(date +%s) + 120 ))
  while :; do
    submitted=$(( $(metric_sum vitarec_jobs_submitted_total) - submitted0 ))
    completed=$(( $(metric_sum 'vitarec_jobs_runs_total{outcome="completed"}') - completed0 ))
    last=$(now)
    # wrk calls request() once more to check the script: jobs - 1 POSTs go out.
    (( submitted >= jobs - 1 && completed >= submitted )) && break
    (( $(date +%s) > give_up )) && { echo "bench: $1: $submitted submitted, $completed completed" >&2; break; }
    sleep 0.05
  done
  kill "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true; wrk_pid=
  elapsed=$(python3 -c "print(f'{$last - $start:.3f}')")
  echo "e2e-$1 $(python3 -c "print(f'{$submitted / ($last - $start):.0f}')") $submitted $elapsed" | tee -a "$results"
}

submit_rate() {  # submit_rate LABEL URL
  local out rps p99 errors
  out=$(timeout $((seconds + 30)) wrk -t2 -c"$conns" -d"${seconds}s" --timeout 5s -s bench/http/post.lua "$2" 2>&1)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '/^p99_us/ {printf "%.2f", $2/1000}' <<<"$out")
  errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+|Socket errors: .*' <<<"$out" | tr '\n' ' ' || true)
  echo "submit-$1 $rps $p99 ${errors}" | tee -a "$results"
}

measure() {  # measure LABEL URL: end to end, then submits (which leave a backlog behind)
  end_to_end "$1" "$2/portal/recommend"
  submit_rate "$1" "$2/portal/recommend"
}

export PGOPTIONS='-c client_min_messages=warning'
for run in $(seq "$runs"); do
  echo "== run $run of $runs"
  # Fresh nodes and a fresh database for every measurement: no backlog of an earlier one.
  # SQLite, one node (its default: synchronous=FULL, group commit).
  rm -f "$work"/sqlite.db*
  start_nodes 1 "sqlite:$work/sqlite.db"
  measure sqlite-1 "http://127.0.0.1:${ports[0]}"
  stop_nodes
  for config in 1-direct 1 2 3; do
    n=${config%-direct}
    schema="bench_${run}_${config/-/_}"
    psql -qAt "$pg_url" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
    start_nodes "$n" "$pg_url?options=-csearch_path%3D$schema"
    if [[ $config == *-direct ]]; then
      measure "postgres-$config" "http://127.0.0.1:${ports[0]}"
    else
      start_nginx
      measure "postgres-$config" "http://127.0.0.1:$lb_port"
      stop_nginx
    fi
    stop_nodes
    psql -qAt "$pg_url" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
  done
done

echo
echo "medians over $runs runs ($jobs jobs end to end with $conns connections; wrk -t2 -c$conns -d${seconds}s for submits):"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 3:
        rows.setdefault(parts[0], []).append([float(x) for x in parts[1:3]])
configs = ["sqlite-1", "postgres-1-direct", "postgres-1", "postgres-2", "postgres-3"]
print(f"{'configuration':<20} {'jobs/s e2e':>10} {'runs':>22} {'submit req/s':>13} {'p99 ms':>7}")
for c in configs:
    e, s = rows.get(f"e2e-{c}"), rows.get(f"submit-{c}")
    if not e or not s:
        continue
    runs = "/".join(f"{r[0]:.0f}" for r in e)
    print(f"{c:<20} {statistics.median(r[0] for r in e):>10.0f} {runs:>22} "
          f"{statistics.median(r[0] for r in s):>13.0f} {statistics.median(r[1] for r in s):>7.2f}")
PY
