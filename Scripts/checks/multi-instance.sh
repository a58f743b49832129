#!/usr/bin/env bash
# Several instances on one PostgreSQL (issue 10): two `baocao serve` processes
# (.build/debug/baocao, or $BAOCAO_BIN) on a fresh database of their own on the
# server of DATABASE_URL (dropped afterwards), behind Debian's nginx as a
# round-robin load balancer without sticky sessions. Sign-in, save, send and
# accept go through nginx; the data-entry page and the consolidated view of each
# instance show the change at once; a stale save through the other instance gets
# 409; a sign-out or a password change through one ends the session on the
# other; a renamed unit shows renamed on both
# (Scripts/hardening/multi_instance.py lists every check). Needs PostgreSQL:
# without DATABASE_URL it skips. MULTI_ONLY=balance,entry,review,units,sessions
# picks groups (signin always runs; review needs entry). MULTI_START_TOGETHER=1
# starts both instances at the same moment on the empty database and checks both
# come up. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${DATABASE_URL:-}" ]; then
  echo "multi-instance: SKIP (DATABASE_URL is not set; this check needs a PostgreSQL server that both instances share)"
  exit 0
fi
BIN="${BAOCAO_BIN:-.build/debug/baocao}"
if [ ! -x "$BIN" ]; then
  echo "multi-instance: $BIN is missing; build first (swift build, or Scripts/test.sh)." >&2
  exit 1
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx >/dev/null
fi
if ! python3 -c "import requests" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check requests
fi
if ! python3 -c "import psycopg" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "psycopg[binary]"
fi

together=()
if [ "${MULTI_START_TOGETHER:-0}" = "1" ]; then together=(--start-together); fi
# Python stops nginx and both instances and drops the database on exit, on
# SIGTERM/SIGINT/SIGHUP too; the trap covers a Python that dies harder.
python3 Scripts/hardening/multi_instance.py --bin "$BIN" ${MULTI_ONLY:+--only "$MULTI_ONLY"} "${together[@]}" &
driver=$!
trap 'kill "$driver" 2>/dev/null || true' EXIT INT TERM
wait "$driver"
