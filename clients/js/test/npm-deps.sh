# Sourced by the test scripts of clients/js and examples/nextjs.
# NpmDeps DIR [always]: installs DIR's npm packages from its package-lock.json (npm ci) when
# node_modules is missing or older than the lock file, or always with a second argument.
# No browser download (the tests use Debian's Chromium), no telemetry, no audit.
NpmDeps() {
  local dir="$1" stamp="$1/node_modules/.package-lock.json"
  if [[ -n "${2:-}" || ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" ]]; then
    echo "npm ci in ${dir#"$repo/"}" >&2
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1 \
      npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  fi
}

# RequireTools TOOL...: fails with a hint when one is missing.
RequireTools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool not found (run scripts/setup.sh test)" >&2; exit 1; }
  done
}

# VitarecBinary: exports VITAREC_BIN as an absolute path (default build/vitarec, relative paths
# from the repository root), or fails.
VitarecBinary() {
  local bin="${VITAREC_BIN:-build/vitarec}"
  [[ "$bin" == /* ]] || bin="$repo/$bin"
  [[ -x "$bin" ]] || { echo "no vitarec binary at $bin (build it, or set VITAREC_BIN)" >&2; exit 1; }
  export VITAREC_BIN="$bin"
}
