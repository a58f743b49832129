#!/usr/bin/env bash
# `baocao check-text` as an officer or a script uses it: exit codes, one
# finding per line and the closing count, JSON, a .docx, bad files.
set -euo pipefail
cd "$(dirname "$0")/../.."
BAOCAO=.build/debug/baocao
F=Tests/ReportingCoreTests/Fixtures
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Seed 004: the expected findings of narrative-findings.md, exit 1.
expected=$(grep -c '^| N[0-9]* | 004 |' $F/narrative-findings.md)
set +e; "$BAOCAO" check-text $F/seeds/004_b9bda7c4c53b3341.txt --period 2024-Q1 > "$tmp/004.txt"; code=$?; set -e
[ "$code" = 1 ] || fail "seed 004 exited $code, expected 1"
[ "$(grep -c '^Dòng [0-9]*: ' "$tmp/004.txt")" = "$expected" ] || fail "seed 004: $(grep -c '^Dòng' "$tmp/004.txt") findings, expected $expected"
grep -q "^Tổng cộng: $expected cảnh báo.$" "$tmp/004.txt" || fail "seed 004 closing count"

# Seed 003: right sentences only, exit 0.
"$BAOCAO" check-text $F/seeds/003_c80599aaa58e9ef7.txt --period 2022-Q1 > "$tmp/003.txt" || fail "seed 003 should have no finding"
grep -q '^Không có cảnh báo nào về số liệu trong văn bản.$' "$tmp/003.txt" || fail "seed 003 closing line"

# JSON, from the .docx made from seed 001, with the plan and its results.
set +e
"$BAOCAO" check-text $F/docx/seed001.docx --period 2024-H1 --plan kh48-2024 --values $F/seed001-kh48-results.csv --format json > "$tmp/001.json"
code=$?; set -e
[ "$code" = 1 ] || fail "seed 001 docx exited $code, expected 1"
python3 - "$tmp/001.json" "$(grep -c '^| N[0-9]* | 001 |' $F/narrative-findings.md)" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
findings = data["findings"]
assert len(findings) == int(sys.argv[2]), (len(findings), sys.argv[2])
for f in findings:
    assert f["sentence"] and f["message"] and f["severity"] == "warning", f
assert data["counts"]["total"] == len(findings)
PY

# Bad input: a Vietnamese message, no stack trace, exit 2.
printf 'không phải zip' > "$tmp/bad.docx"
set +e; "$BAOCAO" check-text "$tmp/bad.docx" > "$tmp/bad.out" 2> "$tmp/bad.err"; code=$?; set -e
[ "$code" = 2 ] || fail "bad docx exited $code"
grep -q 'Không đọc được tệp Word' "$tmp/bad.err" || fail "bad docx message: $(cat "$tmp/bad.err")"
set +e; "$BAOCAO" check-text $F/seeds/003_c80599aaa58e9ef7.txt --period quy1 > /dev/null 2> "$tmp/period.err"; code=$?; set -e
[ "$code" = 2 ] || fail "bad period exited $code"
grep -q 'Kỳ báo cáo “quy1” không hợp lệ' "$tmp/period.err" || fail "bad period message"
! grep -q 'Fatal\|Backtrace' "$tmp/bad.err" "$tmp/period.err" || fail "stack trace on bad input"
echo "check-text cli checks: passed"
