import Foundation

/// Writes `XLSXWorkbook`s as .xlsx (Office Open XML SpreadsheetML, transitional).
///
/// Output opens without repair prompts in Excel, LibreOffice, openpyxl and
/// calamine: parts are written in schema order, strings go to a shared string
/// table, and text is escaped for XML (including control characters, which use
/// Excel's `_xHHHH_` escape).
public struct XLSXWriter: Sendable {
    /// Deflate makes files ~10× smaller (they are downloaded); `store` skips
    /// compression for local, throw-away files where speed is all that matters.
    public enum Compression: Sendable {
        case deflate
        case store
    }

    public var compression: Compression

    public init(compression: Compression = .deflate) {
        self.compression = compression
    }

    public func write(_ workbook: XLSXWorkbook) throws -> Data {
        try validate(workbook)
        var strings = SharedStringTable()
        let active = workbook.sheets.firstIndex { $0.state == .visible } ?? 0
        var parts: [XMLBuffer] = []
        for (index, sheet) in workbook.sheets.enumerated() {
            let columnCount = sheet.columnCount
            var writer = SheetXMLWriter(estimatedCells: sheet.rows.count * max(columnCount, 1))
            writer.begin(sheet, rowCount: sheet.rows.count, columnCount: columnCount, isActive: index == active)
            let heights = sheet.rowHeights
            for (r, row) in sheet.rows.enumerated() {
                writer.row(r, row, height: heights.isEmpty ? nil : heights[r], strings: &strings)
            }
            writer.trailingRowHeights(heights, after: sheet.rows.count)
            writer.end(sheet)
            parts.append(writer.xml)
        }
        let needsRecalculation = workbook.sheets.contains { sheet in
            sheet.rows.contains { row in
                row.contains {
                    if case .formula(_, .empty) = $0.value { return true }; return false
                }
            }
        }
        return try package(
            workbook, sheetParts: parts, strings: strings, activeSheet: active,
            recalculateOnOpen: needsRecalculation)
    }

    public func write(_ workbook: XLSXWorkbook, to url: URL) throws {
        let data = try write(workbook)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw OfficeFormatError.writeFailed("\(url.path): \(error.localizedDescription)")
        }
    }

    /// The fast path for big flat tables (exports of 10,000+ rows): one sheet,
    /// a bold header row frozen at the top, and the values written straight to
    /// XML without building `XLSXCell`s.
    ///
    /// `columnStyles[i]` styles column i; where absent, strings get `.text`,
    /// whole numbers `.integer` and other numbers `.decimal`.
    public func writeTable(
        sheetName: String = "Sheet1", header: [String], rows: [[XLSXValue]],
        columnStyles: [XLSXStyle] = [], columnWidths: [Double] = [],
        properties: OfficeDocumentProperties = OfficeDocumentProperties()
    ) throws -> Data {
        let columnCount = max(header.count, rows.reduce(0) { max($0, $1.count) })
        var sheet = XLSXSheet(name: sheetName)
        sheet.frozenAt = header.isEmpty ? nil : CellReference(row: 1, column: 0)
        sheet.columns = columnWidths.enumerated().map { XLSXColumn($0.offset, width: $0.element) }
        let workbook = XLSXWorkbook(sheets: [sheet], properties: properties)
        try validate(workbook)

        var strings = SharedStringTable()
        var writer = SheetXMLWriter(estimatedCells: (rows.count + 1) * max(columnCount, 1))
        let headerOffset = header.isEmpty ? 0 : 1
        writer.begin(sheet, rowCount: rows.count + headerOffset, columnCount: columnCount, isActive: true)
        if !header.isEmpty {
            writer.row(0, header.map { XLSXCell.string($0, .header) }, height: nil, strings: &strings)
        }
        let styles = columnStyles
        let pick: (Int, XLSXValue) -> XLSXStyle = { column, value in
            if column < styles.count { return styles[column] }
            switch value {
            case .number(let v): return v.rounded(.towardZero) == v ? .integer : .decimal
            default: return .text
            }
        }
        for (r, values) in rows.enumerated() {
            writer.row(r + headerOffset, values: values, styles: pick, strings: &strings)
        }
        writer.end(sheet)
        return try package(workbook, sheetParts: [writer.xml], strings: strings, activeSheet: 0, recalculateOnOpen: false)
    }

    // MARK: Validation

    /// Excel refuses (or "repairs") these, so they are errors here rather than broken files later.
    func validate(_ workbook: XLSXWorkbook) throws {
        var seen = Set<String>()
        for sheet in workbook.sheets {
            let name = sheet.name
            let forbidden: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]
            if name.isEmpty || name.count > 31 || name.contains(where: { forbidden.contains($0) })
                || name.hasPrefix("'") || name.hasSuffix("'") || name.unicodeScalars.contains(where: { $0.value < 32 })
            {
                throw OfficeFormatError.invalidSheetName(name)
            }
            guard seen.insert(name.lowercased()).inserted else { throw OfficeFormatError.duplicateSheetName(name) }
        }
        guard workbook.sheets.contains(where: { $0.state == .visible }) else { throw OfficeFormatError.noVisibleSheet }
    }

    // MARK: Package

    private func package(
        _ workbook: XLSXWorkbook, sheetParts: [XMLBuffer], strings: SharedStringTable,
        activeSheet: Int, recalculateOnOpen: Bool
    ) throws -> Data {
        let now = Date()
        let zip = try ZipArchiveBuilder(modificationDate: now)
        let method: ZipArchiveBuilder.Compression = compression == .deflate ? .deflate : .store
        let docProps = workbook.properties.packageEntries

        var overrides = [
            OPC.Override(part: "xl/workbook.xml", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
        ]
        for i in sheetParts.indices {
            overrides.append(
                OPC.Override(
                    part: "xl/worksheets/sheet\(i + 1).xml",
                    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"))
        }
        overrides.append(
            OPC.Override(part: "xl/styles.xml", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"))
        overrides.append(
            OPC.Override(
                part: "xl/sharedStrings.xml", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"))
        overrides += docProps.overrides
        try zip.add("[Content_Types].xml", OPC.contentTypes(overrides))
        try zip.add(
            "_rels/.rels",
            OPC.relationships(
                [OPC.Relationship(id: "rId1", type: "officeDocument", target: "xl/workbook.xml")] + docProps.relationships))
        try workbook.properties.write(to: zip, now: now)

        var rels: [OPC.Relationship] = sheetParts.indices.map {
            OPC.Relationship(id: "rId\($0 + 1)", type: "worksheet", target: "worksheets/sheet\($0 + 1).xml")
        }
        rels.append(OPC.Relationship(id: "rId\(sheetParts.count + 1)", type: "styles", target: "styles.xml"))
        rels.append(OPC.Relationship(id: "rId\(sheetParts.count + 2)", type: "sharedStrings", target: "sharedStrings.xml"))
        try zip.add("xl/_rels/workbook.xml.rels", OPC.relationships(rels))
        try zip.add("xl/workbook.xml", workbookXML(workbook, activeSheet: activeSheet, recalculateOnOpen: recalculateOnOpen))
        try zip.add("xl/styles.xml", XLSXStyle.stylesXML)
        try zip.add("xl/sharedStrings.xml", strings.part(), compression: method)
        for (i, part) in sheetParts.enumerated() {
            try zip.add("xl/worksheets/sheet\(i + 1).xml", part, compression: method)
        }
        return try zip.finish()
    }

    private func workbookXML(_ workbook: XLSXWorkbook, activeSheet: Int, recalculateOnOpen: Bool) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw(
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        )
        x.raw("<workbookPr/><bookViews><workbookView activeTab=\""); x.int(activeSheet); x.raw("\"/></bookViews><sheets>")
        for (i, sheet) in workbook.sheets.enumerated() {
            x.raw("<sheet name=\""); x.attribute(sheet.name); x.raw("\" sheetId=\""); x.int(i + 1); x.raw("\"")
            if sheet.state != .visible { x.raw(" state=\""); x.raw(sheet.state.rawValue); x.raw("\"") }
            x.raw(" r:id=\"rId"); x.int(i + 1); x.raw("\"/>")
        }
        x.raw("</sheets>")
        if !workbook.definedNames.isEmpty {
            x.raw("<definedNames>")
            for name in workbook.definedNames {
                x.raw("<definedName name=\""); x.attribute(name.name); x.raw("\"")
                if let local = name.sheetIndex { x.raw(" localSheetId=\""); x.int(local); x.raw("\"") }
                if name.isHidden { x.raw(" hidden=\"1\"") }
                x.raw(">")
                x.text(name.refersTo.hasPrefix("=") ? String(name.refersTo.dropFirst()) : name.refersTo)
                x.raw("</definedName>")
            }
            x.raw("</definedNames>")
        }
        x.raw(recalculateOnOpen ? "<calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/>" : "<calcPr calcId=\"191029\"/>")
        x.raw("</workbook>")
        return x
    }
}
