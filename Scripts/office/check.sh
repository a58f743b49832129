#!/usr/bin/env bash
# End-to-end check of the OfficeFormats target against other readers and LibreOffice.
#
#   Scripts/office/check.sh            # samples in out/office
#   OUT=/tmp/x Scripts/office/check.sh
#   ISOLATED=1 Scripts/office/check.sh # build OfficeFormats in a scratch package
#                                      # (when another target of the repo does not compile)
#
# Needs: python3 with openpyxl python-calamine XlsxWriter python-docx;
#        libreoffice (libreoffice-writer-nogui + libreoffice-calc-nogui) and poppler-utils.
# Steps:
#   1. the Swift tests write sample .xlsx/.docx plus expected JSON (OFFICE_SAMPLES_DIR)
#   2. verify_xlsx.py / verify_docx.py check them with openpyxl, python-calamine, python-docx
#   3. bench.py writes the 11,000 x 30 table with XlsxWriter
#   4. LibreOffice converts the samples to PDF and re-saves them as .xlsx/.docx;
#      openpyxl re-saves the workbook; the re-saved workbook is verified again
#   5. the Swift tests read the LibreOffice/openpyxl/XlsxWriter files (OFFICE_FOREIGN_DIR)
#   6. pdftoppm renders the PDFs to PNG for a look
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Scripts/office"
OUT="${OUT:-$ROOT/out/office}"
SAMPLES="$OUT/samples"
FOREIGN="$OUT/foreign"
PDF="$OUT/pdf"
rm -rf "$SAMPLES" "$FOREIGN" "$PDF"
mkdir -p "$SAMPLES" "$FOREIGN" "$PDF"

run_swift_tests() {
    # $1: filter; remaining: environment assignments
    local filter="$1"; shift
    if [[ "${ISOLATED:-0}" == "1" ]]; then
        local pkg="${TMPDIR:-/tmp}/officeformats-isolated"
        mkdir -p "$pkg/Sources" "$pkg/Tests"
        ln -sfn "$ROOT/Sources/OfficeFormats" "$pkg/Sources/OfficeFormats"
        ln -sfn "$ROOT/Tests/OfficeFormatsTests" "$pkg/Tests/OfficeFormatsTests"
        cat > "$pkg/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "OfficeFormatsIsolated",
    dependencies: [.package(path: "$ROOT/.build/checkouts/ZIPFoundation")],
    targets: [
        .target(name: "OfficeFormats", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "OfficeFormatsTests", dependencies: ["OfficeFormats"]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
        (cd "$pkg" && env "$@" swift test --filter "$filter")
    else
        (cd "$ROOT" && env "$@" swift test --filter "$filter")
    fi
}

echo "== 1. Swift tests (writing samples to $SAMPLES)"
run_swift_tests OfficeFormatsTests "OFFICE_SAMPLES_DIR=$SAMPLES"

echo "== 2. Python readers"
python3 "$HERE/verify_xlsx.py" "$SAMPLES/report.xlsx" --expected "$SAMPLES/report.expected.json" --quiet \
    --resave-openpyxl "$FOREIGN/openpyxl-report.xlsx"
python3 "$HERE/verify_xlsx.py" "$SAMPLES/table.xlsx" --expected "$SAMPLES/table.expected.json" --quiet
python3 "$HERE/verify_docx.py" "$SAMPLES/report.docx" --expected "$SAMPLES/report.docx.expected.json" --quiet

echo "== 3. XlsxWriter / calamine reference timings"
python3 "$HERE/bench.py" all --dir "$FOREIGN"

echo "== 4. LibreOffice"
LO="$(command -v libreoffice || command -v soffice)"
LOPROFILE="-env:UserInstallation=file://$OUT/lo-profile"
# Separate folders: both samples are called report.*, and so would their PDFs be.
"$LO" "$LOPROFILE" --headless --convert-to pdf --outdir "$OUT/lo-pdf-docx" "$SAMPLES/report.docx"
"$LO" "$LOPROFILE" --headless --convert-to pdf --outdir "$OUT/lo-pdf-xlsx" "$SAMPLES/report.xlsx"
mv "$OUT/lo-pdf-docx/report.pdf" "$PDF/report-docx.pdf"
mv "$OUT/lo-pdf-xlsx/report.pdf" "$PDF/report-xlsx.pdf"
mkdir -p "$OUT/lo-xlsx" "$OUT/lo-docx"
"$LO" "$LOPROFILE" --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$OUT/lo-xlsx" "$SAMPLES/report.xlsx"
"$LO" "$LOPROFILE" --headless --convert-to docx:"MS Word 2007 XML" --outdir "$OUT/lo-docx" "$SAMPLES/report.docx"
mv "$OUT/lo-xlsx/report.xlsx" "$FOREIGN/libreoffice-report.xlsx"
mv "$OUT/lo-docx/report.docx" "$FOREIGN/libreoffice-report.docx"
echo "-- LibreOffice's re-save, read by openpyxl + calamine:"
python3 "$HERE/verify_xlsx.py" "$FOREIGN/libreoffice-report.xlsx" --expected "$SAMPLES/report.expected.json" --quiet --from-libreoffice
echo "-- LibreOffice's re-save of the document, read by python-docx:"
python3 "$HERE/verify_docx.py" "$FOREIGN/libreoffice-report.docx" --quiet

echo "== 5. Our readers on LibreOffice, openpyxl and XlsxWriter output"
run_swift_tests SampleFilesTests "OFFICE_FOREIGN_DIR=$FOREIGN"

echo "== 6. Pages"
for pdf in "$PDF"/*.pdf; do
    pdfinfo "$pdf" | grep -E "^(Pages|Page size)" | sed "s|^|  $(basename "$pdf"): |"
    pdftoppm -png -r 70 "$pdf" "${pdf%.pdf}"
done
ls -1 "$PDF"/*.png
echo "All office checks passed. Look at the PNGs above."
