#!/usr/bin/env bash
# The demo province's official report (Word) as real office software sees it:
# `baocao export --format docx` on a fresh demo database, python-docx reads
# the page setup, font and letterhead, LibreOffice prints it to PDF, and the
# PDF must have at least 2 pages, the national title, and the number 2 at the
# top of page 2. The pages are left as PNG in out/checks/docx-libreoffice/
# for a look.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BAOCAO="$ROOT/.build/debug/baocao"
OUT="$ROOT/out/checks/docx-libreoffice"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

[ -x "$BAOCAO" ] || fail "$BAOCAO is missing: run swift build first"
python3 -c 'import docx' 2>/dev/null || python3 -m pip install -q python-docx
if ! command -v libreoffice >/dev/null 2>&1 && ! command -v soffice >/dev/null 2>&1; then
  apt-get update -qq
  if apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
    apt-get install -y -qq libreoffice-writer-nogui
  else
    apt-get install -y -qq libreoffice-core libreoffice-writer
  fi
fi
command -v pdftoppm >/dev/null 2>&1 || { apt-get update -qq; apt-get install -y -qq poppler-utils; }
LO=$(command -v libreoffice || command -v soffice)

# A throwaway SQLite database with the demo province (never the CI's PostgreSQL).
export BAOCAO_DATA_DIR="$tmp/data"
unset DATABASE_URL
BAOCAO_DEMO_FIXTURE=1 "$BAOCAO" demo > "$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log"; fail "baocao demo"; }
DOCX="$tmp/bao-cao-quy-1.docx"
"$BAOCAO" export --unit 000.00.00.H05 --period 2024-Q1 --form egov-2024 --format docx \
  --date 14/03/2024 --signer "Nguyễn Văn A" -o "$DOCX" 2> "$tmp/export.log" || { cat "$tmp/export.log"; fail "baocao export docx"; }

python3 - "$DOCX" <<'PY'
import sys
import docx
from docx.shared import Mm

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
d = docx.Document(sys.argv[1])
s = d.sections[0]
def mm(x): return x / 36000
assert abs(mm(s.page_width) - 210) < 0.5 and abs(mm(s.page_height) - 297) < 0.5, (mm(s.page_width), mm(s.page_height))
assert 20 - 0.1 <= mm(s.top_margin) <= 25 + 0.1, mm(s.top_margin)
assert 20 - 0.1 <= mm(s.bottom_margin) <= 25 + 0.1, mm(s.bottom_margin)
assert 30 - 0.1 <= mm(s.left_margin) <= 35 + 0.1, mm(s.left_margin)
assert 15 - 0.1 <= mm(s.right_margin) <= 20 + 0.1, mm(s.right_margin)
normal = d.styles["Normal"].font
assert normal.name == "Times New Roman", normal.name
fonts = d.styles.element.find(f"{W}docDefaults").find(f".//{W}rFonts")
assert all(fonts.get(f"{W}{k}") == "Times New Roman" for k in ("ascii", "hAnsi", "cs", "eastAsia")), fonts.attrib
# No run overrides the font with another one.
for p in d.paragraphs:
    for r in p.runs:
        assert r.font.name in (None, "Times New Roman"), r.font.name
assert s.different_first_page_header_footer, "page numbers must start on page 2"
assert "PAGE" in s.header._element.xml and "PAGE" not in s.first_page_header._element.xml

header = d.tables[0]
left, right = (c.text for c in header.rows[0].cells)
assert left.startswith("ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG"), left
assert "/BC-UBND" in left and left.split("\n")[-1].startswith("Số:"), left
assert right.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"), right
assert right.endswith("Bắc Giang, ngày 14 tháng 3 năm 2024"), right
date_runs = [r for p in header.rows[0].cells[1].paragraphs for r in p.runs if "ngày" in r.text]
assert date_runs and all(r.italic for r in date_runs), "the place and date line is italic"
motto = [r for p in header.rows[0].cells[1].paragraphs for r in p.runs if r.text.startswith("CỘNG HÒA")]
assert motto and motto[0].bold

texts = [p.text for p in d.paragraphs]
assert "BÁO CÁO" in texts
title = texts[texts.index("BÁO CÁO") + 1]
assert title.endswith("Quý I năm 2024"), title
bold = {p.text: all(r.bold for r in p.runs) for p in d.paragraphs if p.runs}
assert bold["BÁO CÁO"] and bold[title]
for heading in ["I. KẾT QUẢ ĐẠT ĐƯỢC", "II. ĐÁNH GIÁ CHUNG", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]:
    assert heading in texts, heading
assert "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1% (28.295/29.140 hồ sơ)." in texts
assert any("Phụ lục" in t for t in texts)
signature = [t for t in d.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:")]
assert signature and signature[0].rows[0].cells[1].text.startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
print("python-docx: A4, margins %.0f/%.0f/%.0f/%.0f mm, Times New Roman, letterhead and sections: ok"
      % (mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)))
PY

"$LO" "-env:UserInstallation=file://$tmp/lo-profile" --headless --convert-to pdf --outdir "$tmp" "$DOCX" > "$tmp/lo.log" 2>&1 \
  || { cat "$tmp/lo.log"; fail "LibreOffice could not convert the report"; }
PDF="${DOCX%.docx}.pdf"
[ -s "$PDF" ] || { cat "$tmp/lo.log"; fail "no PDF from LibreOffice"; }
pages=$(pdfinfo "$PDF" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 2 ] || fail "the report has $pages page(s), expected at least 2"
pdfinfo "$PDF" | grep -q "Page size:.*595.* x 841.*" || fail "PDF page is not A4: $(pdfinfo "$PDF" | grep 'Page size')"
pdftotext -layout "$PDF" "$tmp/all.txt"
grep -q "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "$tmp/all.txt" || fail "national title missing from the PDF text"
grep -q "Độc lập - Tự do - Hạnh phúc" "$tmp/all.txt" || fail "motto missing from the PDF text"
pdftotext -f 1 -l 1 "$PDF" "$tmp/page1.txt"
pdftotext -f 2 -l 2 "$PDF" "$tmp/page2.txt"
first_line() { grep -v '^[[:space:]]*$' "$1" | head -1 | tr -d '[:space:]'; }
[ "$(first_line "$tmp/page2.txt")" = "2" ] || fail "page 2 does not start with its number: $(head -3 "$tmp/page2.txt")"
[ "$(first_line "$tmp/page1.txt")" != "1" ] || fail "page 1 must not be numbered"

rm -rf "$OUT"; mkdir -p "$OUT"
cp "$DOCX" "$PDF" "$OUT/"
pdftoppm -png -r 70 "$PDF" "$OUT/trang"
echo "docx-libreoffice: $pages pages, A4, page numbers from page 2; PNG pages in ${OUT#$ROOT/}/"
