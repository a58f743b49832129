#!/usr/bin/env bash
# The whole test suite: Swift tests (core, office formats, routes) and the
# checks that use real clients (openpyxl, python-calamine, python-docx,
# LibreOffice, headless Chromium) where their scripts exist.
# Uses DATABASE_URL when set (PostgreSQL); in-memory SQLite otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
# Checks install their clients from Debian when missing: never ask questions.
export DEBIAN_FRONTEND=noninteractive
swift build --build-tests
swift test --skip-build
for check in Scripts/checks/*.sh; do
  [ -e "$check" ] || continue
  echo "== $check"
  bash "$check"
done
