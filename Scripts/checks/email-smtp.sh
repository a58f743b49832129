#!/usr/bin/env bash
# Email notifications (issue 11) against a real SMTP server: aiosmtpd (PyPI)
# on a loopback port writes what it receives to a Maildir; `baocao serve`
# (.build/debug/baocao, or $BAOCAO_BIN) sends through it. A commune reporter
# asks for approval; the leaders' messages are read back (recipient, decoded
# Vietnamese subject, body naming the report). Scripts/hardening/email_smtp.py
# lists every check; SQLite in a temporary directory, or with DATABASE_URL a
# fresh database of its own. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${BAOCAO_BIN:-.build/debug/baocao}"
if [ ! -x "$BIN" ]; then
  echo "email-smtp: $BIN is missing; build first (swift build, or Scripts/test.sh)." >&2
  exit 1
fi
for module in requests aiosmtpd; do
  if ! python3 -c "import $module" >/dev/null 2>&1; then
    python3 -m pip install -q --disable-pip-version-check "$module"
  fi
done
if [ -n "${DATABASE_URL:-}" ] && ! python3 -c "import psycopg" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "psycopg[binary]"
fi
exec python3 Scripts/hardening/email_smtp.py --bin "$BIN"
