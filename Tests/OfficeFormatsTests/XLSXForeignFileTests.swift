import Foundation
import Testing

@testable import OfficeFormats

/// Workbooks shaped like other producers' output: prefixed SpreadsheetML
/// (.NET writers), rich and phonetic shared strings (Excel), inline strings
/// (streaming writers), shared formulas (Excel fill-down), cells without
/// references, custom number formats and LibreOffice-style column runs.
@Suite struct XLSXForeignFileTests {
    static func package(_ parts: [String: String]) throws -> Data {
        let zip = try ZipArchiveBuilder()
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            try zip.add(path, Array(text.utf8))
        }
        return try zip.finish()
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>
        """
    static let rootRels = """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>
        """

    static func foreignWorkbook() throws -> Data {
        try package([
            "[Content_Types].xml": contentTypes,
            "_rels/.rels": rootRels,
            "xl/workbook.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- written by hand -->
            <x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
              <x:sheets>
                <x:sheet name="Tổng hợp &amp; chi tiết" sheetId="7" rel:id="rIdB"/>
                <x:sheet name="Ẩn" sheetId="2" state="hidden" rel:id="rIdA"/>
              </x:sheets>
              <x:definedNames><x:definedName name="_xlnm.Print_Area" localSheetId="0">'Tổng hợp &amp; chi tiết'!$A$1:$D$5</x:definedName></x:definedNames>
            </x:workbook>
            """,
            "xl/_rels/workbook.xml.rels": """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rIdB" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/Sheet2.xml"/>
            <Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
            <Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
            </Relationships>
            """,
            "xl/sharedStrings.xml": """
            <x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
            <x:si><x:t>Hà Nội</x:t></x:si>
            <x:si><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">Đà </x:t></x:r><x:r><x:t>Nẵng</x:t></x:r><x:rPh sb="0" eb="1"><x:t>PHONETIC</x:t></x:rPh></x:si>
            <x:si><x:t>dòng_x000D_
            mới &amp; &#7879;</x:t></x:si>
            </x:sst>
            """,
            "xl/styles.xml": """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0"/></numFmts>
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b val="true"/><sz val="11"/></font></fonts>
            <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill></fills>
            <borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders>
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
            <cellXfs count="4">
              <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
              <xf numFmtId="164" fontId="0" fillId="2" borderId="1" xfId="0" applyProtection="1"><protection locked="0" hidden="0"/></xf>
              <xf numFmtId="4" fontId="1" fillId="0" borderId="1" xfId="0"/>
              <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0"/>
            </cellXfs>
            </styleSheet>
            """,
            "xl/worksheets/Sheet2.xml": """
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <x:sheetViews><x:sheetView workbookViewId="0"><x:pane xSplit="1" ySplit="2" topLeftCell="B3" state="frozen"/></x:sheetView></x:sheetViews>
            <x:cols><x:col min="1" max="1" width="20.5" customWidth="true"/><x:col min="3" max="5" width="9" hidden="1"/><x:col min="6" max="1024" width="11.52" customWidth="false"/></x:cols>
            <x:sheetData>
              <x:row r="1"><x:c r="A1" t="s" s="3"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>
              <x:row r="2" ht="30" customHeight="1"><x:c r="A2" t="inlineStr"><x:is><x:t>inline &lt;chuỗi&gt;</x:t></x:is></x:c><x:c r="B2" s="1"><x:v>1609226</x:v></x:c><x:c r="D2" s="2"><x:v>97.45</x:v></x:c></x:row>
              <x:row><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c><x:f>A2&amp;"x"</x:f><x:v>  </x:v></x:c><x:c t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c></x:row>
              <x:row r="5"><x:c r="A5"><x:v>1</x:v></x:c><x:c r="B5"><x:f t="shared" ref="B5:D6" si="0">A5*2+$A$5+LOG10(A5)+'Ẩn'!A1</x:f><x:v>3</x:v></x:c><x:c r="C5"><x:f t="shared" si="0"/><x:v>7</x:v></x:c></x:row>
              <x:row r="6"><x:c r="D6"><x:f t="shared" si="0"/><x:v>9</x:v></x:c><x:c r="E6" t="d"><x:v>2024-02-01T00:00:00</x:v></x:c><x:c r="F6" s="1"/></x:row>
            </x:sheetData>
            <x:sheetProtection sheet="true" password="CC1A"/>
            <x:mergeCells count="1"><x:mergeCell ref="C1:D1"/></x:mergeCells>
            </x:worksheet>
            """,
            "xl/worksheets/sheet1.xml": """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>-1.5E-3</v></c><c r="B1"><v>
             42 </v></c></row></sheetData></worksheet>
            """
        ])
    }

    @Test func readsForeignStructure() throws {
        let wb = try XLSXReader().read(Self.foreignWorkbook())
        #expect(wb.sheets.map(\.name) == ["Tổng hợp & chi tiết", "Ẩn"])
        #expect(wb.sheets.map(\.state) == [.visible, .hidden])
        #expect(wb.definedNames == [XLSXDefinedName(name: "_xlnm.Print_Area", refersTo: "'Tổng hợp & chi tiết'!$A$1:$D$5", sheetIndex: 0)])

        let s = wb.sheets[0]
        #expect(s.frozenAt == CellReference("B3"))
        #expect(s.isProtected)
        #expect(s.merges == [CellRange("C1:D1")!])
        #expect(s.columns == [XLSXColumn(0, width: 20.5), XLSXColumn(2...4, isHidden: true)])
        #expect(!s.isColumnHidden(1) && s.isColumnHidden(2) && s.isColumnHidden(4) && !s.isColumnHidden(5))
        #expect(s.rowHeights == [1: 30])

        #expect(s[0, 0] == .string("Hà Nội", .bold))
        #expect(s[0, 1].value == .string("Đà Nẵng"))
        #expect(s[0, 2].value == .string("dòng\r\nmới & ệ"))
        #expect(s[1, 0].value == .string("inline <chuỗi>"))
        #expect(s[1, 1] == .number(1_609_226, .inputInteger))
        #expect(s[1, 2] == .empty)
        #expect(s[1, 3] == .number(97.45, .boldDecimal))
        // Row 3 has no r attributes: positions follow the previous row/cell.
        #expect(s[2, 0].value == .boolean(true))
        #expect(s[2, 1].value == .error("#DIV/0!"))
        #expect(s[2, 2].value == .formula("A2&\"x\"", cached: .empty))
        #expect(s[2, 3].value == .formula("\"a\"&\"b\"", cached: .string("ab")))
        // Shared formula: dependents are the anchor moved by their offset.
        #expect(s[4, 1].value == .formula("A5*2+$A$5+LOG10(A5)+'Ẩn'!A1", cached: .number(3)))
        #expect(s[4, 2].value == .formula("B5*2+$A$5+LOG10(B5)+'Ẩn'!B1", cached: .number(7)))
        #expect(s[5, 3].value == .formula("C6*2+$A$5+LOG10(C6)+'Ẩn'!C2", cached: .number(9)))
        #expect(s[5, 4].value == .string("2024-02-01T00:00:00"))
        #expect(s[5, 5] == .blank(.inputInteger))

        let hidden = wb.sheets[1]
        #expect(hidden[0, 0].value == .number(-0.0015))
        #expect(hidden[0, 1].value == .number(42))
    }

    @Test func formulaShifting() {
        #expect(FormulaShifter.shift("SUM(A1:B2)*$C$3+C$3+$C3", rows: 2, columns: 1) == "SUM(B3:C4)*$C$3+D$3+$C5")
        #expect(
            FormulaShifter.shift("IF(A1=\"A1\",Sheet1!A1,'My Sheet'!A1)", rows: 1, columns: 0) == "IF(A2=\"A1\",Sheet1!A2,'My Sheet'!A2)")
        #expect(FormulaShifter.shift("A1", rows: -1, columns: 0) == "#REF!")
        #expect(FormulaShifter.shift("TRUE+1.5E3+ATAN2(1,2)", rows: 3, columns: 3) == "TRUE+1.5E3+ATAN2(1,2)")
    }

    @Test func notAWorkbook() throws {
        let reader = XLSXReader()
        #expect(throws: OfficeFormatError.notXLSX) { try reader.read(Data("xin chào, đây không phải Excel".utf8)) }
        #expect(throws: OfficeFormatError.notXLSX) { try reader.read(Data()) }
        // An old binary .xls (OLE compound file) header.
        #expect(throws: OfficeFormatError.notXLSX) {
            try reader.read(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 100)))
        }
        // A ZIP that is not a workbook, e.g. a .docx.
        let docx = try DOCXWriter().write(DOCXDocument(body: [.paragraph(DOCXParagraph("x"))]))
        #expect(throws: OfficeFormatError.notXLSX) { try reader.read(docx) }
        #expect(throws: OfficeFormatError.notXLSX) { try reader.read(Self.package(["a.txt": "x"])) }
        #expect(OfficeFormatError.notXLSX.message == "Tệp không phải là tệp Excel (.xlsx) hợp lệ.")
        #expect(OfficeFormatError.notXLSX.localizedDescription == OfficeFormatError.notXLSX.message)
    }

    @Test func damagedParts() throws {
        let truncated = try Self.package([
            "[Content_Types].xml": Self.contentTypes, "_rels/.rels": Self.rootRels,
            "xl/workbook.xml":
                "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"/></sheets></workbook>",
            "xl/_rels/workbook.xml.rels":
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
            "xl/worksheets/sheet1.xml": "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><c r=\""
        ])
        #expect(throws: OfficeFormatError.malformedPart("xl/worksheets/sheet1.xml")) { try XLSXReader().read(truncated) }

        var data = try XLSXWriter().write(Samples.reportWorkbook())
        data.count -= 200 // cut into the central directory
        let error = #expect(throws: OfficeFormatError.self) { try XLSXReader().read(data) }
        #expect(error?.message.hasPrefix("Tệp Excel không hợp lệ: không tìm thấy mục lục ZIP") == true)
    }

    @Test func sheetNamesOnly() throws {
        #expect(try XLSXReader().sheetNames(Self.foreignWorkbook()) == ["Tổng hợp & chi tiết", "Ẩn"])
    }
}
