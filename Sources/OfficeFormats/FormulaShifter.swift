/// Moves the relative references of a formula, as Excel does when a formula is
/// copied. Needed to expand Excel's shared formulas: only the first cell of a
/// filled range stores the text; the others say "same as that one, moved".
///
/// Handles A1 references with or without `$`, sheet-qualified references,
/// string literals and function names that look like references (LOG10(…)).
/// Whole-row/column references (A:A, 1:1) are left unchanged.
enum FormulaShifter {
    static func shift(_ formula: String, rows: Int, columns: Int) -> String {
        if rows == 0 && columns == 0 { return formula }
        let chars = Array(formula.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(chars.count + 8)
        var i = 0
        let n = chars.count
        func isNameChar(_ b: UInt8) -> Bool {
            (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || b == 46 || b == 36 || b >= 128
        }
        while i < n {
            let b = chars[i]
            if b == 34 || b == 39 { // string literal or quoted sheet name: copy verbatim
                out.append(b)
                i += 1
                while i < n {
                    out.append(chars[i])
                    if chars[i] == b {
                        if i + 1 < n, chars[i + 1] == b { out.append(b); i += 2; continue }
                        i += 1
                        break
                    }
                    i += 1
                }
                continue
            }
            if isNameChar(b) {
                var j = i
                while j < n, isNameChar(chars[j]) { j += 1 }
                let token = Array(chars[i..<j])
                let isFunction = j < n && chars[j] == 40 // "("
                let isSheetName = j < n && chars[j] == 33 // "!"
                if !isFunction, !isSheetName, let moved = shiftReference(token, rows: rows, columns: columns) {
                    out.append(contentsOf: moved)
                } else {
                    out.append(contentsOf: token)
                }
                i = j
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// "$A1" style token → moved token, or nil if the token is not a cell reference.
    private static func shiftReference(_ t: [UInt8], rows: Int, columns: Int) -> [UInt8]? {
        var i = 0
        let absColumn = i < t.count && t[i] == 36
        if absColumn { i += 1 }
        let letterStart = i
        while i < t.count, (t[i] | 0x20) >= 97, (t[i] | 0x20) <= 122 { i += 1 }
        let letters = i - letterStart
        guard letters >= 1, letters <= 3 else { return nil }
        let absRow = i < t.count && t[i] == 36
        if absRow { i += 1 }
        let digitStart = i
        while i < t.count, t[i] >= 48, t[i] <= 57 { i += 1 }
        // More than 7 digits is past row 1,048,576: a name, not a reference (and it could not overflow below).
        guard i == t.count, i > digitStart, i - digitStart <= 7 else { return nil }
        guard let column = CellReference.columnIndex(String(decoding: t[letterStart..<(letterStart + letters)], as: UTF8.self)),
            let rowNumber = Int(String(decoding: t[digitStart..<i], as: UTF8.self)), rowNumber >= 1
        else { return nil }
        // Offsets come from a file: add without trapping, and anything off the sheet is #REF! as in Excel.
        let movedColumn = column.addingReportingOverflow(absColumn ? 0 : columns)
        let movedRow = rowNumber.addingReportingOverflow(absRow ? 0 : rows)
        let newColumn = movedColumn.partialValue, newRow = movedRow.partialValue
        guard !movedColumn.overflow, !movedRow.overflow, newColumn >= 0, newColumn < CellReference.maxColumns,
            newRow >= 1, newRow <= CellReference.maxRows
        else {
            return Array("#REF!".utf8)
        }
        var out: [UInt8] = []
        if absColumn { out.append(36) }
        out.append(contentsOf: CellReference.columnNameBytes(newColumn))
        if absRow { out.append(36) }
        out.append(contentsOf: Array(String(newRow).utf8))
        return out
    }
}
