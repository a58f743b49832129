#!/usr/bin/env bash
# CI: every fuzz target briefly (about 15 s each) from its committed seeds.
# Fuzzing uses no database, and the suite runs twice in CI (SQLite, then
# PostgreSQL), so the PostgreSQL pass skips it.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${DATABASE_URL:-}" ]; then
  echo "fuzz: skipped on the PostgreSQL pass (DATABASE_URL is set); fuzzing needs no database and ran on the SQLite pass."
  exit 0
fi
exec Scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
