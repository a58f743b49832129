#!/usr/bin/env bash
# Malformed-input corpus (issue 9): every file of Tests/Malformed/files, a
# decompression bomb (~2 MB inflating to ~2 GB) and real templates carrying
# out-of-range numbers (both built at run time) go to every route that takes a
# file (template upload, units import, plan upload) and every CLI command that
# takes one (import, units import, validate --values, targets --values,
# targets --forms with the file as a plan). Each must answer 4xx (CLI: a
# non-zero exit) with a Vietnamese message, the server must survive, and every
# table's checksum must be the same before and after
# (Scripts/hardening/malformed_corpus.py). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${BAOCAO_BIN:-.build/debug/baocao}"
if [ ! -x "$BIN" ]; then
  echo "malformed-corpus: $BIN is missing; build first (swift build, or Scripts/test.sh)." >&2
  exit 1
fi
FORMS="$(dirname "$BIN")/BaoCao_ReportingCore.resources/Forms"
if [ ! -d "$FORMS" ]; then FORMS=Sources/ReportingCore/Forms; fi
if ! python3 -c "import requests" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check requests
fi
if [ -n "${DATABASE_URL:-}" ] && ! python3 -c "import psycopg" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "psycopg[binary]"
fi
# A crash should report at once, not after a half-minute backtrace.
export SWIFT_BACKTRACE=enable=no
exec python3 Scripts/hardening/malformed_corpus.py --bin "$BIN" --forms "$FORMS"
