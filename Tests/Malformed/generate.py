#!/usr/bin/env python3
"""Writes the malformed-input corpus (issue 9) into Tests/Malformed/files/:
hostile or broken files for every reader of a user's file (XLSX/ZIP, DOCX,
CSV, YAML plans, units CSV/JSON). Deterministic: running it again gives the
same bytes. The decompression bomb is not written here (it would be 2 MB in
git); `bomb()` builds it at run time for Scripts/checks/malformed-corpus.sh.

    python3 Tests/Malformed/generate.py            # rewrite files/
    python3 Tests/Malformed/generate.py --bomb OUT # write the bomb to OUT
"""
import io
import os
import random
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "files")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
FIXED_TIME = (2024, 3, 14, 8, 0, 0)


def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = method
            z.writestr(info, data)
    return out.getvalue()


def xlsx(sheet_body, shared_strings=None, extra=()):
    """A minimal workbook: one sheet whose XML body is `sheet_body`."""
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
             + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared_strings is not None else "") + "</Types>")
    rels = (f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                '<sheet name="Báo cáo" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wb_rels = (f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
               'Target="worksheets/sheet1.xml"/>'
               + (f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings is not None else "")
               + "</Relationships>")
    entries = [("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", workbook),
               ("xl/_rels/workbook.xml.rels", wb_rels),
               ("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">{sheet_body}</worksheet>')]
    if shared_strings is not None:
        entries.append(("xl/sharedStrings.xml", shared_strings))
    return zip_bytes(entries + list(extra))


def zip64_sizes():
    """A ZIP whose local header and central directory give 0xFFFFFFFF sizes
    with a ZIP64 extra field claiming 2^62 bytes for a 5-byte entry."""
    name = b"xl/worksheets/sheet1.xml"
    data = b"hello"
    crc = zlib.crc32(data)
    extra = struct.pack("<HHQQ", 0x0001, 16, 1 << 62, len(data))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra))
    local += name + extra + data
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                          len(name), len(extra), 0, 0, 0, 0, 0) + name + extra
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + eocd


def zip_bad_central_directory():
    good = bytearray(xlsx("<sheetData/>"))
    end = good.rfind(b"PK\x05\x06")
    struct.pack_into("<I", good, end + 16, 0x7FFFFFF0)  # the central directory offset points past the end
    struct.pack_into("<H", good, end + 10, 0xFFFF)  # and it claims 65535 entries
    return bytes(good)


def zip_lying_sizes():
    """Entries stored uncompressed whose headers claim other sizes than their data."""
    good = bytearray(zip_bytes([("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")], zipfile.ZIP_STORED))
    offset = 0
    while True:
        offset = good.find(b"PK\x01\x02", offset)
        if offset < 0:
            break
        struct.pack_into("<II", good, offset + 20, 0x7FFFFFFF, 0x7FFFFFFF)
        offset += 4
    return bytes(good)


def docx(document_xml, extra=()):
    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = (f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    return zip_bytes([("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/document.xml", document_xml)] + list(extra))


def corpus():
    rng = random.Random(20240314)
    files = {}
    # ---- ZIP / XLSX
    files["random-bytes.xlsx"] = bytes(rng.randrange(256) for _ in range(4096))
    files["empty.xlsx"] = b""
    files["zip-truncated.xlsx"] = xlsx('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>')[:300]
    files["zip-only-end-record.xlsx"] = b"PK\x05\x06" + b"\x00" * 18
    files["zip-bad-central-directory.xlsx"] = zip_bad_central_directory()
    files["zip-lying-sizes.xlsx"] = zip_lying_sizes()
    files["zip64-size-markers.xlsx"] = zip64_sizes()
    files["zip-not-deflate.xlsx"] = bytes(xlsx("<sheetData/>")).replace(b"PK\x03\x04\x14\x00\x00\x00\x08\x00", b"PK\x03\x04\x14\x00\x00\x00\x63\x00")
    files["zip-path-traversal.xlsx"] = zip_bytes([("../../../../tmp/baocao-pwned.txt", "x"), ("/etc/passwd", "x")])
    files["zip-many-entries.xlsx"] = zip_bytes([(f"e/{i}", "") for i in range(1500)], zipfile.ZIP_STORED)
    files["xlsx-col-16385.xlsx"] = xlsx('<cols><col min="16385" max="16385" width="9"/></cols><sheetData/>')
    files["xlsx-col-max-int.xlsx"] = xlsx('<cols><col min="1" max="9223372036854775807" width="9"/></cols><sheetData/>')
    files["xlsx-row-1048577.xlsx"] = xlsx('<sheetData><row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>')
    files["xlsx-row-2e63.xlsx"] = xlsx('<sheetData><row r="9223372036854775808"><c r="A9223372036854775808"><v>1</v></c></row></sheetData>')
    files["xlsx-row-negative.xlsx"] = xlsx('<sheetData><row r="-1"><c r="A-1"><v>1</v></c></row><row r="0"><c r="A0"><v>1</v></c></row></sheetData>')
    files["xlsx-cell-ref-overflow.xlsx"] = xlsx('<sheetData><row r="1"><c r="XFE1"><v>1</v></c>'
                                                '<c r="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1"><v>1</v></c>'
                                                '<c r="A99999999999999999999999999"><v>1</v></c></row></sheetData>')
    files["xlsx-shared-formula-overflow.xlsx"] = xlsx(
        '<sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A1048576" si="0">B1048576+XFD1</f><v>1</v></c></row>'
        '<row r="1048576"><c r="A1048576"><f t="shared" si="0"/><v>1</v></c></row>'
        '<row r="2"><c r="XFD2"><f t="shared" ref="XFD2:XFD3" si="1">XFD1+A1</f></c></row>'
        '<row r="3"><c r="XFD3"><f t="shared" si="1"/></c></row>'
        '<row r="4"><c r="B4"><f t="shared" si="9223372036854775807"/></c></row></sheetData>')
    files["xlsx-deep-xml.xlsx"] = xlsx("<sheetData>" + "<a>" * 100000 + "</a>" * 100000 + "</sheetData>")
    files["xlsx-sst-millions.xlsx"] = xlsx(
        '<sheetData><row r="1"><c r="A1" t="s"><v>49999999</v></c><c r="B1" t="s"><v>-1</v></c>'
        '<c r="C1" t="s"><v>99999999999999999999</v></c></row></sheetData>',
        shared_strings=f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="50000000" uniqueCount="50000000"><si><t>a</t></si></sst>')
    files["xlsx-huge-values.xlsx"] = xlsx(
        '<sheetData><row r="1"><c r="A1"><v>1e400</v></c><c r="B1"><v>123456789012345678901234567890</v></c>'
        '<c r="C1"><v>NaN</v></c><c r="D1"><v>-1e-400</v></c><c r="E1"><v>' + "9" * 5000 + '</v></c></row></sheetData>')
    files["xlsx-entity-expansion.xlsx"] = zip_bytes([
            ("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
             '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
             '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><Types>&f;&f;&f;&f;</Types>'),
            ("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><workbook/>')])
    files["xlsx-missing-parts.xlsx"] = zip_bytes([("[Content_Types].xml", "<Types/>")])
    files["xlsx-invalid-xml.xlsx"] = xlsx('<sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData><<<&&&')
    # ---- DOCX
    files["docx-broken-parts.docx"] = docx('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                           '<w:body><w:p><w:r><w:t>Báo cáo</w:body>', extra=[("word/styles.xml", b"\x00\xff\xfe garbage")])
    files["docx-deep-nesting.docx"] = docx('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                                           + "<w:tbl><w:tr><w:tc>" * 20000 + "</w:tc></w:tr></w:tbl>" * 20000 + "</w:body></w:document>")
    files["docx-no-document.docx"] = zip_bytes([("[Content_Types].xml", "<Types/>"), ("word/other.xml", "<x/>")])
    # ---- CSV (values, units)
    files["csv-nul-bytes.csv"] = b"code,value,note\n6.1.1,\x005\x00,\x00\x00\n\x00\x00\x00,1,\n"
    files["csv-unbalanced-quotes.csv"] = b'code,value,note\n6.1.1,"5,ghi ch\xc3\xba\n6.2.1,"3"","\n"'
    files["csv-10000-columns.csv"] = (",".join(f"c{i}" for i in range(10000)) + "\n" + ",".join("1" for _ in range(10000)) + "\n").encode()
    files["csv-invalid-utf8.csv"] = b"code,value\n6.1.1,\xff\xfe\xc3\x28\n"
    files["csv-huge-numbers.csv"] = ("code,value,note\n6.3.1,123.456.789.012.345.678,\n6.3.2,1e400,\n6.4.1," + "9" * 5000
                                     + ",\n6.4.2,-0,\n6.5.1,\"1,\" ,\n6.5.2,99999999999999999999999999999999999999,\n").encode()
    files["csv-long-line.csv"] = b"code,value,note\n6.1.1,5," + b"x" * 100000 + b"\n"
    files["units-cycle.csv"] = ("code,name,kind,parent_code\n900.00.01.H05,Xã A,commune,900.00.02.H05\n"
                                "900.00.02.H05,Xã B,commune,900.00.01.H05\n900.00.03.H05,Xã C,commune,900.00.03.H05\n").encode()
    files["units-bad-codes.csv"] = ("code,name,kind,parent_code\n,Không mã,commune,000.00.00.H05\n"
                                    "000 00 31 H05,Có dấu cách,commune,000.00.31.H05\n"
                                    "mã-đơn-vị\u202e,Ký tự lạ,commune,000.00.31.H05\n"
                                    "900.00.04.H05,Loại lạ,galaxy,000.00.00.H05\n"
                                    "900.00.05.H05,Cha không có,commune,999.99.99.H99\n"
                                    "000.00.00.H05,Trùng gốc,province,000.00.31.H05\n").encode()
    chain = ["code,name,kind,parent_code"] + [f"9{i:05d}.H05,Đơn vị {i},commune,9{i + 1:05d}.H05" for i in range(2000)]
    files["units-deep-chain-cycle.csv"] = ("\n".join(chain) + "\n902000.H05,Vòng,commune,900000.H05\n").encode()
    files["units-nul.csv"] = b"code,name,kind,parent_code\n\x00\x00,\x00,commune,\n"
    files["units-deep.json"] = ("[" * 30000 + "]" * 30000).encode()
    files["units-huge-number.json"] = b'[{"code": 1e400, "name": 123456789012345678901234567890, "division_type": "x", "wards": [{"code": -1e400}]}]'
    files["units-broken.json"] = b'[{"code": "01", "name": "H\xc3\xa0 N\xe1\xbb\x99i", "districts": [{"code": '
    # ---- YAML plans
    files["plan-billion-laughs.yaml"] = (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
        + "id: [*i]\ntitle: *i\ngroups: *i\n").encode()
    files["plan-deep-nesting.yaml"] = ("id: sau\ntitle: Sâu\ngroups: " + "[" * 50000 + "]" * 50000 + "\n").encode()
    files["plan-deep-block.yaml"] = ("id: sau2\ntitle: Sâu\ngroups:\n" + "".join("  " * i + "- \n" for i in range(1, 400))).encode()
    files["plan-huge-numbers.yaml"] = (
        'id: kh-so-lon\ntitle: "Kế hoạch số lớn"\ngroups:\n  - code: "I"\n    name: "Nhóm"\n    targets:\n'
        '      - code: "I.1"\n        name: "Chỉ tiêu"\n        responsible: "Sở"\n        unit: percent\n'
        '        threshold: {op: ">=", value: 123456789012345678901234567890, wording: "đạt"}\n'
        '      - code: "I.2"\n        name: "Chỉ tiêu 2"\n        responsible: "Sở"\n        unit: count\n'
        '        threshold: {op: ">=", value: 1e400, wording: "đạt"}\n'
        '      - code: "I.3"\n        name: "Chỉ tiêu 3"\n        responsible: "Sở"\n        unit: count\n'
        '        threshold: {op: ">=", value: .nan, wording: "đạt"}\n').encode()
    files["plan-invalid-yaml.yaml"] = b"id: [unclosed\ntitle: {a: b\n\t- tab\n  *nosuchalias\n"
    files["plan-binary.yaml"] = bytes(rng.randrange(256) for _ in range(2048))
    return files


def bomb(path, inflated=1900 * 1024 ** 2):
    """An XLSX-shaped ZIP whose sheet (~2 MB compressed) inflates to `inflated` bytes of zeros
    inside <v> text, with honest headers: only an inflation cap stops it."""
    chunk = b"0" * (1 << 20)
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>'.encode()
    tail = b"</v></c></row></sheetData></worksheet>"
    # A full flush ends each piece on a byte boundary with no reference to earlier data,
    # so one compressed megabyte can be repeated: seconds instead of deflating 2 GB.
    def piece(data, final=False):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)
    count = inflated // len(chunk)
    body = piece(head) + piece(chunk) * count + piece(tail, final=True)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * len(chunk) + len(tail)
    small = zipfile.ZipFile(io.BytesIO(xlsx("<sheetData/>")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in small.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item, small.read(item.filename))
    # The sheet entry appended by hand (zipfile would inflate-check nothing, but cannot take raw deflate data).
    data = out.getvalue()
    eocd = data.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<II", data, eocd + 12)
    entries = struct.unpack_from("<H", data, eocd + 10)[0]
    name = b"xl/worksheets/sheet1.xml"
    sizes = (min(len(body), 0xFFFFFFFF), min(size, 0xFFFFFFFF))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, sizes[0], sizes[1], len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, sizes[0], sizes[1],
                          len(name), 0, 0, 0, 0, 0, cd_offset) + name
    result = data[:cd_offset] + local + body + data[cd_offset:cd_offset + cd_size] + central
    result += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + 1, entries + 1, cd_size + len(central),
                          cd_offset + len(local) + len(body), 0)
    with open(path, "wb") as f:
        f.write(result)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--bomb":
        bomb(sys.argv[2])
        return
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    files = corpus()
    for name, data in sorted(files.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
    total = sum(len(d) for d in files.values())
    print(f"{len(files)} files, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
