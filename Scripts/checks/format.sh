#!/usr/bin/env bash
# CI: every Swift file is as `Scripts/format.sh` (swift-format, .swift-format)
# leaves it. Formats a copy and compares, so the tree is never changed here.
# Formatting needs no database: the PostgreSQL pass skips it.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${DATABASE_URL:-}" ]; then
  echo "format: skipped on the PostgreSQL pass (DATABASE_URL is set); it ran on the SQLite pass."
  exit 0
fi
copy=$(mktemp -d); trap 'rm -rf "$copy"' EXIT
mkdir -p "$copy/Fuzz"
cp -R Sources Tests "$copy/"
cp -R Fuzz/Sources "$copy/Fuzz/"
cp .swift-format "$copy/"
(cd "$copy" && swift format format --in-place --recursive --parallel --configuration .swift-format Sources Tests Fuzz/Sources)
changed=$(diff -rq Sources "$copy/Sources"; diff -rq Tests "$copy/Tests"; diff -rq Fuzz/Sources "$copy/Fuzz/Sources") || true
if [ -n "$changed" ]; then
  echo "format: these files are not formatted; run Scripts/format.sh and commit:" >&2
  echo "$changed" | sed 's/^/  /' >&2
  exit 1
fi
total=$(find Sources Tests Fuzz/Sources -name '*.swift' | wc -l | tr -d ' ')
long=$(find Sources Tests Fuzz/Sources -name '*.swift' -exec awk 'length > 140' {} + | wc -l | tr -d ' ')
echo "format: $total Swift files as swift-format leaves them; $long lines over 140 characters (strings it does not break)"
