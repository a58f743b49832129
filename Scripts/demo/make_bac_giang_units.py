#!/usr/bin/env python3
"""Writes the demo province's unit tree from the public `vietnam-provinces` data.

    python3 -m pip install vietnam-provinces==0.6.0   # into one venv
    python3 -m pip install vietnam-provinces==2025.10.1  # into another
    python3 Scripts/demo/make_bac_giang_units.py VP06_DATA_DIR VP2025_DATA_DIR

Each argument is the package's `data` folder (with nested-divisions.json).
Output: Sources/App/Demo/bac-giang-demo-units.csv with the columns
code,name,kind,parent_code,retired_on,successor_codes, in this order:
- the province and its departments (kept from bac-giang-units.csv: the
  seeds' agencies; their codes are placeholders, see README.md);
- the 10 district-level units and 195 communes of tỉnh Bắc Giang in 0.6.0
  (codes D<gso> / W<gso>, as `baocao units import` names that data),
  retired on 2025-07-01;
- the 58 communes of the two-level tree (2025.10.1, tỉnh Bắc Ninh, code 24)
  whose GSO code was a Bắc Giang commune's: the new commune keeps the code of
  one of the communes merged into it, which is the one successor link the
  public data gives. Codes W<gso>-2025, so that they differ from the 2024 unit
  that had the same GSO code.
The product reads only the committed CSV; nothing here runs at run time.
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(HERE, "..", "..", "Sources", "App", "Demo")
PROVINCE = "000.00.00.H05"
RETIRED = "2025-07-01"


def unit_name(division_name):
    """'Huyện Hiệp Hòa' -> 'UBND huyện Hiệp Hòa', the way the seeds name reporting bodies."""
    first, _, rest = division_name.partition(" ")
    for prefix in ("Thành phố", "Thị xã", "Thị trấn"):
        if division_name.startswith(prefix + " "):
            return "UBND " + prefix.lower() + division_name[len(prefix):]
    return "UBND " + first.lower() + " " + rest


def main(old_dir, new_dir):
    old = json.load(open(os.path.join(old_dir, "nested-divisions.json"), encoding="utf-8"))
    new = json.load(open(os.path.join(new_dir, "nested-divisions.json"), encoding="utf-8"))
    bac_giang = next(p for p in old if p["code"] == 24 and "Bắc Giang" in p["name"])
    bac_ninh_2025 = next(p for p in new if p["code"] == 24)

    with open(os.path.join(DEMO, "bac-giang-units.csv"), encoding="utf-8") as f:
        agencies = [r for r in csv.DictReader(f) if r["kind"] in ("province", "department")]

    old_wards = {}
    rows = [[a["code"], a["name"], a["kind"], a["parent_code"], "", ""] for a in agencies]
    district_rows, ward_rows = [], []
    for district in bac_giang["districts"]:
        dcode = f"D{district['code']}"
        district_rows.append([dcode, unit_name(district["name"]), "district", PROVINCE, RETIRED, ""])
        for ward in district["wards"]:
            old_wards[ward["code"]] = len(ward_rows)
            ward_rows.append([f"W{ward['code']}", unit_name(ward["name"]), "commune", dcode, RETIRED, ""])
    new_rows = []
    for ward in bac_ninh_2025["wards"]:
        if ward["code"] not in old_wards:
            continue  # a commune of the former tỉnh Bắc Ninh
        code = f"W{ward['code']}-2025"
        new_rows.append([code, unit_name(ward["name"]), "commune", PROVINCE, "", ""])
        ward_rows[old_wards[ward["code"]]][5] = code
    assert len(district_rows) == 10 and len(ward_rows) == 195 and len(new_rows) == 58, (len(district_rows), len(ward_rows), len(new_rows))

    out = os.path.join(DEMO, "bac-giang-demo-units.csv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "kind", "parent_code", "retired_on", "successor_codes"])
        writer.writerows(rows + district_rows + ward_rows + new_rows)
    print(f"{out}: {len(rows)} agencies, {len(district_rows)} districts, {len(ward_rows)} communes (2024), "
          f"{len(new_rows)} communes (2025)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
