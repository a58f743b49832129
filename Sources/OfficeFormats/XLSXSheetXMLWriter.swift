/// Collects the workbook's distinct strings. Excel itself always writes a
/// shared string table; repeated labels (units, "Tổng số") are stored once.
struct SharedStringTable {
    private var indexes: [String: Int] = [:]
    private(set) var xml = XMLBuffer(capacity: 64 * 1024)
    private(set) var uniqueCount = 0
    private(set) var referenceCount = 0

    mutating func index(of s: String) -> Int {
        referenceCount += 1
        if let i = indexes[s] { return i }
        let i = uniqueCount
        indexes[s] = i
        uniqueCount += 1
        xml.raw(SharedStringTable.needsPreserve(s) ? "<si><t xml:space=\"preserve\">" : "<si><t>")
        xml.text(s)
        xml.raw("</t></si>")
        return i
    }

    /// Leading/trailing whitespace or line breaks would otherwise be trimmed by some readers.
    static func needsPreserve(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last else { return false }
        return XMLScanner.isSpace(first) || XMLScanner.isSpace(last) || s.utf8.contains(10)
    }

    func part() -> XMLBuffer {
        var x = XMLBuffer(capacity: xml.bytes.count + 256)
        x.raw(XMLBuffer.declaration)
        x.raw("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"")
        x.int(referenceCount); x.raw("\" uniqueCount=\""); x.int(uniqueCount); x.raw("\">")
        x.raw(xml.bytes)
        x.raw("</sst>")
        return x
    }
}

/// Emits one worksheet part. Everything goes into a single preallocated byte
/// buffer; column letters are precomputed, so a cell costs a few appends.
struct SheetXMLWriter {
    private(set) var xml: XMLBuffer
    private var columnNames: [[UInt8]] = []
    private var styleAttributes: [[UInt8]]

    init(estimatedCells: Int) {
        xml = XMLBuffer(capacity: max(4096, estimatedCells * 40))
        styleAttributes = XLSXStyle.allCases.map { style in
            var b = XMLBuffer(capacity: 16)
            if style != .plain { b.raw(" s=\""); b.int(Int(style.rawValue)); b.raw("\"") }
            return b.bytes
        }
    }

    private mutating func columnName(_ c: Int) -> [UInt8] {
        while columnNames.count <= c { columnNames.append(CellReference.columnNameBytes(columnNames.count)) }
        return columnNames[c]
    }

    /// Everything before the cells.
    mutating func begin(_ sheet: XLSXSheet, rowCount: Int, columnCount: Int, isActive: Bool) {
        xml.raw(XMLBuffer.declaration)
        xml.raw(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        )
        if sheet.printFitToWidth { xml.raw("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>") }
        xml.raw("<dimension ref=\"A1")
        if rowCount > 1 || columnCount > 1 {
            xml.raw(":"); xml.raw(columnName(max(columnCount, 1) - 1)); xml.int(max(rowCount, 1))
        }
        xml.raw("\"/><sheetViews><sheetView")
        if isActive { xml.raw(" tabSelected=\"1\"") }
        xml.raw(" workbookViewId=\"0\"")
        if let freeze = sheet.frozenAt, freeze.row > 0 || freeze.column > 0 {
            let pane: StaticString = freeze.row > 0 && freeze.column > 0 ? "bottomRight" : (freeze.row > 0 ? "bottomLeft" : "topRight")
            xml.raw("><pane")
            if freeze.column > 0 { xml.raw(" xSplit=\""); xml.int(freeze.column); xml.raw("\"") }
            if freeze.row > 0 { xml.raw(" ySplit=\""); xml.int(freeze.row); xml.raw("\"") }
            xml.raw(" topLeftCell=\""); xml.raw(freeze.a1); xml.raw("\" activePane=\""); xml.raw(pane)
            xml.raw("\" state=\"frozen\"/><selection pane=\""); xml.raw(pane)
            xml.raw("\" activeCell=\""); xml.raw(freeze.a1); xml.raw("\" sqref=\""); xml.raw(freeze.a1); xml.raw("\"/></sheetView>")
        } else {
            xml.raw("/>")
        }
        xml.raw("</sheetViews><sheetFormatPr defaultRowHeight=\"15.75\"/>")
        writeColumns(sheet.columns)
        xml.raw("<sheetData>")
    }

    /// `<cols>` needs sorted, non-overlapping runs; later entries in the model win.
    private mutating func writeColumns(_ columns: [XLSXColumn]) {
        guard !columns.isEmpty else { return }
        var settings: [Int: (width: Double?, hidden: Bool)] = [:]
        for col in columns {
            for c in col.columns where c >= 0 && c < CellReference.maxColumns {
                let old = settings[c]
                settings[c] = (col.width ?? old?.width, col.isHidden)
            }
        }
        let sorted = settings.keys.sorted()
        xml.raw("<cols>")
        var i = 0
        while i < sorted.count {
            var j = i
            let s = settings[sorted[i]]!
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1,
                let t = settings[sorted[j + 1]], t.width == s.width, t.hidden == s.hidden
            { j += 1 }
            xml.raw("<col min=\""); xml.int(sorted[i] + 1); xml.raw("\" max=\""); xml.int(sorted[j] + 1)
            // Excel requires a width attribute; 8.43 is its default column width.
            xml.raw("\" width=\""); xml.number(s.width ?? 8.43); xml.raw("\"")
            if s.width != nil { xml.raw(" customWidth=\"1\"") }
            if s.hidden { xml.raw(" hidden=\"1\"") }
            xml.raw("/>")
            i = j + 1
        }
        xml.raw("</cols>")
    }

    @inline(__always) private mutating func beginRow(_ row: Int, height: Double?) {
        xml.raw("<row r=\""); xml.int(row + 1); xml.byte(34)
        if let height { xml.raw(" ht=\""); xml.number(height); xml.raw("\" customHeight=\"1\"") }
        xml.byte(62)
    }

    /// Writes a row of model cells; unstyled empty cells are skipped.
    mutating func row<C: Collection>(_ row: Int, _ cells: C, height: Double?, strings: inout SharedStringTable)
    where C.Element == XLSXCell {
        var opened = false
        var column = 0
        for cell in cells {
            defer { column += 1 }
            if case .empty = cell.value, cell.style == .plain { continue }
            if !opened { beginRow(row, height: height); opened = true }
            self.cell(row, column, cell.value, cell.style, strings: &strings)
        }
        if opened {
            xml.raw("</row>")
        } else if let height {
            beginRow(row, height: height)
            xml.raw("</row>")
        }
    }

    /// Writes a row of bare values with one style per column (the table fast path).
    mutating func row(_ row: Int, values: [XLSXValue], styles: (Int, XLSXValue) -> XLSXStyle, strings: inout SharedStringTable) {
        beginRow(row, height: nil)
        // A cell right after the previous one needs no reference (`r` is
        // optional in SpreadsheetML and readers count columns): a quarter less
        // XML for big tables, so a quarter less to deflate. After a gap it is kept.
        var next = 0
        for (column, value) in values.enumerated() {
            if case .empty = value { continue }
            cell(row, column, value, styles(column, value), strings: &strings, reference: column != next)
            next = column + 1
        }
        xml.raw("</row>")
    }

    @inline(__always) private mutating func cell(
        _ row: Int, _ column: Int, _ value: XLSXValue, _ style: XLSXStyle,
        strings: inout SharedStringTable, reference: Bool = true
    ) {
        if reference {
            xml.raw("<c r=\"")
            xml.raw(columnName(column))
            xml.int(row + 1)
            xml.byte(34)
        } else {
            xml.raw("<c")
        }
        xml.raw(styleAttributes[Int(style.rawValue)])
        switch value {
        case .empty:
            xml.raw("/>")
        case .number(let v):
            if v.isFinite {
                xml.raw("><v>"); xml.number(v); xml.raw("</v></c>")
            } else {
                xml.raw(" t=\"e\"><v>#NUM!</v></c>")
            }
        case .string(let s):
            xml.raw(" t=\"s\"><v>"); xml.int(strings.index(of: s)); xml.raw("</v></c>")
        case .boolean(let b):
            xml.raw(b ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
        case .error(let e):
            xml.raw(" t=\"e\"><v>"); xml.text(e); xml.raw("</v></c>")
        case .formula(let formula, let cached):
            let text = formula.hasPrefix("=") ? String(formula.dropFirst()) : formula
            switch cached.resolved {
            case .string: xml.raw(" t=\"str\"")
            case .boolean: xml.raw(" t=\"b\"")
            case .error: xml.raw(" t=\"e\"")
            case .number(let v) where !v.isFinite: xml.raw(" t=\"e\"")
            default: break
            }
            xml.raw("><f>"); xml.text(text); xml.raw("</f>")
            switch cached.resolved {
            case .string(let s): xml.raw("<v>"); xml.text(s); xml.raw("</v>")
            case .boolean(let b): xml.raw(b ? "<v>1</v>" : "<v>0</v>")
            case .error(let e): xml.raw("<v>"); xml.text(e); xml.raw("</v>")
            case .number(let v): if v.isFinite { xml.raw("<v>"); xml.number(v); xml.raw("</v>") } else { xml.raw("<v>#NUM!</v>") }
            case .empty, .formula: break
            }
            xml.raw("</c>")
        }
    }

    /// Heights for rows after the last data row.
    mutating func trailingRowHeights(_ heights: [Int: Double], after lastRow: Int) {
        for r in heights.keys.sorted() where r >= lastRow {
            beginRow(r, height: heights[r])
            xml.raw("</row>")
        }
    }

    /// Everything after the cells. Element order is fixed by the schema and Excel enforces it.
    mutating func end(_ sheet: XLSXSheet) {
        xml.raw("</sheetData>")
        if sheet.isProtected {
            // No password: protection here guards against accidental edits of computed cells.
            xml.raw("<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\" formatColumns=\"0\" formatRows=\"0\"/>")
        }
        if !sheet.merges.isEmpty {
            xml.raw("<mergeCells count=\""); xml.int(sheet.merges.count); xml.raw("\">")
            for m in sheet.merges {
                xml.raw("<mergeCell ref=\""); xml.raw(m.start.a1); xml.raw(":"); xml.raw(m.end.a1); xml.raw("\"/>")
            }
            xml.raw("</mergeCells>")
        }
        xml.raw("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>")
        xml.raw("<pageSetup paperSize=\"9\"")
        if sheet.printLandscape { xml.raw(" orientation=\"landscape\"") }
        if sheet.printFitToWidth { xml.raw(" fitToWidth=\"1\" fitToHeight=\"0\"") }
        xml.raw("/></worksheet>")
    }
}
