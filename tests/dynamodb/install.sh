#!/usr/bin/env bash
# Installs dynalite (a DynamoDB-compatible server on Node.js, pinned by package-lock.json) into
# tests/dynamodb/node_modules when it is missing or older than the lock file. Run by CTest
# before the DynamoDB tests (fixture "dynalite"); needs node and npm (scripts/setup.sh test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "dynamodb tests: $tool not found (run scripts/setup.sh test)" >&2; exit 1; }
done
stamp=node_modules/.package-lock.json
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || ! -f node_modules/dynalite/cli.js ]]; then
  echo "dynamodb tests: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
