import Foundation

/// A cell position. `row` and `column` are zero-based so they index Swift
/// arrays directly; "A1" is `(row: 0, column: 0)`.
public struct CellReference: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Excel's sheet limits; references beyond them are rejected.
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses "B3", "$B$3" or "b3". Returns nil for anything else.
    public init?(_ a1: String) {
        var bytes = Array(a1.utf8)
        guard let parsed = bytes.withUnsafeMutableBufferPointer({ CellReference.parse(UnsafeBufferPointer($0), 0, $0.count) }) else {
            return nil
        }
        self = parsed
    }

    /// "B3" form.
    public var a1: String { CellReference.columnName(column) + String(row < Int.max ? row + 1 : row) }

    /// "$B$3" form, for defined names and formulas that must not shift.
    public var absoluteA1: String { "$" + CellReference.columnName(column) + "$" + String(row < Int.max ? row + 1 : row) }

    public var description: String { a1 }

    public static func < (lhs: CellReference, rhs: CellReference) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }

    /// Column letters for a zero-based index: 0 → "A", 25 → "Z", 26 → "AA".
    public static func columnName(_ column: Int) -> String {
        String(decoding: columnNameBytes(column), as: UTF8.self)
    }

    /// Zero-based index for column letters ("A" → 0, "aa" → 26); nil if not letters or out of range.
    public static func columnIndex(_ name: String) -> Int? {
        var value = 0
        var count = 0
        for byte in name.utf8 {
            let upper = byte & 0xDF
            guard upper >= 65, upper <= 90 else { return nil }
            value = value * 26 + Int(upper - 64)
            count += 1
            if count > 3 { return nil }
        }
        guard count > 0, value <= maxColumns else { return nil }
        return value - 1
    }

    /// Negative indexes (never produced by the reader) are written as column A rather than trapping.
    static func columnNameBytes(_ column: Int) -> [UInt8] {
        var n = column < 0 ? 1 : (column == Int.max ? column : column + 1)
        var out: [UInt8] = []
        while n > 0 {
            let rem = (n - 1) % 26
            out.append(UInt8(65 + rem))
            n = (n - 1) / 26
        }
        return out.reversed()
    }

    /// Parses a reference from raw bytes (used by the sheet scanner, so no String is made).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> CellReference? {
        var i = start
        if i < end, bytes[i] == 36 { i += 1 } // $
        var column = 0
        var letters = 0
        while i < end {
            let upper = bytes[i] & 0xDF
            guard upper >= 65, upper <= 90, bytes[i] >= 65 else { break }
            // Stop at a fourth letter: past XFD, and a long run would overflow.
            guard letters < 3 else { return nil }
            column = column * 26 + Int(upper - 64)
            letters += 1
            i += 1
        }
        guard letters > 0, letters <= 3, column <= maxColumns else { return nil }
        if i < end, bytes[i] == 36 { i += 1 }
        var row = 0
        var digits = 0
        while i < end, bytes[i] >= 48, bytes[i] <= 57 {
            row = row * 10 + Int(bytes[i] - 48)
            digits += 1
            if digits > 7 { return nil }
            i += 1
        }
        guard i == end, digits > 0, row >= 1, row <= maxRows else { return nil }
        return CellReference(row: row - 1, column: column - 1)
    }
}

/// A rectangular block of cells, inclusive at both ends ("A1:C3").
public struct CellRange: Hashable, Sendable, CustomStringConvertible {
    public var start: CellReference
    public var end: CellReference

    /// Corners may be given in any order; the range is normalised to top-left/bottom-right.
    public init(_ a: CellReference, _ b: CellReference) {
        start = CellReference(row: min(a.row, b.row), column: min(a.column, b.column))
        end = CellReference(row: max(a.row, b.row), column: max(a.column, b.column))
    }

    /// Zero-based rows and columns, inclusive.
    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
        self.init(
            CellReference(row: rows.lowerBound, column: columns.lowerBound),
            CellReference(row: rows.upperBound, column: columns.upperBound))
    }

    /// Parses "A1:C3", "$A$1:$C$3" or a single "B2".
    public init?(_ a1: String) {
        let parts = a1.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let ref = CellReference(String(parts[0])) else { return nil }
            self.init(ref, ref)
        case 2:
            guard let a = CellReference(String(parts[0])), let b = CellReference(String(parts[1])) else { return nil }
            self.init(a, b)
        default:
            return nil
        }
    }

    public var a1: String { start == end ? start.a1 : start.a1 + ":" + end.a1 }
    public var description: String { a1 }
    public var rowCount: Int { end.row - start.row + 1 }
    public var columnCount: Int { end.column - start.column + 1 }

    public func contains(_ ref: CellReference) -> Bool {
        ref.row >= start.row && ref.row <= end.row && ref.column >= start.column && ref.column <= end.column
    }

    /// "'Sheet name'!$A$1:$C$3": the form defined names and cross-sheet formulas need.
    public func formulaReference(sheetName: String) -> String {
        let quoted = "'" + sheetName.replacingOccurrences(of: "'", with: "''") + "'"
        let corner = start == end ? start.absoluteA1 : start.absoluteA1 + ":" + end.absoluteA1
        return quoted + "!" + corner
    }
}
