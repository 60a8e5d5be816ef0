# Shared helpers for the benchmark scripts under bench/ (sourced, not executed).
# CPU accounting from /proc so that every figure can be read against the load that other
# processes put on this (shared) machine at the same time.

CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)

# Busy ticks of the whole machine: user + nice + system + irq + softirq (not idle, iowait, steal).
machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
machine_steal_ticks() { awk '/^cpu / {print $9}' /proc/stat; }

# utime + stime of one process (all its threads); 0 if it is gone.
pid_ticks() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  # Field 2 (comm) may hold spaces: cut after the last ')'.
  awk '{print $12 + $13}' <<<"${stat##*)}"
}

# Sum of pid_ticks over a list of PIDs.
pids_ticks() {
  local sum=0 p
  for p in "$@"; do sum=$((sum + $(pid_ticks "$p"))); done
  echo "$sum"
}

# Children of a PID (one level), e.g. nginx workers of the master.
child_pids() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' || true; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Stop one PID we started: TERM, wait up to 10 s, then KILL.
stop_pid() {
  local pid=$1
  [[ -n $pid ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Jobs of a Vitarec SQLite database that are not final yet (queued or running).
sqlite_pending() {
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
print(db.execute("SELECT count(*) FROM jobs WHERE state IN ('queued','running')").fetchone()[0])
PY
}
