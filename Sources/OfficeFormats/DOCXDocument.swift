import Foundation

/// A small Word document model, enough for Vietnamese administrative
/// documents (Nghị định 30/2020/NĐ-CP layout): a borderless header table,
/// centred titles with short rules under them, justified body text with a
/// first-line indent, data tables, and page numbers from page 2.
///
/// Lengths are in millimetres and spacing in points because that is how the
/// layout rules are written; font sizes are in half-points as Word stores them
/// (28 = 14 pt).
public struct DOCXDocument: Sendable, Equatable {
    public var body: [DOCXBlock]
    public var page: DOCXPageSetup
    /// Used for every script (Latin, East Asian, complex), so Word never substitutes.
    public var fontName: String
    /// Default size in half-points (26 = 13 pt, 28 = 14 pt).
    public var fontSize: Int
    public var properties: OfficeDocumentProperties

    public init(
        body: [DOCXBlock] = [], page: DOCXPageSetup = DOCXPageSetup(), fontName: String = "Times New Roman",
        fontSize: Int = 28, properties: OfficeDocumentProperties = OfficeDocumentProperties()
    ) {
        self.body = body
        self.page = page
        self.fontName = fontName
        self.fontSize = fontSize
        self.properties = properties
    }

    public mutating func append(_ paragraph: DOCXParagraph) { body.append(.paragraph(paragraph)) }
    public mutating func append(_ table: DOCXTable) { body.append(.table(table)) }
    public mutating func appendPageBreak() { body.append(.pageBreak) }
}

public enum DOCXBlock: Sendable, Equatable {
    case paragraph(DOCXParagraph)
    case table(DOCXTable)
    case pageBreak
}

public enum DOCXAlignment: String, Sendable, Equatable {
    case left
    case center
    case right
    /// Justified ("both" in WordprocessingML).
    case justify
}

/// A run of text sharing one format. "\n" in `text` becomes a line break, "\t" a tab.
public struct DOCXRun: Sendable, Equatable {
    public var text: String
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    /// Half-points; nil uses the document default.
    public var size: Int?

    public init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Int? = nil) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.size = size
    }
}

public struct DOCXParagraph: Sendable, Equatable {
    public var runs: [DOCXRun]
    public var alignment: DOCXAlignment
    /// First-line indent in mm (Vietnamese body text: 10–12.7 mm).
    public var firstLineIndent: Double
    public var leftIndent: Double
    public var rightIndent: Double
    /// Space before/after in points.
    public var spacingBefore: Double
    public var spacingAfter: Double
    /// Line spacing as a multiple of single (1.0 … 1.5); nil is single.
    public var lineSpacing: Double?
    /// Keep on the same page as the next paragraph (headings, table captions).
    public var keepWithNext: Bool
    /// A thin line under the paragraph, as wide as the paragraph (so narrow it with indents).
    public var bottomBorder: Bool
    /// Set by `rule`: written with a tiny exact line height so the line sits right under the text above.
    public var isRule: Bool = false

    public init(
        runs: [DOCXRun] = [], alignment: DOCXAlignment = .left, firstLineIndent: Double = 0,
        leftIndent: Double = 0, rightIndent: Double = 0, spacingBefore: Double = 0, spacingAfter: Double = 0,
        lineSpacing: Double? = nil, keepWithNext: Bool = false, bottomBorder: Bool = false
    ) {
        self.runs = runs
        self.alignment = alignment
        self.firstLineIndent = firstLineIndent
        self.leftIndent = leftIndent
        self.rightIndent = rightIndent
        self.spacingBefore = spacingBefore
        self.spacingAfter = spacingAfter
        self.lineSpacing = lineSpacing
        self.keepWithNext = keepWithNext
        self.bottomBorder = bottomBorder
    }

    /// A single-run paragraph.
    public init(
        _ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Int? = nil,
        alignment: DOCXAlignment = .left, firstLineIndent: Double = 0, spacingBefore: Double = 0,
        spacingAfter: Double = 0, lineSpacing: Double? = nil
    ) {
        self.init(
            runs: text.isEmpty ? [] : [DOCXRun(text, bold: bold, italic: italic, underline: underline, size: size)],
            alignment: alignment, firstLineIndent: firstLineIndent, spacingBefore: spacingBefore,
            spacingAfter: spacingAfter, lineSpacing: lineSpacing)
    }

    /// A short centred horizontal line (the rule under an agency name or under
    /// "Độc lập - Tự do - Hạnh phúc"): an empty, nearly zero-height paragraph
    /// whose bottom border is `width` mm long, centred in `availableWidth` mm.
    public static func rule(width: Double, availableWidth: Double) -> DOCXParagraph {
        let side = max(0, (availableWidth - width) / 2)
        var p = DOCXParagraph(alignment: .center, leftIndent: side, rightIndent: side, bottomBorder: true)
        p.isRule = true
        return p
    }

    /// The paragraph's plain text.
    public var text: String { runs.map(\.text).joined() }
}

public enum DOCXVerticalAlignment: String, Sendable, Equatable {
    case top
    case center
    case bottom
}

/// Vertical merging: the top cell says `.restart`, the cells below it in the
/// same column say `.continue` (their content is ignored by Word).
public enum DOCXVerticalMerge: Sendable, Equatable {
    case restart
    case `continue`
}

public struct DOCXTableCell: Sendable, Equatable {
    public var paragraphs: [DOCXParagraph]
    /// Number of grid columns the cell covers (horizontal merge).
    public var columnSpan: Int
    /// Header cells spanning two rows ("STT" over a two-row header) use this.
    public var verticalMerge: DOCXVerticalMerge?
    public var verticalAlignment: DOCXVerticalAlignment
    /// Background as "RRGGBB", e.g. "D9D9D9" for header rows.
    public var shading: String?

    public init(
        paragraphs: [DOCXParagraph], columnSpan: Int = 1, verticalMerge: DOCXVerticalMerge? = nil,
        verticalAlignment: DOCXVerticalAlignment = .center, shading: String? = nil
    ) {
        self.paragraphs = paragraphs
        self.columnSpan = max(1, columnSpan)
        self.verticalMerge = verticalMerge
        self.verticalAlignment = verticalAlignment
        self.shading = shading
    }

    /// The lower part of a vertically merged cell.
    public static func mergedBelow(shading: String? = nil) -> DOCXTableCell {
        DOCXTableCell(paragraphs: [], verticalMerge: .continue, shading: shading)
    }

    /// A cell holding one line of text.
    public init(
        _ text: String, bold: Bool = false, italic: Bool = false, size: Int? = nil, alignment: DOCXAlignment = .left,
        columnSpan: Int = 1, verticalMerge: DOCXVerticalMerge? = nil, verticalAlignment: DOCXVerticalAlignment = .center,
        shading: String? = nil
    ) {
        self.init(
            paragraphs: [DOCXParagraph(text, bold: bold, italic: italic, size: size, alignment: alignment)],
            columnSpan: columnSpan, verticalMerge: verticalMerge, verticalAlignment: verticalAlignment, shading: shading)
    }

    public var text: String { paragraphs.map(\.text).joined(separator: "\n") }
}

public struct DOCXTableRow: Sendable, Equatable {
    public var cells: [DOCXTableCell]
    /// Repeat this row at the top of each page the table continues on (header rows).
    public var repeatsAsHeader: Bool
    /// Keep the row on one page.
    public var cantSplit: Bool

    public init(_ cells: [DOCXTableCell], repeatsAsHeader: Bool = false, cantSplit: Bool = true) {
        self.cells = cells
        self.repeatsAsHeader = repeatsAsHeader
        self.cantSplit = cantSplit
    }
}

public struct DOCXTable: Sendable, Equatable {
    /// Grid column widths in mm; cells with `columnSpan` cover several.
    public var columnWidths: [Double]
    public var rows: [DOCXTableRow]
    /// Thin single lines around and between all cells; false for layout tables.
    public var hasBorders: Bool
    public var alignment: DOCXAlignment

    public init(columnWidths: [Double], rows: [DOCXTableRow] = [], hasBorders: Bool = true, alignment: DOCXAlignment = .center) {
        self.columnWidths = columnWidths
        self.rows = rows
        self.hasBorders = hasBorders
        self.alignment = alignment
    }

    /// The two-column, borderless block at the top of an official document:
    /// issuing agency and number on the left, national motto and place/date on the right.
    public static func documentHeader(left: [DOCXParagraph], right: [DOCXParagraph], widths: (Double, Double)) -> DOCXTable {
        DOCXTable(
            columnWidths: [widths.0, widths.1],
            rows: [
                DOCXTableRow([
                    DOCXTableCell(paragraphs: left, verticalAlignment: .top),
                    DOCXTableCell(paragraphs: right, verticalAlignment: .top)
                ])
            ],
            hasBorders: false)
    }
}

public enum DOCXPageNumbers: Sendable, Equatable {
    case none
    /// Centred in the top margin: the position Nghị định 30/2020 prescribes.
    case header
    /// Centred in the bottom margin.
    case footer
}

/// A4 page and margins. Defaults follow Nghị định 30/2020/NĐ-CP:
/// top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm; numbers from page 2.
public struct DOCXPageSetup: Sendable, Equatable {
    /// Portrait size in twips (1/20 pt); A4 is 11906 × 16838.
    public var width: Int
    public var height: Int
    public var landscape: Bool
    public var marginTop: Double
    public var marginBottom: Double
    public var marginLeft: Double
    public var marginRight: Double
    /// Distance from the page edge to the header/footer text, in mm.
    public var headerDistance: Double
    public var footerDistance: Double
    public var pageNumbers: DOCXPageNumbers
    /// The first page gets an empty header/footer (no number on page 1).
    public var differentFirstPage: Bool

    public init(
        width: Int = 11906, height: Int = 16838, landscape: Bool = false,
        marginTop: Double = 20, marginBottom: Double = 20, marginLeft: Double = 30, marginRight: Double = 15,
        headerDistance: Double = 10, footerDistance: Double = 10,
        pageNumbers: DOCXPageNumbers = .header, differentFirstPage: Bool = true
    ) {
        self.width = width
        self.height = height
        self.landscape = landscape
        self.marginTop = marginTop
        self.marginBottom = marginBottom
        self.marginLeft = marginLeft
        self.marginRight = marginRight
        self.headerDistance = headerDistance
        self.footerDistance = footerDistance
        self.pageNumbers = pageNumbers
        self.differentFirstPage = differentFirstPage
    }

    /// Width between the margins in mm, for sizing tables and rules.
    public var textWidth: Double {
        let pageWidth = Double(landscape ? height : width) * 25.4 / 1440
        return pageWidth - marginLeft - marginRight
    }
}
