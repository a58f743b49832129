#!/usr/bin/env bash
# The offline checking commands as an officer or a script uses them:
# exit codes, one problem per line, the closing count, JSON, bad files.
set -euo pipefail
cd "$(dirname "$0")/../.."
BAOCAO=.build/debug/baocao
F=Tests/ReportingCoreTests/Fixtures
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Seed 002 as entered: two errors, exit 1.
set +e; "$BAOCAO" validate --form egov-2022 --values $F/seed002-egov-2022.csv > "$tmp/out.txt"; code=$?; set -e
[ "$code" = 1 ] || fail "validate seed 002 exited $code, expected 1"
grep -q $'^6.1.3\tLỗi\t.*(277).*(28)' "$tmp/out.txt" || fail "6.1.3 = 277 > 28 not reported"
grep -q $'^5\tLỗi\t.*255' "$tmp/out.txt" || fail "value on heading row 5 not reported"
grep -q '^Tổng cộng: 2 lỗi, 0 cảnh báo.$' "$tmp/out.txt" || fail "closing count"

# Seed 000 as entered: clean, exit 0.
"$BAOCAO" validate --form egov-2024 --values $F/seed000-egov-2024.csv > "$tmp/ok.txt" || fail "seed 000 should pass"
grep -q '^Tổng cộng: 0 lỗi, 0 cảnh báo.$' "$tmp/ok.txt" || fail "seed 000 closing count"

# JSON for programs.
set +e; "$BAOCAO" validate --form egov-2022 --values $F/seed002-egov-2022.csv --format json > "$tmp/out.json"; set -e
python3 - "$tmp/out.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
assert data["errors"] == 2, data["errors"]
codes = sorted(p["code"] for p in data["problems"])
assert codes == ["5", "6.1.3"], codes
assert abs(data["computed"]["6.4"] - 310 / 484 * 100) < 1e-9
PY

# A bad file: a clear message, no stack trace, exit 2.
printf 'ma,gia_tri\n1,2\n' > "$tmp/bad.csv"
set +e; "$BAOCAO" validate --form egov-2024 --values "$tmp/bad.csv" > "$tmp/bad.out" 2> "$tmp/bad.err"; code=$?; set -e
[ "$code" = 2 ] || fail "bad file exited $code"
grep -q 'Thiếu cột “code”' "$tmp/bad.err" || fail "bad file message: $(cat "$tmp/bad.err")"
! grep -q 'Fatal\|Backtrace' "$tmp/bad.err" || fail "stack trace on bad file"

# Targets of Kế hoạch 48 from seed 001's results.
"$BAOCAO" targets --plan kh48-2024 --values $F/seed001-kh48-results.csv > "$tmp/targets.txt"
grep -q $'^III.4\tChưa đạt\t95%' "$tmp/targets.txt" || fail "III.4 strict boundary"
grep -q 'đã hoàn thành và vượt mức 16 chỉ tiêu, đang thực hiện 12 chỉ tiêu' "$tmp/targets.txt" || fail "summary sentence"
grep -q $'^I.4 \[Sở, ban, ngành\]\tĐạt\t98,5%' "$tmp/targets.txt" || fail "per-level value"
"$BAOCAO" targets --plan kh48-2024 --values $F/seed001-kh48-results.csv --format json | python3 -c '
import json, sys
data = json.load(sys.stdin)
statuses = [e["status"] for e in data["evaluations"] if e.get("level") is None]
assert len(statuses) == 28, len(statuses)
assert statuses.count("achieved") == 16 and statuses.count("noData") == 1, statuses'
echo "cli checks: passed"
