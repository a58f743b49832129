#!/usr/bin/env python3
"""Read a .docx with python-docx and print paragraphs, tables, page size and
margins in mm, and fonts; optionally compare with an expectation written by
the Swift tests (SampleFilesTests.expectation(for: DOCXDocument)).

    python3 verify_docx.py FILE.docx [--expected FILE.json] [--quiet]

Exit status 1 on any mismatch or if python-docx cannot open the file.
"""
import argparse
import json
import sys

EMU_PER_MM = 36000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def mm(length):
    return None if length is None else round(length / EMU_PER_MM, 2)


def cell_texts(table):
    """Cell texts per row, each merged (gridSpan) cell once, as Word stores it."""
    from docx.table import _Cell

    rows = []
    for tr in table._tbl.tr_lst:
        rows.append(["\n".join(p.text for p in _Cell(tc, table).paragraphs) for tc in tr.tc_lst])
    return rows


def body_blocks(doc):
    """Paragraphs and tables in document order (python-docx lists them separately)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        if child.tag == W + "p":
            yield Paragraph(child, doc)
        elif child.tag == W + "tbl":
            yield Table(child, doc)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file")
    p.add_argument("--expected")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)

    import docx
    from docx.table import Table

    errors = []
    checks = 0

    def eq(what, got, want):
        nonlocal checks
        checks += 1
        if got != want:
            errors.append(f"{what}: got {got!r}, expected {want!r}")

    doc = docx.Document(args.file)
    sec = doc.sections[0]
    normal = doc.styles["Normal"]
    rfonts = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    fonts = {k.split("}")[1]: v for k, v in (rfonts.attrib.items() if rfonts is not None else [])}
    print(f"{args.file}")
    print(f"  page {mm(sec.page_width)} x {mm(sec.page_height)} mm, orientation {sec.orientation}")
    print(f"  margins top {mm(sec.top_margin)} bottom {mm(sec.bottom_margin)} left {mm(sec.left_margin)} right {mm(sec.right_margin)} mm;"
          f" header {mm(sec.header_distance)} footer {mm(sec.footer_distance)} mm")
    print(f"  Normal font {normal.font.name} {normal.font.size.pt if normal.font.size else None} pt; default rFonts {fonts}")
    print(f"  different first page: {sec.different_first_page_header_footer}")
    header_text = "\n".join(p.text for p in sec.header.paragraphs)
    first_header_text = "\n".join(p.text for p in sec.first_page_header.paragraphs)
    footer_text = "\n".join(p.text for p in sec.footer.paragraphs)
    header_fields = sec.header._element.xml.count("PAGE")
    footer_fields = sec.footer._element.xml.count("PAGE")
    print(f"  header {header_text!r} (PAGE fields: {header_fields}), first-page header {first_header_text!r}, footer {footer_text!r} (PAGE fields: {footer_fields})")

    paragraphs, tables = [], []
    for block in body_blocks(doc):
        if isinstance(block, Table):
            rows = cell_texts(block)
            tables.append(rows)
            if not args.quiet:
                print(f"  [table {len(rows)} rows]")
                for r in rows:
                    print("     |", " | ".join(c.replace("\n", " / ") for c in r))
        else:
            paragraphs.append(block.text)
            if not args.quiet:
                fmt = block.paragraph_format
                runs = ", ".join(
                    f"{'B' if r.bold else ''}{'I' if r.italic else ''}{'U' if r.underline else ''}{r.font.size.pt if r.font.size else ''}"
                    for r in block.runs if r.text)
                print(f"  [p {str(block.alignment).split('.')[-1].split(' ')[0] if block.alignment is not None else 'LEFT?'}"
                      f" first-line {mm(fmt.first_line_indent)}mm runs({runs})] {block.text[:90]!r}")

    if args.expected:
        with open(args.expected, encoding="utf-8") as f:
            exp = json.load(f)
        # The writer adds an empty paragraph after a final table (Word needs one).
        got_paragraphs = paragraphs[:-1] if paragraphs and paragraphs[-1] == "" and len(paragraphs) == len(exp["paragraphs"]) + 1 else paragraphs
        eq("paragraphs", got_paragraphs, exp["paragraphs"])
        eq("tables", tables, exp["tables"])
        eq("page width mm", round(mm(sec.page_width)), round(exp["page_width_mm"]))
        eq("page height mm", round(mm(sec.page_height)), round(exp["page_height_mm"]))
        for side in ("top", "bottom", "left", "right"):
            eq(f"margin {side} mm", round(mm(getattr(sec, f"{side}_margin"))), round(exp["margins_mm"][side]))
        eq("Normal font", normal.font.name, exp["font"])
        eq("Normal size", normal.font.size.pt if normal.font.size else None, exp["font_size_pt"])
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            eq(f"default font {script}", fonts.get(script), exp["font"])
        eq("different first page", bool(sec.different_first_page_header_footer), exp["different_first_page"])
        if exp["page_numbers"] == "header":
            eq("PAGE field in header", header_fields > 0, True)
        elif exp["page_numbers"] == "footer":
            eq("PAGE field in footer", footer_fields > 0, True)
        if exp["different_first_page"]:
            eq("first page header empty", first_header_text.strip(), "")

    if errors:
        print(f"FAILED: {len(errors)} problem(s) in {checks} checks")
        for e in errors:
            print("  -", e[:400])
        return 1
    print(f"OK: {checks} checks passed (python-docx)" if args.expected else "OK: opened with python-docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
