import Foundation

/// A cell's content. Numbers are stored invariantly (a Double); how they look
/// (thousands separators, decimals) is the job of the cell's `XLSXStyle`, so a
/// Vietnamese Excel shows 1609226 as "1.609.226".
public enum XLSXValue: Sendable, Equatable {
    case empty
    case string(String)
    /// Non-finite numbers cannot be stored in a workbook; they are written as the error `#NUM!`.
    case number(Double)
    case boolean(Bool)
    /// An Excel error literal such as "#DIV/0!" or "#N/A".
    case error(String)
    /// Formula text without the leading "=" (a leading "=" is dropped when
    /// writing), and the value last calculated for it. Readers that do not
    /// calculate (openpyxl, calamine, our reader) only ever see `cached`, so
    /// always supply it when you know it.
    indirect case formula(String, cached: XLSXValue)

    /// The value a reader displays: the cached result for formulas, otherwise self.
    public var resolved: XLSXValue {
        if case .formula(_, let cached) = self { return cached.resolved }
        return self
    }

    public var stringValue: String? {
        if case .string(let s) = resolved { return s }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let v) = resolved { return v }
        return nil
    }

    public var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }
}

/// A cell: value plus one of the fixed styles.
public struct XLSXCell: Sendable, Equatable {
    public var value: XLSXValue
    public var style: XLSXStyle

    public init(_ value: XLSXValue = .empty, style: XLSXStyle = .plain) {
        self.value = value
        self.style = style
    }

    public static let empty = XLSXCell()

    public static func string(_ text: String, _ style: XLSXStyle = .plain) -> XLSXCell {
        XLSXCell(.string(text), style: style)
    }

    public static func number(_ value: Double, _ style: XLSXStyle = .plain) -> XLSXCell {
        XLSXCell(.number(value), style: style)
    }

    public static func boolean(_ value: Bool, _ style: XLSXStyle = .plain) -> XLSXCell {
        XLSXCell(.boolean(value), style: style)
    }

    public static func formula(_ formula: String, cached: XLSXValue = .empty, _ style: XLSXStyle = .plain) -> XLSXCell {
        XLSXCell(.formula(formula, cached: cached), style: style)
    }

    public static func error(_ code: String, _ style: XLSXStyle = .plain) -> XLSXCell {
        XLSXCell(.error(code), style: style)
    }

    /// A styled empty cell, e.g. a bordered input cell waiting for data.
    public static func blank(_ style: XLSXStyle) -> XLSXCell {
        XLSXCell(.empty, style: style)
    }
}

/// Whether Excel lists the sheet. `veryHidden` sheets can only be unhidden
/// with VBA, which suits metadata sheets users must not edit.
public enum XLSXSheetState: String, Sendable, Equatable {
    case visible
    case hidden
    case veryHidden
}

/// Width and visibility of a run of columns (zero-based, inclusive).
public struct XLSXColumn: Sendable, Equatable {
    public var columns: ClosedRange<Int>
    /// In Excel's character-width units (the width shown in Excel's dialog); nil keeps the default.
    public var width: Double?
    public var isHidden: Bool

    public init(_ columns: ClosedRange<Int>, width: Double? = nil, isHidden: Bool = false) {
        self.columns = columns
        self.width = width
        self.isHidden = isHidden
    }

    public init(_ column: Int, width: Double? = nil, isHidden: Bool = false) {
        self.init(column...column, width: width, isHidden: isHidden)
    }
}

/// A workbook-level (or sheet-local) name, e.g. a named range or a constant.
/// BaoCao uses hidden names for metadata that must travel with the sheet layout.
public struct XLSXDefinedName: Sendable, Equatable {
    public var name: String
    /// What the name refers to, as in Excel's Name Manager without "=",
    /// e.g. `'Biểu 1'!$A$1:$C$3` (see `CellRange.formulaReference`) or `"BM01"`.
    public var refersTo: String
    /// Index of the sheet the name is local to; nil for workbook scope.
    public var sheetIndex: Int?
    public var isHidden: Bool

    public init(name: String, refersTo: String, sheetIndex: Int? = nil, isHidden: Bool = false) {
        self.name = name
        self.refersTo = refersTo
        self.sheetIndex = sheetIndex
        self.isHidden = isHidden
    }
}

/// One worksheet. Rows are dense arrays starting at column A; row `i` of
/// `rows` is sheet row i+1. Rows may have different lengths.
public struct XLSXSheet: Sendable, Equatable {
    public var name: String
    public var rows: [[XLSXCell]]
    public var columns: [XLSXColumn]
    /// Zero-based row index → height in points, for rows whose wrapped text needs room.
    public var rowHeights: [Int: Double]
    public var merges: [CellRange]
    /// The first cell that scrolls: "B3" keeps row 1–2 and column A in view. Nil: no frozen panes.
    public var frozenAt: CellReference?
    /// Protect the sheet (no password) so only `.input*` cells can be edited.
    public var isProtected: Bool
    public var state: XLSXSheetState
    /// Print setup: landscape A4, scaled to fit the page width.
    public var printLandscape: Bool
    public var printFitToWidth: Bool

    public init(
        name: String, rows: [[XLSXCell]] = [], columns: [XLSXColumn] = [], rowHeights: [Int: Double] = [:],
        merges: [CellRange] = [], frozenAt: CellReference? = nil, isProtected: Bool = false,
        state: XLSXSheetState = .visible, printLandscape: Bool = false, printFitToWidth: Bool = false
    ) {
        self.name = name
        self.rows = rows
        self.columns = columns
        self.rowHeights = rowHeights
        self.merges = merges
        self.frozenAt = frozenAt
        self.isProtected = isProtected
        self.state = state
        self.printLandscape = printLandscape
        self.printFitToWidth = printFitToWidth
    }

    /// Cell access by zero-based position. Reading outside the data gives an
    /// empty plain cell; writing grows the rows as needed.
    public subscript(row: Int, column: Int) -> XLSXCell {
        get {
            guard row >= 0, row < rows.count, column >= 0, column < rows[row].count else { return .empty }
            return rows[row][column]
        }
        set {
            precondition(row >= 0 && column >= 0, "Negative cell position")
            if row >= rows.count { rows.append(contentsOf: repeatElement([], count: row - rows.count + 1)) }
            if column >= rows[row].count {
                rows[row].append(contentsOf: repeatElement(.empty, count: column - rows[row].count + 1))
            }
            rows[row][column] = newValue
        }
    }

    public subscript(ref: CellReference) -> XLSXCell {
        get { self[ref.row, ref.column] }
        set { self[ref.row, ref.column] = newValue }
    }

    public mutating func append(_ row: [XLSXCell]) {
        rows.append(row)
    }

    /// Number of columns in the widest row.
    public var columnCount: Int {
        rows.reduce(0) { max($0, $1.count) }
    }

    public func isColumnHidden(_ column: Int) -> Bool {
        columns.last(where: { $0.columns.contains(column) })?.isHidden ?? false
    }

    public func columnWidth(_ column: Int) -> Double? {
        columns.last(where: { $0.columns.contains(column) && $0.width != nil })?.width
    }
}

/// A workbook: ordered sheets plus names and document properties.
public struct XLSXWorkbook: Sendable, Equatable {
    public var sheets: [XLSXSheet]
    public var definedNames: [XLSXDefinedName]
    public var properties: OfficeDocumentProperties

    public init(
        sheets: [XLSXSheet] = [], definedNames: [XLSXDefinedName] = [],
        properties: OfficeDocumentProperties = OfficeDocumentProperties()
    ) {
        self.sheets = sheets
        self.definedNames = definedNames
        self.properties = properties
    }

    public func sheet(named name: String) -> XLSXSheet? {
        sheets.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public func definedName(_ name: String) -> XLSXDefinedName? {
        definedNames.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}
