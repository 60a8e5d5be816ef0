#!/usr/bin/env bash
# Installs what is missing, builds build/vitarec and serves it on the embedded SQLite store.
# Extra arguments go to `vitarec serve` (e.g. --listen 127.0.0.1:9090). Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh build
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target vitarec
listen=${VITAREC_LISTEN:-127.0.0.1:8080}
args=("$@")
for i in "${!args[@]}"; do
  case ${args[$i]} in
    --listen=*) listen=${args[$i]#--listen=} ;;
    --listen) listen=${args[$((i + 1))]:-$listen} ;;
  esac
done
echo "Vitarec: open http://$listen/portal" >&2
exec build/vitarec serve "$@"
