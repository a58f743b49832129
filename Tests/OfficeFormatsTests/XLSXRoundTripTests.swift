import Foundation
import Testing

@testable import OfficeFormats

@Suite struct XLSXRoundTripTests {
    @Test func reportWorkbookRoundTripsExactly() throws {
        let original = Samples.reportWorkbook()
        let data = try XLSXWriter().write(original)
        let back = try XLSXReader().read(data)

        #expect(back.sheets.map(\.name) == original.sheets.map(\.name))
        for (a, b) in zip(original.sheets, back.sheets) {
            #expect(a.state == b.state)
            #expect(a.rows.count == b.rows.count, "rows of \(a.name)")
            for r in 0..<max(a.rows.count, b.rows.count) {
                for c in 0..<max(a.rows[safe: r]?.count ?? 0, b.rows[safe: r]?.count ?? 0) {
                    #expect(a[r, c] == b[r, c], "\(a.name)!\(CellReference(row: r, column: c))")
                }
            }
            #expect(a.columns == b.columns)
            #expect(a.merges == b.merges)
            #expect(a.frozenAt == b.frozenAt)
            #expect(a.isProtected == b.isProtected)
            #expect(a.rowHeights == b.rowHeights)
            #expect(a.printLandscape == b.printLandscape && a.printFitToWidth == b.printFitToWidth)
        }
        #expect(back.definedNames == original.definedNames)
        #expect(back.properties == original.properties)
        // And with nothing left out: the whole model compares equal.
        #expect(back == original)
    }

    @Test func vietnameseTextKeepsItsExactBytes() throws {
        var sheet = XLSXSheet(name: "Tiếng Việt")
        for s in Samples.trickyStrings { sheet.append([.string(s)]) }
        let back = try XLSXReader().read(XLSXWriter().write(XLSXWorkbook(sheets: [sheet])))
        for (r, s) in Samples.trickyStrings.enumerated() {
            // Swift's == ignores Unicode normalisation; compare bytes so NFD stays NFD.
            #expect(back.sheets[0][r, 0].value.stringValue.map { Array($0.utf8) } == Array(s.utf8), "row \(r): \(s)")
        }
    }

    @Test func controlCharactersSurvive() throws {
        var sheet = XLSXSheet(name: "S")
        let s = "a\u{0B}b\u{01}c\u{1F}d\r\ne\u{FFFF}"
        sheet.append([.string(s), .formula("\"x\"", cached: .string(s))])
        let data = try XLSXWriter().write(XLSXWorkbook(sheets: [sheet]))
        let back = try XLSXReader().read(data)
        #expect(back.sheets[0][0, 0].value == .string(s))
        #expect(back.sheets[0][0, 1].value == .formula("\"x\"", cached: .string(s)))
    }

    @Test func numbersRoundTripBitForBit() throws {
        let values: [Double] = [
            0, 1, -1, 1_609_226, 97.45, 0.1 + 0.2, 1e-7, -123_456_789.123, 9_007_199_254_740_994,
            1e15, 123_456_789_012_345_680, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
            .leastNormalMagnitude, 1.0 / 3.0, 2.5e-300, 0.000123
        ]
        var sheet = XLSXSheet(name: "N")
        for v in values { sheet.append([.number(v, .decimal)]) }
        sheet.append([.number(.nan), .number(.infinity)])
        let back = try XLSXReader().read(XLSXWriter().write(XLSXWorkbook(sheets: [sheet]))).sheets[0]
        for (r, v) in values.enumerated() {
            #expect(
                back[r, 0].value.numberValue?.bitPattern == v.bitPattern || (v == 0 && back[r, 0].value.numberValue == 0),
                "row \(r): \(v)")
        }
        // Non-finite numbers cannot be stored; they become Excel's #NUM! error.
        #expect(back[values.count, 0].value == .error("#NUM!"))
        #expect(back[values.count, 1].value == .error("#NUM!"))
    }

    @Test func everyStyleIsRecognisedAgain() throws {
        var sheet = XLSXSheet(name: "Styles")
        for style in XLSXStyle.allCases { sheet.append([.number(Double(style.rawValue), style), .blank(style)]) }
        let back = try XLSXReader().read(XLSXWriter().write(XLSXWorkbook(sheets: [sheet]))).sheets[0]
        for (r, style) in XLSXStyle.allCases.enumerated() {
            #expect(back[r, 0].style == style)
            #expect(back[r, 1] == .blank(style))
        }
    }

    @Test func onlyInputStylesAreUnlocked() throws {
        let styles = String(decoding: XLSXStyle.stylesXML, as: UTF8.self)
        let unlocked = styles.components(separatedBy: "<protection locked=\"0\"/>").count - 1
        #expect(unlocked == XLSXStyle.allCases.filter(\.isInput).count)
        #expect(XLSXStyle.allCases.filter(\.isInput) == [.input, .inputInteger, .inputDecimal])
    }

    @Test func invalidWorkbooksAreRefusedInVietnamese() throws {
        let writer = XLSXWriter()
        #expect(throws: OfficeFormatError.invalidSheetName("a/b")) { try writer.write(XLSXWorkbook(sheets: [XLSXSheet(name: "a/b")])) }
        #expect(throws: OfficeFormatError.invalidSheetName(String(repeating: "x", count: 32))) {
            try writer.write(XLSXWorkbook(sheets: [XLSXSheet(name: String(repeating: "x", count: 32))]))
        }
        #expect(throws: OfficeFormatError.duplicateSheetName("biểu")) {
            try writer.write(XLSXWorkbook(sheets: [XLSXSheet(name: "Biểu"), XLSXSheet(name: "biểu")]))
        }
        #expect(throws: OfficeFormatError.noVisibleSheet) {
            try writer.write(XLSXWorkbook(sheets: [XLSXSheet(name: "A", state: .hidden)]))
        }
        #expect(OfficeFormatError.invalidSheetName("a/b").message.contains("không hợp lệ"))
    }

    @Test func writeTableMatchesInput() throws {
        let table = Samples.benchTable(rows: 300, columns: 12)
        let data = try XLSXWriter().writeTable(sheetName: "Dữ liệu", header: table.header, rows: table.rows, columnWidths: [10, 30])
        let sheet = try XLSXReader().read(data).sheets[0]
        #expect(sheet.name == "Dữ liệu")
        #expect(sheet.frozenAt == CellReference("A2"))
        #expect(sheet.rows.count == 301)
        #expect(sheet.rows[0].map(\.value) == table.header.map { .string($0) })
        #expect(sheet.rows[0].allSatisfy { $0.style == .header })
        for r in 0..<300 { #expect(sheet.rows[r + 1].map(\.value) == table.rows[r]) }
        #expect(sheet[1, 0].style == .text && sheet[1, 2].style == .integer && sheet[1, 3].style == .decimal)
        #expect(sheet.columnWidth(1) == 30)
    }

    /// The fast path leaves out cell references where cells follow each other;
    /// after a gap the reference must be there, or values would shift left.
    @Test func writeTableKeepsColumnsAcrossGaps() throws {
        let rows: [[XLSXValue]] = [
            [.string("a"), .empty, .number(3), .number(4)],
            [.empty, .empty, .string("c"), .empty],
            [.number(1), .number(2), .empty, .string("d")]
        ]
        let data = try XLSXWriter().writeTable(header: ["A", "B", "C", "D"], rows: rows)
        let sheet = try XLSXReader().read(data).sheets[0]
        #expect(
            sheet[1, 0].value == .string("a") && sheet[1, 1].value == .empty && sheet[1, 2].value == .number(3)
                && sheet[1, 3].value == .number(4))
        #expect(sheet[2, 0].value == .empty && sheet[2, 2].value == .string("c"))
        #expect(sheet[3, 1].value == .number(2) && sheet[3, 2].value == .empty && sheet[3, 3].value == .string("d"))
        let xml = String(
            decoding: try #require(try ZipArchiveReader(data: data, invalidPackage: .notXLSX).read("xl/worksheets/sheet1.xml")),
            as: UTF8.self)
        #expect(xml.contains("<c r=\"C2\"")) // after the gap in row 2
        #expect(!xml.contains("<c r=\"B4\"")) // right after A4
    }

    @Test func storedAndDeflatedAreEquivalent() throws {
        let wb = Samples.reportWorkbook()
        let deflated = try XLSXWriter().write(wb)
        let stored = try XLSXWriter(compression: .store).write(wb)
        #expect(stored.count > deflated.count)
        #expect(try XLSXReader().read(stored) == XLSXReader().read(deflated))
    }

    /// 11,000 × 30 write + read. Prints timings (debug builds are several times slower than release).
    @Test func largeTableRoundTrip() throws {
        let table = Samples.benchTable()
        let clock = ContinuousClock()
        var data = Data()
        let writeTime = try clock.measure {
            data = try XLSXWriter().writeTable(sheetName: "Data", header: table.header, rows: table.rows)
        }
        var workbook = XLSXWorkbook()
        let readTime = try clock.measure { workbook = try XLSXReader().read(data) }
        let sheet = workbook.sheets[0]
        #expect(sheet.rows.count == 11_001)
        var mismatches = 0
        for r in 0..<table.rows.count where sheet.rows[r + 1].map(\.value) != table.rows[r] { mismatches += 1 }
        #expect(mismatches == 0)
        print("[office] 11000x30 writeTable \(writeTime), read \(readTime), \(data.count) bytes")

        var modelSheet = XLSXSheet(name: "Data", rows: [table.header.map { .string($0, .header) }])
        for row in table.rows { modelSheet.append(row.map { XLSXCell($0, style: $0.stringValue != nil ? .text : .decimal) }) }
        let modelTime = try clock.measure { data = try XLSXWriter().write(XLSXWorkbook(sheets: [modelSheet])) }
        let storeTime = try clock.measure { _ = try XLSXWriter(compression: .store).write(XLSXWorkbook(sheets: [modelSheet])) }
        print("[office] 11000x30 model write \(modelTime) (deflate), \(storeTime) (store)")
    }
}
