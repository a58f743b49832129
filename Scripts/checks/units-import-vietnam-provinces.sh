#!/usr/bin/env bash
# `baocao units import` on the real data of the vietnam-provinces package
# (PyPI): 2025.x holds the 34 provinces and 3,321 communes of the two-level
# government; 0.6.0 the earlier 63 provinces with districts. Also: a broken
# file is refused with a message and writes nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
BAOCAO="$PWD/.build/debug/baocao"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset DATABASE_URL

for version in 2025.10.1 0.6.0; do
  mkdir -p "$tmp/$version"
  python3 -m pip download -q --no-deps -d "$tmp/$version" "vietnam-provinces==$version"
  (cd "$tmp/$version" && python3 -m zipfile -e ./*.whl .)
done

count() { python3 - "$1" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
n = len(data)
for p in data:
    n += len(p.get("wards", []))
    for d in p.get("districts", []):
        n += 1 + len(d.get("wards", []))
print(n)
PY
}

for version in 2025.10.1 0.6.0; do
  file="$tmp/$version/vietnam_provinces/data/nested-divisions.json"
  expected=$(( $(count "$file") + 1 ))
  out=$(BAOCAO_DATA_DIR="$tmp/db-$version" BAOCAO_DEMO=0 "$BAOCAO" units import "$file" --root VN)
  echo "$version: $out"
  echo "$out" | grep -q "Đã nhập $expected đơn vị mới" || fail "$version: expected $expected units"
done
# The 2025 data: 34 provinces and 3,321 communes below them.
[ "$(count "$tmp/2025.10.1/vietnam_provinces/data/nested-divisions.json")" = $((34 + 3321)) ] || fail "2025 counts"

# Refused files: exit 2, a Vietnamese message, nothing written.
refused() {  # refused FILE EXPECTED-MESSAGE
  set +e
  BAOCAO_DATA_DIR="$tmp/db-broken" BAOCAO_DEMO=0 "$BAOCAO" units import "$1" 2> "$tmp/err.txt"; code=$?
  set -e
  [ "$code" = 2 ] || fail "$1 exited $code"
  grep -q "$2" "$tmp/err.txt" || fail "$1 message: $(cat "$tmp/err.txt")"
}
printf '[{"code": 1, "wards": []}]' > "$tmp/broken.json"
refused "$tmp/broken.json" 'thiếu “code” hoặc “name”'
printf 'code,name,kind,parent_code\nA,Tỉnh A,province,\nB,Xã B,commune,Z\n' > "$tmp/orphan.csv"
refused "$tmp/orphan.csv" 'không tồn tại'
printf 'code,name,kind,parent_code\nA,Tỉnh A,province,\n' > "$tmp/ok.csv"
BAOCAO_DATA_DIR="$tmp/db-broken" BAOCAO_DEMO=0 "$BAOCAO" units import "$tmp/ok.csv" | grep -q "Đã nhập 1 đơn vị mới" \
  || fail "after refused imports the database must hold nothing of them"
echo "units import checks: passed"
