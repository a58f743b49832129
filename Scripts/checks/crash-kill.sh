#!/usr/bin/env bash
# Crash test (issue 9): the real server (.build/debug/baocao, or $BAOCAO_BIN)
# on loopback takes concurrent API saves, one worker per commune report, and
# is killed with SIGKILL at a random moment, restarted and checked, K times:
# every acknowledged save is stored, none is partial, the audit trail agrees
# with the versions, and the database's integrity check passes
# (Scripts/hardening/crash_kill.py). SQLite in a temporary directory; with
# DATABASE_URL set, a fresh database of its own on that PostgreSQL server,
# dropped afterwards. CRASH_SAVES (default 200) saves over CRASH_KILLS
# (default 3) kills; CRASH_SEED repeats a run. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${BAOCAO_BIN:-.build/debug/baocao}"
if [ ! -x "$BIN" ]; then
  echo "crash-kill: $BIN is missing; build first (swift build, or Scripts/test.sh)." >&2
  exit 1
fi
if ! python3 -c "import requests" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check requests
fi
if [ -n "${DATABASE_URL:-}" ] && ! python3 -c "import psycopg" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "psycopg[binary]"
fi

seed=()
if [ -n "${CRASH_SEED:-}" ]; then seed=(--seed "$CRASH_SEED"); fi
exec python3 Scripts/hardening/crash_kill.py --bin "$BIN" --saves "${CRASH_SAVES:-200}" \
  --kills "${CRASH_KILLS:-3}" "${seed[@]}"
