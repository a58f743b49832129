#!/usr/bin/env bash
# BaoCao's Excel files as other programs read them. On a fresh demo database,
# `baocao export` writes the report, consolidated and targets tables (XLSX,
# CSV and JSON) and an Excel template; openpyxl and python-calamine must read
# every cell of every sheet identically, and the data sheet must equal the
# JSON export cell for cell (the CSV too). Then a template filled with
# openpyxl goes in with `baocao import`, and wrong files are refused with a
# non-zero exit and nothing written.
set -euo pipefail
cd "$(dirname "$0")/../.."
BAOCAO="$(pwd)/.build/debug/baocao"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

[ -x "$BAOCAO" ] || fail "$BAOCAO is missing: run swift build first"
python3 -c 'import openpyxl, python_calamine' 2>/dev/null || python3 -m pip install -q openpyxl python-calamine

export BAOCAO_DATA_DIR="$tmp/data"
unset DATABASE_URL
BAOCAO_DEMO_FIXTURE=1 "$BAOCAO" demo > "$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; fail "baocao demo"; }
P=000.00.00.H05
C=000.01.31.H05   # xã Thái Sơn, the demo's first commune
export_all() {  # name, then baocao export arguments
  local name=$1; shift
  for format in xlsx json csv; do
    "$BAOCAO" export "$@" --format $format -o "$tmp/$name.$format" 2>> "$tmp/export.log" || { cat "$tmp/export.log"; fail "export $name $format"; }
  done
}
export_all report --unit $P --period 2024-Q1 --form egov-2024
export_all consolidated --unit $P --period 2024-Q1 --form egov-2024 --consolidated
export_all targets --unit $P --period 2024-H1 --targets kh48-2024
"$BAOCAO" export --unit $C --period 2024-Q1 --form egov-2024 --template -o "$tmp/template.xlsx" 2>> "$tmp/export.log"

cat > "$tmp/compare.py" <<'PY'
"""Cell-by-cell comparison of openpyxl, python-calamine and BaoCao's JSON/CSV."""
import csv, io, json, sys
import openpyxl
from python_calamine import CalamineWorkbook

def norm(v):
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return v

def openpyxl_sheets(path):
    wb = openpyxl.load_workbook(path, data_only=True)  # cached results of formulas
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [[norm(c) for c in row] for row in ws.iter_rows(values_only=True)]
    return out

def calamine_sheets(path):
    wb = CalamineWorkbook.from_path(path)
    return {name: [[norm(c) for c in row] for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for name in wb.sheet_names}

def trim(rows):
    """Same shape for both readers: trailing empty cells and rows dropped."""
    rows = [list(r) for r in rows]
    for r in rows:
        while r and r[-1] is None:
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows

def same_in_both(path):
    a, b = openpyxl_sheets(path), calamine_sheets(path)
    assert list(a) == list(b), (path, list(a), list(b))
    cells = 0
    for name in a:
        x, y = trim(a[name]), trim(b[name])
        assert len(x) == len(y), (path, name, len(x), len(y))
        for r, (rx, ry) in enumerate(zip(x, y)):
            assert rx == ry, (path, name, r + 1, rx, ry)
            cells += len(rx)
    return a, cells

def check_table(stem):
    sheets, cells = same_in_both(stem + ".xlsx")
    data = json.load(open(stem + ".json", encoding="utf-8"))
    first = trim(next(iter(sheets.values())))
    expected = trim([[norm(c) for c in data["header"]]] + [[norm(c) for c in row] for row in data["rows"]])
    assert first == expected, (stem, [(i, a, b) for i, (a, b) in enumerate(zip(first, expected)) if a != b][:3], len(first), len(expected))
    # The CSV has the same cells; numbers are written the Vietnamese way there.
    with open(stem + ".csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == data["columns"], (rows[0], data["columns"])
    assert len(rows) == len(data["rows"]) + 1
    for row, values in zip(rows[1:], data["rows"]):
        for text, value in zip(row, values):
            if value is None:
                assert text == "", (stem, row, values)
            elif isinstance(value, str):
                assert text == value, (stem, text, value)
            else:
                assert float(text.replace(".", "").replace(",", ".")) == value, (stem, text, value)
    print(f"  {stem.rsplit('/', 1)[-1]}: {len(sheets)} sheet(s), {cells} cells identical in openpyxl and calamine; "
          f"{len(data['rows'])} rows equal to the JSON and CSV exports")
    return data

def check_template(path):
    sheets, cells = same_in_both(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Số liệu"]
    assert ws.protection.sheet, "the data sheet is protected"
    assert ws.column_dimensions["F"].hidden, "the codes column is hidden"
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    for key in ("BaoCao_MaBieu", "BaoCao_MaDonVi", "BaoCao_KyBaoCao", "BaoCao_BoCuc", "BaoCao_MaChiTieu"):
        assert key in names, (key, names)
    assert names["BaoCao_MaBieu"] == '"egov-2024"'
    # Input cells unlocked, everything else locked.
    unlocked = [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if not c.protection.locked]
    assert unlocked and all(c[0][0] in "DE" for c in unlocked), unlocked[:5]
    print(f"  template: {cells} cells identical; protected, codes hidden, {len(unlocked)} input cells in D/E")

mode = sys.argv[1]
if mode == "tables":
    for stem in sys.argv[2:]:
        check_table(stem)
elif mode == "template":
    check_template(sys.argv[2])
elif mode == "fill":
    # A commune fills its template in openpyxl: numbers, a note, one typed text.
    src, dst, values = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    wb = openpyxl.load_workbook(src)
    ws = wb["Số liệu"]
    rows = {ws.cell(r, 6).value: r for r in range(6, ws.max_row + 1)}
    for code, value in values.items():
        ws.cell(rows[code], 4).value = value
    ws.cell(rows["6.3.1"], 5).value = "Số liệu từ Cổng DVC"
    if len(sys.argv) > 5 and sys.argv[5] == "tamper":
        ws.cell(rows["6.3.2"], 6).value = "6.3.9"
    wb.save(dst)
elif mode == "imported":
    data = json.load(open(sys.argv[2], encoding="utf-8"))
    values = json.loads(sys.argv[3])
    got = {row[0]: row[3] for row in data["rows"]}
    for code, value in values.items():
        assert got[code] == value, (code, got[code], value)
    notes = {row[0]: row[4] for row in data["rows"]}
    assert notes["6.3.1"] == "Số liệu từ Cổng DVC", notes["6.3.1"]
    print(f"  import: {len(values)} values read back through the JSON export")
PY

echo "== openpyxl vs python-calamine vs JSON/CSV"
python3 "$tmp/compare.py" tables "$tmp/report" "$tmp/consolidated" "$tmp/targets"
python3 "$tmp/compare.py" template "$tmp/template.xlsx"

echo "== baocao import"
VALUES='{"1": 1, "2": 2, "3": 100, "4": 2, "5.1.3": 100, "5.2": 97.5, "5.2.3": 100, "5.3.3": 100,
 "6.1.1": 28, "6.1.2": 28, "6.2.1": 20, "6.2.2": 18, "6.3.1": 1200, "6.3.2": 1100,
 "6.4.1": 300, "6.4.2": 250, "6.5.1": 91, "6.5.2": 91}'
report_json() { "$BAOCAO" export --unit $C --period 2024-Q1 --form egov-2024 --format json 2>/dev/null; }
report_json > "$tmp/before.json"

# A tampered codes column: refused, exit 2, nothing written.
python3 "$tmp/compare.py" fill "$tmp/template.xlsx" "$tmp/tampered.xlsx" "$VALUES" tamper
set +e; "$BAOCAO" import "$tmp/tampered.xlsx" > "$tmp/tampered.out" 2> "$tmp/tampered.err"; code=$?; set -e
[ "$code" = 2 ] || fail "tampered file exited $code, expected 2"
grep -q "Cột mã chỉ tiêu" "$tmp/tampered.err" || fail "tampered file message: $(cat "$tmp/tampered.err")"
# Not an Excel file.
printf 'code,value\n6.3.1,1200\n' > "$tmp/not-excel.xlsx"
set +e; "$BAOCAO" import "$tmp/not-excel.xlsx" > /dev/null 2> "$tmp/bad.err"; code=$?; set -e
[ "$code" = 2 ] || fail "a CSV named .xlsx exited $code, expected 2"
grep -q "không phải là tệp Excel" "$tmp/bad.err" || fail "not-an-xlsx message: $(cat "$tmp/bad.err")"
# Values with an error (a part above its total): problems per row, exit 1, nothing written.
BROKEN=$(python3 -c "import json,sys; v=json.loads(sys.argv[1]); v['6.3.2']=1500; print(json.dumps(v))" "$VALUES")
python3 "$tmp/compare.py" fill "$tmp/template.xlsx" "$tmp/broken.xlsx" "$BROKEN"
set +e; "$BAOCAO" import "$tmp/broken.xlsx" > "$tmp/broken.out" 2>&1; code=$?; set -e
[ "$code" = 1 ] || fail "a file with errors exited $code, expected 1"
grep -q $'^6.3.2\tLỗi\t.*lớn hơn tổng của nó' "$tmp/broken.out" || fail "6.3.2 > 6.3.1 not reported: $(cat "$tmp/broken.out")"
grep -q 'Không có gì được lưu' "$tmp/broken.out" || fail "broken import should say nothing was saved"
report_json > "$tmp/after-refusals.json"
cmp -s "$tmp/before.json" "$tmp/after-refusals.json" || fail "a refused import changed the report"

# The good file goes in; the JSON export shows what was typed.
python3 "$tmp/compare.py" fill "$tmp/template.xlsx" "$tmp/filled.xlsx" "$VALUES"
"$BAOCAO" import "$tmp/filled.xlsx" > "$tmp/import.out" 2>&1 || { cat "$tmp/import.out"; fail "import of a complete template"; }
grep -q '^Tổng cộng: 0 lỗi, 0 cảnh báo.$' "$tmp/import.out" || fail "import summary: $(cat "$tmp/import.out")"
grep -q 'với tư cách xa.nhaplieu' "$tmp/import.out" || fail "import should act as the commune's reporter"
report_json > "$tmp/imported.json"
python3 "$tmp/compare.py" imported "$tmp/imported.json" "$VALUES"
echo "xlsx clients: passed"
