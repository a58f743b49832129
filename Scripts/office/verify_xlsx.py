#!/usr/bin/env python3
"""Open an .xlsx with openpyxl AND python-calamine, print what they see, and
compare with an expectation written by the Swift tests.

    python3 verify_xlsx.py FILE.xlsx [--expected FILE.json] [--quiet] [--lenient-styles]
                                     [--resave-openpyxl OUT.xlsx]

Exit status 0 when both libraries open the file without warnings and every
expected cell, sheet state, format, merge, freeze pane, protection flag,
hidden column, defined name and custom property matches; 1 otherwise.

Expected JSON (from SampleFilesTests.expectation):
  {"sheets": [{"name", "state", "cells": {"A1": {"t": "s|n|b|e", "v": ..., "f": "formula"}},
               "number_formats": {"B2": "#,##0"}, "unlocked": ["F5"], "bold": ["A3"],
               "hidden_columns": ["C"], "column_widths": {"A": 7}, "merged": ["A1:G1"],
               "freeze": "C4" | null, "protected": true}],
   "defined_names": {"name": "refers to"}, "custom_properties": {...}, "title": "..."}
or {"generator": "bench", "rows": N, "columns": M, "sheet": "Data"} for the table
that bench.py / OfficeBenchmark generate.

--from-libreoffice relaxes the checks for a workbook LibreOffice re-saved
from ours, for what LibreOffice itself changes: numbers keep 15 significant
digits (0.30000000000000004 becomes 0.3), empty strings become empty cells,
veryHidden sheets become hidden, freeze panes are dropped by headless
conversion (no view), and simple sheet names lose their quotes in names.

Known reader differences handled here:
  * openpyxl does not decode Excel's _xHHHH_ escapes for control characters
    (it only strips "x005F_"); calamine and Excel do. We decode before comparing.
  * calamine reports error cells (#DIV/0!) as "".
"""
import argparse
import json
import math
import os
import re
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_unescape(s):
    """Decode the escapes writers use for characters XML cannot hold (openpyxl leaves them)."""
    def repl(m):
        v = int(m.group(1), 16)
        return chr(v) if v < 0x20 or v >= 0xFFFE else m.group(0)
    return ESCAPE.sub(repl, s) if isinstance(s, str) else s


def col_letter(idx):
    s = ""
    n = idx + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def ref_to_rc(ref):
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


class Checker:
    def __init__(self, quiet, libreoffice=False):
        self.errors = []
        self.quiet = quiet
        self.checks = 0
        self.libreoffice = libreoffice

    def eq(self, what, got, want):
        self.checks += 1
        if got != want:
            self.errors.append(f"{what}: got {got!r}, expected {want!r}")

    def fail(self, msg):
        self.errors.append(msg)

    def say(self, msg):
        if not self.quiet:
            print(msg)


def load(path, ck):
    import openpyxl
    from python_calamine import CalamineWorkbook

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb_f = openpyxl.load_workbook(path)  # formulas
        wb_v = openpyxl.load_workbook(path, data_only=True)  # cached values
    for w in caught:
        ck.fail(f"openpyxl warning: {w.message}")
    cal = CalamineWorkbook.from_path(path)
    return wb_f, wb_v, cal


def calamine_sheet(cal, name):
    return cal.get_sheet_by_name(name).to_python(skip_empty_area=False)


def expected_python_value(cell):
    t, v = cell["t"], cell.get("v")
    if t == "empty":
        return None
    return v


def compare_value(ck, where, tool, got, want_cell):
    t = want_cell["t"]
    want = want_cell.get("v")
    if ck.libreoffice:
        if t == "s" and want == "":
            ck.eq(f"{where} [{tool}]", got in (None, ""), True)
            return
        if t == "n" and type(got) in (int, float) and not isinstance(got, bool):
            ck.eq(f"{where} [{tool}] (15 digits)", math.isclose(float(got), want, rel_tol=1e-14, abs_tol=1e-300), True)
            return
    if tool == "openpyxl":
        got = excel_unescape(got)
        if t == "empty" or (t == "s" and want == "" and "f" in want_cell):
            ck.eq(f"{where} [{tool}]", got in (None, ""), True)
            return
        if t == "n" and isinstance(got, bool):
            ck.fail(f"{where} [{tool}]: got bool {got!r}, expected number {want!r}")
            return
        ck.eq(f"{where} [{tool}]", got, want)
    else:  # calamine: "" for empty and errors, float for numbers
        if t in ("empty", "e"):
            ck.eq(f"{where} [{tool}]", got in ("", None, want), True)
            return
        if t == "n":
            ck.eq(f"{where} [{tool}]", (type(got) in (int, float) and not isinstance(got, bool) and float(got) == want), True)
            if not (type(got) in (int, float) and float(got) == want):
                ck.fail(f"{where} [{tool}]: got {got!r}, expected {want!r}")
            return
        ck.eq(f"{where} [{tool}]", got, want)


def verify_sheet(ck, exp, wb_f, wb_v, cal):
    name = exp["name"]
    if name not in wb_f.sheetnames:
        ck.fail(f"sheet {name!r} missing in openpyxl ({wb_f.sheetnames})")
        return
    ws_f, ws_v = wb_f[name], wb_v[name]
    want_state = "hidden" if ck.libreoffice and exp["state"] == "veryHidden" else exp["state"]
    ck.eq(f"{name}: state [openpyxl]", ws_f.sheet_state, want_state)
    meta = {m.name: m for m in cal.sheets_metadata}
    vis = str(meta[name].visible).split(".")[-1] if name in meta else None
    ck.eq(f"{name}: state [calamine]", {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}.get(vis), want_state)
    grid = calamine_sheet(cal, name)

    cells = exp["cells"]
    for ref, cell in sorted(cells.items(), key=lambda kv: ref_to_rc(kv[0])):
        r, c = ref_to_rc(ref)
        compare_value(ck, f"{name}!{ref}", "openpyxl", ws_v[ref].value, cell)
        cal_value = grid[r][c] if r < len(grid) and c < len(grid[r]) else None
        compare_value(ck, f"{name}!{ref}", "calamine", cal_value, cell)
        if "f" in cell:
            ck.eq(f"{name}!{ref} formula [openpyxl]", ws_f[ref].value, "=" + cell["f"])
        ck.say(f"  {name}!{ref:7} {cell['t']}  openpyxl={ws_v[ref].value!r:45.45} calamine={cal_value!r:.45}")
    # Nothing unexpected: every non-empty cell either reader sees must be expected.
    for row in ws_v.iter_rows():
        for cell in row:
            if cell.value not in (None, "") and cell.coordinate not in cells:
                ck.fail(f"{name}!{cell.coordinate}: unexpected value {cell.value!r} [openpyxl]")
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v not in ("", None) and f"{col_letter(c)}{r + 1}" not in cells:
                ck.fail(f"{name}!{col_letter(c)}{r + 1}: unexpected value {v!r} [calamine]")

    for ref, fmt in exp["number_formats"].items():
        ck.eq(f"{name}!{ref} number format", ws_f[ref].number_format, fmt)
    for ref in exp["unlocked"]:
        ck.eq(f"{name}!{ref} unlocked", ws_f[ref].protection.locked, False)
    for ref in exp["bold"]:
        ck.eq(f"{name}!{ref} bold", bool(ws_f[ref].font.b), True)
    for ref, cell in cells.items():
        if ref not in exp["unlocked"]:
            ck.eq(f"{name}!{ref} locked", ws_f[ref].protection.locked, True)
    hidden = sorted(k for k, d in ws_f.column_dimensions.items() if d.hidden)
    ck.eq(f"{name}: hidden columns", hidden, sorted(exp["hidden_columns"]))
    for col, width in exp["column_widths"].items():
        dim = ws_f.column_dimensions[col]
        # openpyxl groups equal adjacent columns under the first letter.
        got = dim.width
        for key, d in ws_f.column_dimensions.items():
            if d.min and d.max and d.min <= ref_to_rc(col + "1")[1] + 1 <= d.max:
                got = d.width
        ck.eq(f"{name}: width of {col}", got, width)
    ck.eq(f"{name}: merged", sorted(str(m) for m in ws_f.merged_cells.ranges), sorted(exp["merged"]))
    if not ck.libreoffice:
        ck.eq(f"{name}: freeze panes", ws_f.freeze_panes, exp["freeze"])
    ck.eq(f"{name}: protected", bool(ws_f.protection.sheet), exp["protected"])


def verify_generated_table(ck, exp, wb_v, cal):
    from bench import sample_table

    header, rows = sample_table(exp["rows"], exp["columns"])
    name = exp["sheet"]
    grid = calamine_sheet(cal, name)
    ck.eq("calamine row count", len(grid), len(rows) + 1)
    ck.eq("calamine header", grid[0], header)
    bad = 0
    for r, row in enumerate(rows):
        got = grid[r + 1]
        if [float(v) if not isinstance(v, str) else v for v in got] != row:
            bad += 1
            if bad < 5:
                ck.fail(f"calamine row {r + 2}: {got[:6]}… != {row[:6]}…")
    ck.eq("calamine rows differing", bad, 0)
    ws = wb_v[name]
    bad = 0
    for r, cells in enumerate(ws.iter_rows(min_row=2, values_only=True)):
        if list(cells) != rows[r]:
            bad += 1
    ck.eq("openpyxl rows differing", bad, 0)
    ck.eq("openpyxl header", [c.value for c in ws[1]], header)
    ck.eq("freeze panes", wb_v[name].freeze_panes, "A2")
    ck.say(f"  {name}: {len(rows)} rows x {len(header)} columns, first row {grid[1][:5]}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file")
    p.add_argument("--expected")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--from-libreoffice", action="store_true", help="tolerate LibreOffice's own changes (see above)")
    p.add_argument("--resave-openpyxl", metavar="OUT", help="also save the workbook with openpyxl to OUT")
    args = p.parse_args(argv)

    ck = Checker(args.quiet, args.from_libreoffice)
    wb_f, wb_v, cal = load(args.file, ck)
    print(f"{args.file}: sheets {wb_f.sheetnames} (calamine: {cal.sheet_names})")
    ck.eq("sheet names [calamine]", cal.sheet_names, wb_f.sheetnames)

    if args.expected:
        with open(args.expected, encoding="utf-8") as f:
            exp = json.load(f)
        if exp.get("generator") == "bench":
            verify_generated_table(ck, exp, wb_v, cal)
        else:
            ck.eq("sheet names", wb_f.sheetnames, [s["name"] for s in exp["sheets"]])
            for s in exp["sheets"]:
                verify_sheet(ck, s, wb_f, wb_v, cal)
            names = {}
            for n, d in wb_f.defined_names.items():
                names[n] = d.attr_text
            for ws in wb_f.worksheets:
                for n, d in ws.defined_names.items():
                    names[n] = d.attr_text
            want_names = exp["defined_names"]
            if ck.libreoffice:
                unquote = lambda v: re.sub(r"'([A-Za-z0-9_.]+)'!", r"\1!", v)
                names = {k: unquote(v) for k, v in names.items()}
                want_names = {k: unquote(v) for k, v in want_names.items()}
            ck.eq("defined names", names, want_names)
            ck.eq("custom properties", {p.name: p.value for p in wb_f.custom_doc_props.props}, exp["custom_properties"])
            ck.eq("title", wb_f.properties.title, exp["title"])
    else:
        for ws in wb_v.worksheets:
            print(f"--- {ws.title} ({ws.sheet_state})")
            for row in ws.iter_rows(max_row=40):
                vals = [c.value for c in row]
                if any(v is not None for v in vals):
                    print("  ", vals)

    if args.resave_openpyxl:
        wb_f.save(args.resave_openpyxl)
        print(f"resaved with openpyxl: {args.resave_openpyxl}")

    if ck.errors:
        print(f"FAILED: {len(ck.errors)} problem(s) in {ck.checks} checks")
        for e in ck.errors[:60]:
            print("  -", e)
        return 1
    print(f"OK: {ck.checks} checks passed (openpyxl + python-calamine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
