import Foundation

/// Scans one worksheet part into an `XLSXSheet`.
///
/// This is the hot path of reading: a 11,000 × 30 sheet is ~15 MB of XML.
/// Cells are matched by local name with byte comparisons, numbers and shared
/// string indexes are parsed straight from the bytes, and Strings are only
/// made for text values.
enum XLSXSheetReader {
    /// Row and column numbers beyond Excel's sheet (1,048,576 × XFD) are refused, as are
    /// cell slots beyond `cellBudget` (which counts down over the workbook's sheets).
    static func read(
        _ bytes: [UInt8], part: String, into sheet: inout XLSXSheet,
        strings: [String], styles: [XLSXStyle], context: OfficeReadContext, cellBudget: inout Int
    ) throws {
        let sheetName = sheet.name
        try OPC.scan(bytes, part: part, context) { s in
            var state = State(strings: strings, styles: styles, context: context, sheetName: sheetName, cellBudget: cellBudget)
            while let tag = s.nextTag() {
                if tag.kind == .close {
                    if s.isNamed(tag, "row") { try state.flushRow() }
                    continue
                }
                let length = tag.nameEnd - tag.nameStart
                let first = s.bytes[tag.nameStart]
                if length == 1, first == 99 { // c
                    try state.cell(tag, &s)
                } else if length == 3, first == 114, s.isNamed(tag, "row") {
                    try state.beginRow(tag, s)
                    if tag.kind == .empty { try state.flushRow() }
                } else if s.isNamed(tag, "col") {
                    guard let lo = s.intAttribute(tag, "min"), let hi = s.intAttribute(tag, "max"), lo >= 1, hi >= lo else { continue }
                    guard lo <= CellReference.maxColumns else {
                        throw context.invalid(
                            "trang \"\(sheetName)\" khai báo cột số \(ViFormat.grouped(lo)), "
                                + "vượt quá cột cuối cùng XFD (\(ViFormat.grouped(CellReference.maxColumns)))")
                    }
                    let custom = s.boolAttribute(tag, "customWidth", default: false)
                    let width = custom ? s.doubleAttribute(tag, "width") : nil
                    let hidden = s.boolAttribute(tag, "hidden", default: false)
                    if width != nil || hidden {
                        sheet.columns.append(XLSXColumn((lo - 1)...(min(hi, CellReference.maxColumns) - 1), width: width, isHidden: hidden))
                    }
                } else if s.isNamed(tag, "dimension") {
                    if let ref = s.attribute(tag, "ref"), let range = CellRange(ref), range.end.row < 2_000_000 {
                        state.rows.reserveCapacity(range.end.row + 1)
                        state.expectedColumns = range.end.column + 1
                    }
                } else if s.isNamed(tag, "pane") {
                    let frozen = s.attribute(tag, "state")
                    if frozen == "frozen" || frozen == "frozenSplit" {
                        let x = Self.split(s.doubleAttribute(tag, "xSplit"), max: CellReference.maxColumns - 1)
                        let y = Self.split(s.doubleAttribute(tag, "ySplit"), max: CellReference.maxRows - 1)
                        if x > 0 || y > 0 { sheet.frozenAt = CellReference(row: y, column: x) }
                    }
                } else if s.isNamed(tag, "sheetProtection") {
                    sheet.isProtected = s.boolAttribute(tag, "sheet", default: false)
                } else if s.isNamed(tag, "mergeCell") {
                    if let ref = s.attribute(tag, "ref"), let range = CellRange(ref) { sheet.merges.append(range) }
                } else if s.isNamed(tag, "pageSetUpPr") {
                    sheet.printFitToWidth = s.boolAttribute(tag, "fitToPage", default: false)
                } else if s.isNamed(tag, "pageSetup") {
                    sheet.printLandscape = s.attribute(tag, "orientation") == "landscape"
                }
            }
            try state.flushRow()
            sheet.rows = state.rows
            sheet.rowHeights = state.heights
            cellBudget = state.cellBudget
        }
    }

    /// A pane split (a count of rows or columns, stored as a double) as a bounded index.
    private static func split(_ value: Double?, max: Int) -> Int {
        guard let value, value.isFinite, value > 0 else { return 0 }
        return value >= Double(max) ? max : Int(value)
    }

    private struct State {
        let strings: [String]
        let styles: [XLSXStyle]
        var rows: [[XLSXCell]] = []
        var heights: [Int: Double] = [:]
        var expectedColumns = 0
        var rowIndex = -1
        var rowCells: [XLSXCell] = []
        var nextColumn = 0
        var lastRowIndex = -1
        /// Shared formulas: si → (text, anchor row, anchor column).
        var sharedFormulas: [Int: (String, Int, Int)] = [:]
        let context: OfficeReadContext
        let sheetName: String
        /// Cell slots still allowed (over the whole workbook).
        var cellBudget: Int

        init(strings: [String], styles: [XLSXStyle], context: OfficeReadContext, sheetName: String, cellBudget: Int) {
            self.strings = strings
            self.styles = styles
            self.context = context
            self.sheetName = sheetName
            self.cellBudget = cellBudget
        }

        /// The refusal for a row or column past the sheet's edge; `text` is what the file said.
        private func outOfSheet(_ text: String) -> OfficeFormatError {
            let shown = text.count > 24 ? String(text.prefix(24)) + "…" : text
            return context.invalid(
                "trang \"\(sheetName)\" có ô \"\(shown)\" nằm ngoài bảng tính "
                    + "(tối đa \(ViFormat.grouped(CellReference.maxRows)) dòng và cột XFD)")
        }

        mutating func beginRow(_ tag: XMLScanner.Tag, _ s: XMLScanner) throws {
            try flushRow()
            if let r = s.attributeRange(tag, "r") {
                // A number beyond Int, or past the last row, is refused rather than guessed.
                guard let number = s.parseInt(r), number <= CellReference.maxRows else {
                    throw outOfSheet("dòng " + s.string(r.lowerBound..<min(r.upperBound, r.lowerBound + 30)))
                }
                rowIndex = number >= 1 ? number - 1 : lastRowIndex + 1
            } else {
                rowIndex = lastRowIndex + 1
            }
            guard rowIndex < CellReference.maxRows else { throw outOfSheet("dòng \(rowIndex + 1)") }
            nextColumn = 0
            if s.boolAttribute(tag, "customHeight", default: false), let ht = s.doubleAttribute(tag, "ht") {
                heights[rowIndex] = ht
            }
            rowCells.reserveCapacity(expectedColumns)
        }

        mutating func flushRow() throws {
            guard rowIndex >= 0 else { return }
            lastRowIndex = rowIndex
            if !rowCells.isEmpty {
                // Slots, not values: a lone cell in column XFD costs 16,384.
                let added = rowIndex < rows.count ? max(0, rowCells.count - rows[rowIndex].count) : rowCells.count
                cellBudget -= added
                guard cellBudget >= 0 else { throw context.exceeded(.cellCount(limit: context.limits.maxCells)) }
                if rows.count <= rowIndex {
                    rows.append(contentsOf: repeatElement([], count: rowIndex - rows.count + 1))
                }
                if rows[rowIndex].isEmpty {
                    rows[rowIndex] = rowCells
                } else {
                    // The same row appearing twice: merge cell by cell.
                    for (c, cell) in rowCells.enumerated() where !(cell.value.isEmpty && cell.style == .plain) {
                        if c >= rows[rowIndex].count {
                            rows[rowIndex].append(contentsOf: repeatElement(.empty, count: c - rows[rowIndex].count + 1))
                        }
                        rows[rowIndex][c] = cell
                    }
                }
            }
            rowCells = []
            rowIndex = -1
        }

        mutating func cell(_ tag: XMLScanner.Tag, _ s: inout XMLScanner) throws {
            var row = rowIndex
            var column = nextColumn
            if let r = s.attributeRange(tag, "r") {
                guard let ref = CellReference.parse(s.bytes, r.lowerBound, r.upperBound) else {
                    throw outOfSheet(s.string(r.lowerBound..<min(r.upperBound, r.lowerBound + 30)))
                }
                row = ref.row
                column = ref.column
            }
            if row != rowIndex {
                // A cell outside any <row>, or one whose reference disagrees with its row.
                let keep = column
                try flushRow()
                rowIndex = row < 0 ? lastRowIndex + 1 : row
                column = keep
            }
            // Cells without a reference count on from the previous one, which may walk off the sheet.
            guard rowIndex < CellReference.maxRows, column < CellReference.maxColumns else {
                throw outOfSheet("dòng \(rowIndex + 1), cột \(column + 1)")
            }
            nextColumn = column + 1
            let style: XLSXStyle
            if let sIndex = s.intAttribute(tag, "s") { style = styles[safe: sIndex] ?? .plain } else { style = .plain }

            // Cell type: absent/"n" number, "s" shared, "str" formula string, "inlineStr", "b", "e", "d".
            var type: UInt8 = 110 // n
            if let t = s.attributeRange(tag, "t"), !t.isEmpty {
                type = s.bytes[t.lowerBound]
                if type == 115, t.count == 3 { type = 83 } // "str" → 'S'
            }
            var value = XLSXValue.empty
            var formula: String? = nil
            if tag.kind == .open {
                while let inner = s.nextTag() {
                    if inner.kind == .close {
                        if inner.nameEnd - inner.nameStart == 1, s.bytes[inner.nameStart] == 99 { break }
                        continue
                    }
                    let len = inner.nameEnd - inner.nameStart
                    let first = s.bytes[inner.nameStart]
                    if len == 1, first == 118 { // v
                        guard inner.kind == .open else { continue }
                        value = readValue(type, inner, &s)
                    } else if len == 1, first == 102 { // f
                        formula = readFormula(inner, &s, row: rowIndex, column: column)
                    } else if len == 2, first == 105, s.bytes[inner.nameStart + 1] == 115, inner.kind == .open { // is
                        value = .string(readInline(&s))
                    }
                }
            }
            if case .string(let text) = value { try checkLength(text, row: rowIndex, column: column) }
            if let formula { try checkLength(formula, row: rowIndex, column: column) }
            if let formula {
                value = .formula(formula, cached: value)
            }
            if case .empty = value, style == .plain { return }
            if column == rowCells.count {
                rowCells.append(XLSXCell(value, style: style))
            } else if column > rowCells.count {
                rowCells.append(contentsOf: repeatElement(.empty, count: column - rowCells.count))
                rowCells.append(XLSXCell(value, style: style))
            } else {
                rowCells[column] = XLSXCell(value, style: style)
            }
        }

        private func checkLength(_ text: String, row: Int, column: Int) throws {
            try XLSXText.check(text, place: "ô \(CellReference(row: row, column: column).a1) của trang \"\(sheetName)\"", context)
        }

        private func readValue(_ type: UInt8, _ tag: XMLScanner.Tag, _ s: inout XMLScanner) -> XLSXValue {
            switch type {
            case 110: // number: no entities possible, parse the raw bytes
                let range = s.rawText(of: tag)
                return s.parseDouble(range).map { .number($0) } ?? .empty
            case 115: // shared string index
                let range = s.rawText(of: tag)
                guard let i = s.parseInt(range) else { return .empty }
                return .string(strings[safe: i] ?? "")
            case 98: // boolean
                let range = s.rawText(of: tag)
                guard !range.isEmpty else { return .empty }
                let b = s.bytes[range.lowerBound]
                return .boolean(b == 49 || b == 116 || b == 84)
            case 101: // error
                return .error(s.elementText(of: tag))
            default: // "str" (formula string), "d" (ISO date), inline with a <v>
                return .string(s.elementText(of: tag, unescapeExcel: true))
            }
        }

        private mutating func readFormula(_ tag: XMLScanner.Tag, _ s: inout XMLScanner, row: Int, column: Int) -> String {
            let shared = s.attributeEquals(tag, "t", "shared")
            let si = s.intAttribute(tag, "si")
            let text = tag.kind == .open ? s.elementText(of: tag) : ""
            guard shared, let si else { return text }
            if !text.isEmpty {
                sharedFormulas[si] = (text, row, column)
                return text
            }
            // A dependent of a shared formula: the anchor's text moved by our offset from it.
            guard let (anchor, r0, c0) = sharedFormulas[si] else { return "" }
            return FormulaShifter.shift(anchor, rows: row - r0, columns: column - c0)
        }

        private func readInline(_ s: inout XMLScanner) -> String {
            var text = ""
            while let t = s.nextTag() {
                if t.kind == .close {
                    if s.isNamed(t, "is") { break }
                    continue
                }
                if t.kind == .open, s.isNamed(t, "t") {
                    text += s.elementText(of: t, unescapeExcel: true)
                } else if t.kind == .open, s.isNamed(t, "rPh") {
                    s.skipElement(t)
                }
            }
            return text
        }
    }
}

extension XMLScanner {
    /// Raw bytes of a text-only element (up to the next '<'), leaving the
    /// scanner at its end tag. For values that cannot contain markup.
    mutating func rawText(of tag: Tag) -> Range<Int> {
        guard tag.kind == .open, let base = bytes.baseAddress, position < bytes.count else { return position..<position }
        let start = position
        guard let found = memchr(base + start, 60, bytes.count - start) else { return start..<start }
        let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        position = lt
        return start..<lt
    }
}
