#!/usr/bin/env bash
# Shared helpers for socle's set-up scripts: cache location, logging, failures.
set -euo pipefail

SOCLE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$SOCLE_ROOT/scripts/versions.env"

# Everything built or downloaded lives here, keyed by version, outside the clone
# so that a fresh clone on the same machine reuses it.
SOCLE_CACHE="${SOCLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/socle}"
mkdir -p "$SOCLE_CACHE"

log() { printf '[socle %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[socle] error: %s\n' "$*" >&2; exit 1; }

# Run a long command, keep its output in a log file, print a heartbeat so the
# user sees progress, and show the log's tail when it fails.
run_logged() {
  local what="$1" logfile="$2"; shift 2
  log "$what (log: $logfile)"
  mkdir -p "$(dirname "$logfile")"
  local start=$SECONDS
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && log "  … $what: $((SECONDS - start))s"
  done
  if ! wait "$pid"; then
    tail -n 30 "$logfile" >&2
    die "$what failed after $((SECONDS - start))s; full log in $logfile"
  fi
  log "$what done in $((SECONDS - start))s"
}

# pip_venv DIR SPEC CHECK...: a Python virtualenv in DIR with the PyPI package
# SPEC ("name==version") installed, made afresh unless DIR/bin/CHECK (with its
# arguments) already succeeds. Third-party Python tools are cached this way.
pip_venv() {
  local venv="$1" spec="$2" check="$3"
  shift 3
  [ -x "$venv/bin/$check" ] && "$venv/bin/$check" "$@" >/dev/null 2>&1 && return 0
  command -v python3 >/dev/null || die "python3 is needed for $spec (apt-get install python3 python3-venv)"
  rm -rf "$venv"
  python3 -m venv "$venv" || die "could not create a Python venv in $venv (apt-get install python3-venv)"
  run_logged "installing $spec from PyPI" "$SOCLE_CACHE/logs/${spec%%=*}.log" \
    "$venv/bin/pip" install --disable-pip-version-check --quiet "$spec"
}
