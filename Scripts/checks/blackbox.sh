#!/usr/bin/env bash
# Black-box check (issue 9) against the live server (.build/debug/baocao, or
# $BAOCAO_BIN) with the demo province, on loopback: access across units, CSRF,
# the stale template upload, the note-only API save, an 18-digit number, hostile
# files to the upload routes, formula injection in the CSV export, text limits,
# and the session rules (renewal at login, revocation after a password change
# or reset, no session for anonymous visitors). Scripts/hardening/blackbox.py
# lists every check; SQLite in a temporary directory, or with DATABASE_URL a
# fresh database of its own on that server. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${BAOCAO_BIN:-.build/debug/baocao}"
if [ ! -x "$BIN" ]; then
  echo "blackbox: $BIN is missing; build first (swift build, or Scripts/test.sh)." >&2
  exit 1
fi
if ! python3 -c "import requests" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check requests
fi
if [ -n "${DATABASE_URL:-}" ] && ! python3 -c "import psycopg" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "psycopg[binary]"
fi
exec python3 Scripts/hardening/blackbox.py --bin "$BIN" ${BLACKBOX_ONLY:+--only "$BLACKBOX_ONLY"}
