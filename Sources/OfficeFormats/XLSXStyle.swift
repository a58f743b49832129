/// The fixed set of cell styles BaoCao's workbooks use.
///
/// A closed set keeps styles.xml tiny and constant, makes the writer's hot
/// loop a table lookup, and lets the reader recognise the styles again (also
/// after a user re-saves the file in Excel or LibreOffice, by comparing what
/// the styles look like, not their index).
///
/// Number formats are the standard codes `#,##0`, `#,##0.00` and `0.00`
/// (built-in formats 3, 4 and 2). Excel and LibreOffice substitute the user's
/// separators, so a vi-VN installation shows 1609226 as 1.609.226 and 97.45
/// as 97,45 while the file itself stays locale-neutral.
///
/// Table styles (from `.text` on) have a thin border: they are the grid cells
/// of a report table. All styles are locked except the `.input*` styles, so a
/// protected sheet lets users type only into input cells.
public enum XLSXStyle: UInt8, CaseIterable, Sendable {
    /// General format, no border.
    case plain = 0
    case bold
    case italic
    /// Large bold, centred, wrapped: report titles (usually over a merged range).
    case title
    /// Column headings: bold, centred, wrapped, bordered, grey-blue fill.
    case header
    /// Locked text in a bordered, wrapped cell (row labels).
    case text
    /// Bold bordered text (section and total labels).
    case boldText
    /// Centred bordered text (ordinal "STT" columns, units).
    case centeredText
    /// Bordered text indented by 1, 2 or 3 levels (sub-items).
    case indent1
    case indent2
    case indent3
    /// Bordered `#,##0`.
    case integer
    /// Bordered `#,##0.00`.
    case decimal
    /// Bordered `0.00` for percentages already multiplied by 100 (97.45 shows as 97,45).
    case percent
    /// Bold variants for totals.
    case boldInteger
    case boldDecimal
    /// Unlocked, light-yellow, bordered: where users type. General format.
    case input
    case inputInteger
    case inputDecimal

    /// `.text` at level 0, `.indent1`…`.indent3` above (clamped).
    public static func indent(_ level: Int) -> XLSXStyle {
        switch level {
        case ...0: return .text
        case 1: return .indent1
        case 2: return .indent2
        default: return .indent3
        }
    }

    /// Whether users can edit the cell when the sheet is protected.
    public var isInput: Bool { self == .input || self == .inputInteger || self == .inputDecimal }
}

/// What a cell format looks like, in the terms our style set differs by.
/// The reader computes it for any workbook's cellXfs and matches it against ours.
struct XLSXStyleLook: Hashable {
    enum Font: Int {
        case regular = 0
        case bold, italic, title
    }
    enum Fill: Int {
        case none = 0
        case header = 2
        case input = 3
    }
    var numberFormat: Int // 0 General, 2 "0.00", 3 "#,##0", 4 "#,##0.00", -1 other
    var font: Font
    var fill: Fill
    var bordered: Bool
    var locked: Bool
    var centered: Bool
    var indent: Int
}

extension XLSXStyle {
    var look: XLSXStyleLook {
        switch self {
        case .plain: return .init(numberFormat: 0, font: .regular, fill: .none, bordered: false, locked: true, centered: false, indent: 0)
        case .bold: return .init(numberFormat: 0, font: .bold, fill: .none, bordered: false, locked: true, centered: false, indent: 0)
        case .italic: return .init(numberFormat: 0, font: .italic, fill: .none, bordered: false, locked: true, centered: false, indent: 0)
        case .title: return .init(numberFormat: 0, font: .title, fill: .none, bordered: false, locked: true, centered: true, indent: 0)
        case .header: return .init(numberFormat: 0, font: .bold, fill: .header, bordered: true, locked: true, centered: true, indent: 0)
        case .text: return .init(numberFormat: 0, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .boldText: return .init(numberFormat: 0, font: .bold, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .centeredText:
            return .init(numberFormat: 0, font: .regular, fill: .none, bordered: true, locked: true, centered: true, indent: 0)
        case .indent1: return .init(numberFormat: 0, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 1)
        case .indent2: return .init(numberFormat: 0, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 2)
        case .indent3: return .init(numberFormat: 0, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 3)
        case .integer: return .init(numberFormat: 3, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .decimal: return .init(numberFormat: 4, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .percent: return .init(numberFormat: 2, font: .regular, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .boldInteger: return .init(numberFormat: 3, font: .bold, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .boldDecimal: return .init(numberFormat: 4, font: .bold, fill: .none, bordered: true, locked: true, centered: false, indent: 0)
        case .input: return .init(numberFormat: 0, font: .regular, fill: .input, bordered: true, locked: false, centered: false, indent: 0)
        case .inputInteger:
            return .init(numberFormat: 3, font: .regular, fill: .input, bordered: true, locked: false, centered: false, indent: 0)
        case .inputDecimal:
            return .init(numberFormat: 4, font: .regular, fill: .input, bordered: true, locked: false, centered: false, indent: 0)
        }
    }

    /// Wrapping is not part of the look (LibreOffice drops/keeps it freely) but we write it for text styles.
    var wraps: Bool {
        switch self {
        case .title, .header, .text, .boldText, .centeredText, .indent1, .indent2, .indent3: return true
        default: return false
        }
    }

    private static let byLook: [XLSXStyleLook: XLSXStyle] = {
        var map: [XLSXStyleLook: XLSXStyle] = [:]
        for style in XLSXStyle.allCases { map[style.look] = style }
        return map
    }()

    /// Our style for a foreign cell format: exact look if we have it, otherwise
    /// the closest by the properties that matter to BaoCao (editable or not, number format).
    static func matching(_ look: XLSXStyleLook) -> XLSXStyle {
        if let exact = byLook[look] { return exact }
        // Fill colours are not compared exactly, so a filled unlocked cell is an input cell.
        if !look.locked {
            switch look.numberFormat {
            case 3: return .inputInteger
            case 4: return .inputDecimal
            default: return .input
            }
        }
        var relaxed = look
        relaxed.fill = .none
        if let near = byLook[relaxed] { return near }
        relaxed.centered = false
        if let near = byLook[relaxed] { return near }
        if look.bordered {
            switch look.numberFormat {
            case 3: return look.font == .bold ? .boldInteger : .integer
            case 4: return look.font == .bold ? .boldDecimal : .decimal
            case 2: return .percent
            default: return look.font == .bold ? .boldText : .text
            }
        }
        switch look.font {
        case .bold: return .bold
        case .italic: return .italic
        case .title: return .title
        case .regular: return .plain
        }
    }

    /// Base font of every workbook we write.
    static let fontName = "Times New Roman"
    static let fontSize = 12
    static let titleFontSize = 14

    /// The constant styles.xml. cellXfs index == `rawValue`.
    static let stylesXML: [UInt8] = {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">")
        // Fonts: 0 regular, 1 bold, 2 italic, 3 title (matches XLSXStyleLook.Font).
        x.raw("<fonts count=\"4\">")
        for (bold, italic, size) in [
            (false, false, fontSize), (true, false, fontSize), (false, true, fontSize), (true, false, titleFontSize)
        ] {
            x.raw("<font>")
            if bold { x.raw("<b/>") }
            if italic { x.raw("<i/>") }
            x.raw("<sz val=\""); x.int(size); x.raw("\"/><name val=\""); x.raw(fontName); x.raw("\"/><family val=\"1\"/></font>")
        }
        x.raw("</fonts>")
        // Fills 0 and 1 are mandated by Excel; 2 header, 3 input.
        x.raw("<fills count=\"4\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>")
        x.raw("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill>")
        x.raw("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFFF2CC\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>")
        x.raw("<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>")
        x.raw("<border>")
        for side: StaticString in ["left", "right", "top", "bottom"] {
            x.raw("<"); x.raw(side); x.raw(" style=\"thin\"><color indexed=\"64\"/></"); x.raw(side); x.raw(">")
        }
        x.raw("<diagonal/></border></borders>")
        x.raw("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>")
        x.raw("<cellXfs count=\""); x.int(XLSXStyle.allCases.count); x.raw("\">")
        for style in XLSXStyle.allCases {
            let look = style.look
            x.raw("<xf numFmtId=\""); x.int(look.numberFormat)
            x.raw("\" fontId=\""); x.int(look.font.rawValue)
            x.raw("\" fillId=\""); x.int(look.fill.rawValue)
            x.raw("\" borderId=\""); x.int(look.bordered ? 1 : 0)
            x.raw("\" xfId=\"0\"")
            if look.numberFormat != 0 { x.raw(" applyNumberFormat=\"1\"") }
            if look.font != .regular { x.raw(" applyFont=\"1\"") }
            if look.fill != .none { x.raw(" applyFill=\"1\"") }
            if look.bordered { x.raw(" applyBorder=\"1\"") }
            let aligned = look.centered || look.indent > 0 || style.wraps
            if aligned { x.raw(" applyAlignment=\"1\"") }
            if !look.locked { x.raw(" applyProtection=\"1\"") }
            if !aligned && look.locked {
                x.raw("/>")
                continue
            }
            x.raw(">")
            if aligned {
                x.raw("<alignment")
                if look.centered { x.raw(" horizontal=\"center\"") } else if look.indent > 0 { x.raw(" horizontal=\"left\"") }
                x.raw(" vertical=\"center\"")
                if style.wraps { x.raw(" wrapText=\"1\"") }
                if look.indent > 0 { x.raw(" indent=\""); x.int(look.indent); x.raw("\"") }
                x.raw("/>")
            }
            if !look.locked { x.raw("<protection locked=\"0\"/>") }
            x.raw("</xf>")
        }
        x.raw("</cellXfs>")
        x.raw("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>")
        x.raw(
            "<dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium2\" defaultPivotStyle=\"PivotStyleLight16\"/>")
        x.raw("</styleSheet>")
        return x.bytes
    }()
}
