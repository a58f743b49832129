#!/usr/bin/env python3
"""Turns a seed report (.txt, as in /work/shared/seeds) into a .docx the way Word holds it.

The seeds are Word/PDF documents converted to Markdown-ish text. This writes them back:
- every non-empty line is a paragraph; Markdown headings (#…) become bold paragraphs,
  **…** bold runs, *…* italic runs, <b>/<i> bold/italic runs, <sup>…</sup> superscript;
- consecutive tab-separated lines are one table (a blank line ends it, as a page break
  ends a table part in the source), one cell per tab, padded to the widest row;
- a line ending in two spaces ("  ") continues in the same paragraph after a line break.

The importer (`ReportDocumentImport`) is tested on these files, so they must look like what
provinces upload: no styles beyond bold and italic, tables without merged cells.

Usage: make_seed_docx.py SEED.txt OUT.docx   (needs `pip install python-docx`)
"""
import re
import sys

from docx import Document
from docx.shared import Pt

TOKEN = re.compile(r"(\*\*\*|\*\*|\*|<b>|</b>|<i>|</i>|<sup>|</sup>)")


def add_runs(paragraph, text, bold=False):
    """Adds `text` to `paragraph`, turning the inline marks into run formatting."""
    state = {"b": bold, "i": False, "sup": False}
    for piece in TOKEN.split(text):
        if piece in ("***",):
            state["b"] = not state["b"] or bold
            state["i"] = not state["i"]
        elif piece == "**":
            state["b"] = (not state["b"]) or bold
        elif piece == "*":
            state["i"] = not state["i"]
        elif piece in ("<b>", "</b>"):
            state["b"] = piece == "<b>" or bold
        elif piece in ("<i>", "</i>"):
            state["i"] = piece == "<i>"
        elif piece in ("<sup>", "</sup>"):
            state["sup"] = piece == "<sup>"
        elif piece:
            run = paragraph.add_run(piece)
            run.bold = state["b"] or None
            run.italic = state["i"] or None
            if state["sup"]:
                run.font.superscript = True


def write_table(document, rows):
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c in range(width):
            cell = table.cell(r, c)
            text = cells[c] if c < len(cells) else ""
            paragraph = cell.paragraphs[0]
            add_runs(paragraph, text.strip())


def convert(source, target):
    with open(source, encoding="utf-8") as f:
        lines = f.read().split("\n")
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    table_rows = []
    paragraph = None  # the paragraph a line ending in "  " continues
    for raw in lines:
        if "\t" in raw:
            paragraph = None
            table_rows.append(raw.split("\t"))
            continue
        if table_rows:
            write_table(document, table_rows)
            table_rows = []
        if not raw.strip():
            paragraph = None
            continue
        line = raw.rstrip()
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        text = heading.group(1) if heading else line.strip()
        if paragraph is None:
            paragraph = document.add_paragraph()
        else:
            paragraph.add_run().add_break()
        add_runs(paragraph, text, bold=bool(heading))
        if not raw.endswith("  "):
            paragraph = None
    if table_rows:
        write_table(document, table_rows)
    document.save(target)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(sys.argv[1], sys.argv[2])
