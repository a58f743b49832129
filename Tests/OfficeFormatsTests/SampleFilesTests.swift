import Foundation
import Testing

@testable import OfficeFormats

/// Bridges to Scripts/office/check.sh. With OFFICE_SAMPLES_DIR set, writes
/// sample files plus JSON describing what they must contain, for the Python
/// verifiers and LibreOffice. With OFFICE_FOREIGN_DIR set, reads the files
/// other producers made from them (LibreOffice and openpyxl re-saves,
/// XlsxWriter's table) and checks we read the same values back.
@Suite struct SampleFilesTests {
    static var samplesDirectory: URL? {
        ProcessInfo.processInfo.environment["OFFICE_SAMPLES_DIR"].map { URL(fileURLWithPath: $0, isDirectory: true) }
    }
    static var foreignDirectory: URL? {
        ProcessInfo.processInfo.environment["OFFICE_FOREIGN_DIR"].map { URL(fileURLWithPath: $0, isDirectory: true) }
    }

    @Test(.enabled(if: samplesDirectory != nil)) func writeSamples() throws {
        let dir = try #require(Self.samplesDirectory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)

        let workbook = Samples.reportWorkbook()
        try XLSXWriter().write(workbook, to: dir.appendingPathComponent("report.xlsx"))
        try writeJSON(Self.expectation(for: workbook), to: dir.appendingPathComponent("report.expected.json"))

        let table = Samples.benchTable()
        try XLSXWriter().writeTable(sheetName: "Data", header: table.header, rows: table.rows)
            .write(to: dir.appendingPathComponent("table.xlsx"))
        try writeJSON(
            ["generator": "bench", "rows": table.rows.count, "columns": table.header.count, "sheet": "Data"],
            to: dir.appendingPathComponent("table.expected.json"))

        let document = Samples.reportDocument()
        try DOCXWriter().write(document, to: dir.appendingPathComponent("report.docx"))
        try writeJSON(Self.expectation(for: document), to: dir.appendingPathComponent("report.docx.expected.json"))
    }

    @Test(.enabled(if: foreignDirectory != nil)) func readForeignProducersOutput() throws {
        let dir = try #require(Self.foreignDirectory)
        let expected = Samples.reportWorkbook()
        var checked = 0
        for name in ["libreoffice-report.xlsx", "openpyxl-report.xlsx"] {
            let url = dir.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            checked += 1
            let wb = try XLSXReader().read(contentsOf: url)
            // LibreOffice's own changes (see verify_xlsx.py --from-libreoffice).
            let libreOffice = name.hasPrefix("libreoffice")
            #expect(wb.sheets.map(\.name) == expected.sheets.map(\.name), "\(name)")
            #expect(
                wb.sheets.map(\.state) == expected.sheets.map { libreOffice && $0.state == .veryHidden ? .hidden : $0.state }, "\(name)")
            for (a, b) in zip(expected.sheets, wb.sheets) {
                for r in 0..<a.rows.count {
                    for c in 0..<a.rows[r].count {
                        let want = a[r, c], got = b[r, c]
                        // Producers keep values and cached results; formula text may be re-spelled.
                        let where_ = "\(name) \(a.name)!\(CellReference(row: r, column: c))"
                        #expect(Self.equivalent(want.value, got.value, producer: name), "\(where_): \(want.value) vs \(got.value)")
                        if case .formula = want.value, case .formula = got.value {
                        } else if case .formula = want.value {
                            Issue.record("\(name) \(a.name)!\(CellReference(row: r, column: c)): formula lost")
                        }
                        #expect(want.style.isInput == got.style.isInput, "\(name) \(a.name)!\(CellReference(row: r, column: c)) input")
                        #expect(want.style == got.style, "\(name) \(a.name)!\(CellReference(row: r, column: c)) style")
                    }
                }
                #expect(a.merges.sorted { $0.a1 < $1.a1 } == b.merges.sorted { $0.a1 < $1.a1 }, "\(name) merges")
                if !libreOffice { #expect(a.frozenAt == b.frozenAt, "\(name) freeze") } // headless LibreOffice has no view to keep
                #expect(a.isProtected == b.isProtected, "\(name) protection")
                for c in 0..<8 { #expect(a.isColumnHidden(c) == b.isColumnHidden(c), "\(name) hidden column \(c)") }
            }
            #expect(wb.properties.custom == expected.properties.custom, "\(name) custom properties")
            #expect(wb.definedName("BaoCao_MaBieu")?.refersTo == "\"BM01\"", "\(name) defined name")
        }
        let tableURL = dir.appendingPathComponent("xlsxwriter-table.xlsx")
        if FileManager.default.fileExists(atPath: tableURL.path) {
            checked += 1
            let sheet = try XLSXReader().read(contentsOf: tableURL).sheets[0]
            let table = Samples.benchTable()
            #expect(sheet.rows.count == table.rows.count + 1)
            #expect(sheet.rows[0].map(\.value) == table.header.map { .string($0) })
            var mismatches = 0
            for (r, row) in table.rows.enumerated() where sheet.rows[r + 1].map(\.value) != row { mismatches += 1 }
            #expect(mismatches == 0, "xlsxwriter table rows differing: \(mismatches)")
        }
        let docURL = dir.appendingPathComponent("libreoffice-report.docx")
        if FileManager.default.fileExists(atPath: docURL.path) {
            checked += 1
            let content = try DOCXReader().read(contentsOf: docURL)
            let ours = try DOCXReader().read(DOCXWriter().write(Samples.reportDocument()))
            #expect(content.paragraphs.filter { !$0.isEmpty } == ours.paragraphs.filter { !$0.isEmpty })
            #expect(content.tables == ours.tables)
        }
        #expect(checked > 0, "no foreign files found in \(dir.path)")
    }

    /// Equal values, allowing for what each producer changes on re-save:
    /// LibreOffice keeps 15 significant digits and drops empty strings;
    /// openpyxl also drops formulas' cached results (it cannot calculate) and
    /// writes a literal "_x0041_" unescaped (so it reads back as "A");
    /// LibreOffice stores TRUE and #DIV/0! constants as formulas.
    static func equivalent(_ want: XLSXValue, _ got: XLSXValue, producer: String) -> Bool {
        if want == got { return true }
        if producer.hasPrefix("libreoffice"), case .formula(_, let cached) = got {
            if case .formula = want {} else { return equivalent(want, cached, producer: producer) }
        }
        if case .formula(let f, let cached) = want {
            if case .formula(let g, let gotCached) = got {
                if producer.hasPrefix("openpyxl"), gotCached == .empty, f == g { return true }
                return equivalent(cached, gotCached, producer: producer)
            }
            return false
        }
        switch (want, got) {
        case (.number(let x), .number(let y)):
            return abs(x - y) <= abs(x) * 1e-14
        case (.string(""), .empty):
            return true
        case (.string(let x), .string):
            return producer.hasPrefix("openpyxl") && x.contains("_x0041_")
        default:
            return false
        }
    }

    private func writeJSON(_ object: Any, to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url)
    }

    private static func jsonValue(_ v: XLSXValue) -> [String: Any] {
        switch v {
        case .empty: return ["t": "empty"]
        case .string(let s): return ["t": "s", "v": s]
        case .number(let n): return n.isFinite ? ["t": "n", "v": n] : ["t": "e", "v": "#NUM!"]
        case .boolean(let b): return ["t": "b", "v": b]
        case .error(let e): return ["t": "e", "v": e]
        case .formula(let f, let cached):
            var out = jsonValue(cached.resolved)
            out["f"] = f
            return out
        }
    }

    private static let numberFormats: [XLSXStyle: String] = [
        .integer: "#,##0", .boldInteger: "#,##0", .inputInteger: "#,##0",
        .decimal: "#,##0.00", .boldDecimal: "#,##0.00", .inputDecimal: "#,##0.00", .percent: "0.00"
    ]

    /// What a reader must find in the workbook (see Scripts/office/verify_xlsx.py).
    static func expectation(for workbook: XLSXWorkbook) -> [String: Any] {
        var sheets: [[String: Any]] = []
        for sheet in workbook.sheets {
            var cells: [String: Any] = [:]
            var formats: [String: String] = [:]
            var unlocked: [String] = []
            var bold: [String] = []
            for (r, row) in sheet.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    let ref = CellReference(row: r, column: c).a1
                    if !cell.value.isEmpty { cells[ref] = jsonValue(cell.value) }
                    if let f = numberFormats[cell.style] { formats[ref] = f }
                    if cell.style.isInput { unlocked.append(ref) }
                    if [.bold, .title, .header, .boldText, .boldInteger, .boldDecimal].contains(cell.style) { bold.append(ref) }
                }
            }
            sheets.append([
                "name": sheet.name, "state": sheet.state.rawValue, "cells": cells,
                "number_formats": formats, "unlocked": unlocked.sorted(), "bold": bold.sorted(),
                "hidden_columns": (0..<max(sheet.columnCount, 1)).filter(sheet.isColumnHidden).map(CellReference.columnName),
                "column_widths": Dictionary(
                    uniqueKeysWithValues: (0..<sheet.columnCount).compactMap { c in
                        sheet.columnWidth(c).map { (CellReference.columnName(c), $0) }
                    }),
                "merged": sheet.merges.map(\.a1).sorted(),
                "freeze": sheet.frozenAt?.a1 ?? NSNull(),
                "protected": sheet.isProtected
            ])
        }
        return [
            "sheets": sheets,
            "defined_names": Dictionary(uniqueKeysWithValues: workbook.definedNames.map { ($0.name, $0.refersTo) }),
            "custom_properties": workbook.properties.custom,
            "title": workbook.properties.title ?? NSNull()
        ]
    }

    /// What python-docx must find in the document (see Scripts/office/verify_docx.py).
    static func expectation(for document: DOCXDocument) -> [String: Any] {
        var paragraphs: [String] = []
        var tables: [[[String]]] = []
        for block in document.body {
            switch block {
            case .paragraph(let p): paragraphs.append(p.text)
            case .table(let t): tables.append(t.rows.map { $0.cells.map(\.text) })
            case .pageBreak: paragraphs.append("")
            }
        }
        let page = document.page
        return [
            "paragraphs": paragraphs, "tables": tables,
            "page_width_mm": Double(page.landscape ? page.height : page.width) * 25.4 / 1440,
            "page_height_mm": Double(page.landscape ? page.width : page.height) * 25.4 / 1440,
            "margins_mm": ["top": page.marginTop, "bottom": page.marginBottom, "left": page.marginLeft, "right": page.marginRight],
            "font": document.fontName, "font_size_pt": Double(document.fontSize) / 2,
            "different_first_page": page.differentFirstPage,
            "page_numbers": page.pageNumbers == .header ? "header" : (page.pageNumbers == .footer ? "footer" : "none")
        ]
    }
}
