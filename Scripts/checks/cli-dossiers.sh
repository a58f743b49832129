#!/usr/bin/env bash
# `baocao dossiers summarize` and `baocao bench dossiers` as an officer or a script
# runs them (issue #13), on generated dossier files whose true counts this check
# works out itself: the cut-off edges of Quý I/2024 (14/03 in, 15/03 out, 15/12
# in, 14/12 out), dossiers still in progress, the units below consolidated, the
# same file as XLSX, and bad files (exit 2, the line named, in Vietnamese).
#
#   Scripts/checks/cli-dossiers.sh        (after swift build; BAOCAO=path overrides)
set -euo pipefail
cd "$(dirname "$0")/../.."
BAOCAO=${BAOCAO:-.build/debug/baocao}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$BAOCAO" ] || fail "$BAOCAO not built (swift build)"
python3 -c 'import openpyxl' 2>/dev/null || python3 -m pip install -q openpyxl

HEADER='Mã hồ sơ,Mã đơn vị,Mã thủ tục,Mức độ DVC,Hình thức nộp,Ngày tiếp nhận,Hạn trả kết quả,Ngày trả kết quả,Số hóa hồ sơ,Số hóa kết quả,Kết quả điện tử,Tái sử dụng dữ liệu,Có nghĩa vụ tài chính,Thanh toán trực tuyến,Đánh giá'
printf 'code,name,kind,parent_code\nT01,Tỉnh Thử,province,\nX01,Xã Một,commune,T01\nX02,Xã Hai,commune,T01\n' > "$tmp/units.csv"

# 1. The edges alone, counted by hand.
cat > "$tmp/edges.csv" <<EOF
$HEADER
E1,X01,P1,Toàn trình,Trực tuyến,14/03/2024 16:30,20/03/2024,,Có,Không,Không,Không,Không,Không,
E2,X01,P1,Toàn trình,Trực tuyến,15/03/2024 08:00,20/03/2024,16/03/2024,Có,Không,Không,Không,Không,Không,Hài lòng
E3,X02,P2,Một phần,Trực tiếp,15/12/2023,14/03/2024,14/03/2024 17:00,Không,Có,Có,Không,Có,Có,Hài lòng
E4,X02,P2,Một phần,Trực tuyến,14/12/2023,05/01/2024,10/01/2024,Không,Không,Không,Không,Có,Không,Không hài lòng
EOF
"$BAOCAO" dossiers summarize --file "$tmp/edges.csv" --period 2024-Q1 --form qd766 --units "$tmp/units.csv" > "$tmp/edges.out" \
    || fail "summarize edges exited $?"
python3 - "$tmp/edges.out" <<'PY' || fail "edge counts (above)"
import csv, sys
got = {(r["unit"], r["code"]): r["value"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
# X01: E1 received 14/03 (in) and still in progress; E2 received 15/03 (out), finished 16/03 (out).
# X02: E3 received 15/12 (in), finished on its due day (on time); E4 received 14/12 (out), finished 10/01 (in), late.
want = {("X01", "1.1"): "1", ("X01", "1.2"): "1", ("X01", "1"): "100", ("X01", "2.1"): "0", ("X01", "2.2"): "0",
        ("X02", "1.1"): "1", ("X02", "2.1"): "2", ("X02", "2.2"): "1", ("X02", "2"): "50", ("X02", "8.1"): "2", ("X02", "8.2"): "1",
        ("T01", "1.1"): "2", ("T01", "1.2"): "1", ("T01", "1"): "50", ("T01", "2.1"): "2", ("T01", "2.2"): "1", ("T01", "2"): "50"}
bad = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
assert not bad, f"wrong (want, got): {bad}"
assert ("X01", "2") not in got, "a ratio with no finished dossier must not be given"
print("edges: ok")
PY

# 2. A generated file: the truth is worked out here from the rows as written.
python3 - "$tmp/gen.csv" "$tmp/truth.json" "$HEADER" <<'PY'
import datetime as dt, json, random, sys
path, truth_path, header = sys.argv[1], sys.argv[2], sys.argv[3]
rng = random.Random(766)
low, high = dt.date(2023, 12, 15), dt.date(2024, 3, 14)
units, levels = ["X01", "X02"], ["Toàn trình", "Một phần", ""]
truth = {}
def add(unit, key, n=1):
    for u in (unit, "T01"):
        truth.setdefault(u, {}).setdefault(key, 0)
        truth[u][key] += n
procs = {}
with open(path, "w", encoding="utf-8", newline="") as out:
    out.write(header + "\n")
    for i in range(3000):
        unit, proc, level = rng.choice(units), f"P{rng.randrange(40)}", rng.choice(levels)
        online = rng.random() < 0.6
        rec = dt.datetime(2023, 11, 1) + dt.timedelta(minutes=rng.randrange(182 * 1440))
        due = rec + dt.timedelta(days=rng.randrange(1, 15))
        fin = None if rng.random() < 0.2 else rec + dt.timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(600))
        timed = rng.random() < 0.5
        fmt = (lambda d: d.strftime("%d/%m/%Y %H:%M")) if timed else (lambda d: d.strftime("%d/%m/%Y"))
        due_text, fin_text = fmt(due), (fmt(fin) if fin else "")
        out.write(",".join([f"H{i}", unit, proc, level, "Trực tuyến" if online else rng.choice(["Trực tiếp", "Bưu chính"]),
                            fmt(rec), due_text, fin_text] + ["Có" if rng.random() < .5 else "Không" for _ in range(6)]
                           + [rng.choice(["Hài lòng", "Không hài lòng", ""])]) + "\n")
        if low <= rec.date() <= high:
            add(unit, "received")
            if online: add(unit, "online")
            if level == "Toàn trình": add(unit, "full"); online and add(unit, "full_online")
            if level == "Một phần": add(unit, "partial"); online and add(unit, "partial_online")
            if level:
                for u in (unit, "T01"):
                    procs.setdefault((u, "any"), set()).add(proc)
                    if online: procs.setdefault((u, "online"), set()).add(proc)
        if fin and low <= fin.date() <= high:
            add(unit, "finished")
            on_time = fin <= due if timed else fin.date() <= due.date()
            if on_time: add(unit, "on_time")
for (u, kind), s in procs.items(): truth[u]["procs_" + kind] = len(s)
json.dump(truth, open(truth_path, "w"))
PY
"$BAOCAO" dossiers summarize --file "$tmp/gen.csv" --period 2024-Q1 --form egov-2024 --units "$tmp/units.csv" > "$tmp/egov.csv" \
    || fail "summarize egov-2024 exited $?"
"$BAOCAO" dossiers summarize --file "$tmp/gen.csv" --period 2024-Q1 --form qd766 --units "$tmp/units.csv" --format json > "$tmp/qd766.json" \
    || fail "summarize qd766 exited $?"
python3 - "$tmp/egov.csv" "$tmp/qd766.json" "$tmp/truth.json" <<'PY' || fail "generated counts (above)"
import csv, json, sys
from decimal import Decimal, ROUND_HALF_UP
egov = {(r["unit"], r["code"]): r["value"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
qd = {(r["unit"], r["code"]): Decimal(str(r["value"])) for r in json.load(open(sys.argv[2]))}
truth = json.load(open(sys.argv[3]))
def vn(n): return f"{n:,}".replace(",", ".")
def pct(a, b): return (Decimal(a) * 100 / Decimal(b)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
checked = 0
for unit in ("T01", "X01", "X02"):
    t = truth[unit]
    for code, key in [("6.3.1", "full"), ("6.3.2", "full_online"), ("6.4.1", "partial"), ("6.4.2", "partial_online"),
                      ("6.2.1", "procs_any"), ("6.2.2", "procs_online")]:
        assert egov.get((unit, code)) == vn(t.get(key, 0)), (unit, code, egov.get((unit, code)), t.get(key, 0))
        checked += 1
    for code, key in [("1.1", "received"), ("1.2", "online"), ("2.1", "finished"), ("2.2", "on_time")]:
        assert qd.get((unit, code)) == t.get(key, 0), (unit, code, qd.get((unit, code)), t.get(key, 0))
        checked += 1
    assert qd[(unit, "2")] == pct(t["on_time"], t["finished"]), (unit, qd[(unit, "2")], pct(t["on_time"], t["finished"]))
    ratio = egov[(unit, "6.3")].replace(".", "").replace(",", ".")
    assert Decimal(ratio) == pct(t["full_online"], t["full"]), (unit, ratio)
    checked += 2
assert truth["T01"]["received"] == truth["X01"]["received"] + truth["X02"]["received"]
print(f"generated: {checked} figures match")
PY

# 3. The same edges as XLSX, dates as real Excel dates: the same figures.
python3 - "$tmp/edges.csv" "$tmp/edges.xlsx" <<'PY'
import csv, datetime as dt, sys, openpyxl
book = openpyxl.Workbook(); sheet = book.active
for n, row in enumerate(csv.reader(open(sys.argv[1], encoding="utf-8"))):
    if n:
        for col in (5, 6, 7):
            if row[col]:
                row[col] = dt.datetime.strptime(row[col], "%d/%m/%Y %H:%M" if ":" in row[col] else "%d/%m/%Y")
    sheet.append(row)
book.save(sys.argv[2])
PY
"$BAOCAO" dossiers summarize --file "$tmp/edges.xlsx" --period 2024-Q1 --form qd766 --units "$tmp/units.csv" > "$tmp/edges-xlsx.out" \
    || fail "summarize xlsx exited $?"
diff "$tmp/edges.out" "$tmp/edges-xlsx.out" || fail "XLSX and CSV give different figures"

# 4. Bad files: exit 2, the line named, no stack trace, nothing on stdout.
expect_bad() {  # file pattern what
    set +e; "$BAOCAO" dossiers summarize --file "$1" --period 2024-Q1 --form qd766 --units "$tmp/units.csv" > "$tmp/bad.out" 2> "$tmp/bad.err"
    local code=$?; set -e
    [ "$code" = 2 ] || fail "$3: exited $code, expected 2"
    grep -q "$2" "$tmp/bad.err" || fail "$3: message lacks “$2”: $(cat "$tmp/bad.err")"
    ! grep -q 'Fatal\|Backtrace' "$tmp/bad.err" || fail "$3: stack trace"
    [ ! -s "$tmp/bad.out" ] || fail "$3: figures printed for a refused file"
}
{ head -3 "$tmp/edges.csv"; echo 'B1,ZZZ,P1,Toàn trình,Trực tuyến,01/02/2024,10/02/2024,,Có,Không,Không,Không,Không,Không,'; } > "$tmp/unknown.csv"
expect_bad "$tmp/unknown.csv" 'Dòng 4: mã đơn vị “ZZZ” không có trong danh sách đơn vị' "unknown unit"
{ head -2 "$tmp/edges.csv"; echo 'B2,X01,P1,Một phần,Trực tiếp,10/02/2024,20/02/2024,09/02/2024,Có,Không,Không,Không,Không,Không,'; } > "$tmp/before.csv"
expect_bad "$tmp/before.csv" 'Dòng 3: ngày trả kết quả 09/02/2024 trước ngày tiếp nhận 10/02/2024' "finished before received"
{ head -4 "$tmp/edges.csv"; echo 'B3,X01,P1,Một phần,Trực tiếp,31/02/2024,20/03/2024,,Có,Không,Không,Không,Không,Không,'; } > "$tmp/date.csv"
expect_bad "$tmp/date.csv" 'Dòng 5: cột “Ngày tiếp nhận” có ngày “31/02/2024” không đọc được' "unreadable date"
set +e; "$BAOCAO" dossiers summarize --file "$tmp/edges.csv" --period 2024-Q9 > /dev/null 2> "$tmp/period.err"; code=$?; set -e
[ "$code" = 2 ] || fail "a bad period exited $code"

# 5. The benchmark, small: BaoCao and the peers on the same file, the table with ratios.
"$BAOCAO" bench dossiers --rows 20000 > "$tmp/bench.out" 2>&1 || { cat "$tmp/bench.out"; fail "bench dossiers"; }
grep -q '^| Số hồ sơ | Tệp (MB) | BaoCao | DuckDB | pandas | DuckDB / BaoCao | pandas / BaoCao | Khớp số liệu |$' "$tmp/bench.out" \
    || fail "bench table header: $(cat "$tmp/bench.out")"
grep -q '^| 20.000 |' "$tmp/bench.out" || fail "bench row: $(cat "$tmp/bench.out")"
if grep -q '^Bỏ qua' "$tmp/bench.out"; then grep '^Bỏ qua' "$tmp/bench.out"
else grep -q '^| 20.000 | .* | có |$' "$tmp/bench.out" || fail "the peers disagree: $(cat "$tmp/bench.out")"; fi
echo "cli-dossiers: ok"
