#!/usr/bin/env python3
"""Reference timings for the Office formats, for `baocao bench office`.

Builds the same 11,000 x 30 table as OfficeBenchmark.sampleTable in Swift
(Sources/OfficeFormats/OfficeBenchmark.swift), writes it with XlsxWriter and
reads files with python-calamine, timing each.

    python3 bench.py write OUT.xlsx [--rows N --columns N]   # XlsxWriter
    python3 bench.py read FILE.xlsx                           # python-calamine
    python3 bench.py all [--dir DIR]                          # both, JSON on stdout

Output is JSON so the Swift command can parse it:
    {"tool": "xlsxwriter", "op": "write", "rows": 11000, "columns": 30, "seconds": 3.1, "bytes": 2400000}
"""
import argparse
import json
import os
import sys
import tempfile
import time

ROWS = 11_000
COLUMNS = 30


def sample_table(rows=ROWS, columns=COLUMNS):
    """Header and rows; must stay identical to OfficeBenchmark.sampleTable (Swift)."""
    header = []
    for c in range(columns):
        if c == 0:
            header.append("Mã đơn vị")
        elif c == 1:
            header.append("Tên đơn vị")
        else:
            header.append(f"Chỉ tiêu {c + 1}")
    table = []
    for r in range(rows):
        row = []
        for c in range(columns):
            if c == 0:
                row.append(f"DV{r + 1:05d}")
            elif c == 1:
                row.append(f"Đơn vị hành chính số {r % 500}")
            else:
                v = ((r + 1) * (c + 1) * 7919) % 1_000_003
                row.append(float(v) if c % 2 == 0 else v / 100)
        table.append(row)
    return header, table


def write_xlsxwriter(path, rows=ROWS, columns=COLUMNS):
    """Write the table with XlsxWriter (same look as XLSXWriter.writeTable); returns a result dict."""
    import xlsxwriter

    header, table = sample_table(rows, columns)
    start = time.perf_counter()
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Data")
    head = wb.add_format({"bold": True, "text_wrap": True, "border": 1, "align": "center", "valign": "vcenter",
                          "bg_color": "#DDEBF7", "font_name": "Times New Roman", "font_size": 12})
    text = wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter", "font_name": "Times New Roman", "font_size": 12})
    integer = wb.add_format({"border": 1, "num_format": "#,##0", "font_name": "Times New Roman", "font_size": 12})
    decimal = wb.add_format({"border": 1, "num_format": "#,##0.00", "font_name": "Times New Roman", "font_size": 12})
    ws.write_row(0, 0, header, head)
    for r, row in enumerate(table, start=1):
        for c, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(r, c, v, text)
            else:
                ws.write_number(r, c, v, integer if v == int(v) else decimal)
    ws.freeze_panes(1, 0)
    wb.close()
    seconds = time.perf_counter() - start
    return {"tool": "xlsxwriter", "op": "write", "rows": rows, "columns": columns,
            "seconds": round(seconds, 4), "bytes": os.path.getsize(path), "path": path}


def read_calamine(path):
    """Read every sheet of a workbook with python-calamine; returns a result dict."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    wb = CalamineWorkbook.from_path(path)
    cells = 0
    rows = 0
    for name in wb.sheet_names:
        data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows += len(data)
        cells += sum(len(r) for r in data)
    seconds = time.perf_counter() - start
    return {"tool": "python-calamine", "op": "read", "rows": rows, "cells": cells,
            "seconds": round(seconds, 4), "bytes": os.path.getsize(path), "path": path}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out")
    w.add_argument("--rows", type=int, default=ROWS)
    w.add_argument("--columns", type=int, default=COLUMNS)
    r = sub.add_parser("read")
    r.add_argument("file")
    a = sub.add_parser("all")
    a.add_argument("--dir", default=None)
    a.add_argument("--rows", type=int, default=ROWS)
    a.add_argument("--columns", type=int, default=COLUMNS)
    args = p.parse_args(argv)
    if args.cmd == "write":
        print(json.dumps(write_xlsxwriter(args.out, args.rows, args.columns)))
    elif args.cmd == "read":
        print(json.dumps(read_calamine(args.file)))
    else:
        d = args.dir or tempfile.mkdtemp(prefix="office-bench-")
        path = os.path.join(d, "xlsxwriter-table.xlsx")
        print(json.dumps(write_xlsxwriter(path, args.rows, args.columns)))
        print(json.dumps(read_calamine(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
