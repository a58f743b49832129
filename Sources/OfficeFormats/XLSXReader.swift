import Foundation

/// Reads .xlsx workbooks written by Excel, LibreOffice, openpyxl, XlsxWriter or `XLSXWriter`.
///
/// Values come from what the file stores: formulas are returned with their
/// cached result (nothing is recalculated), shared and inline strings are
/// resolved, and styles are mapped back onto `XLSXStyle` by appearance (exact
/// for our own files; best effort for others, where what matters is whether a
/// cell is an input cell and how its number is formatted).
///
/// Hostile or broken files throw an `OfficeFormatError` with a Vietnamese
/// message and produce nothing; `limits` bounds sizes, cells and strings.
public struct XLSXReader: Sendable {
    public var limits: OfficeReadLimits

    public init(limits: OfficeReadLimits = .standard) {
        self.limits = limits
    }

    public func read(contentsOf url: URL) throws -> XLSXWorkbook {
        try read(ZipArchiveReader(url: url, invalidPackage: .notXLSX, limits: limits))
    }

    public func read(_ data: Data) throws -> XLSXWorkbook {
        try read(ZipArchiveReader(data: data, invalidPackage: .notXLSX, limits: limits))
    }

    /// Sheet names in workbook order, without reading any cells.
    public func sheetNames(_ data: Data) throws -> [String] {
        let zip = try ZipArchiveReader(data: data, invalidPackage: .notXLSX, limits: limits)
        let (workbookPart, _) = try locateWorkbook(zip)
        return try parseWorkbook(zip, workbookPart).sheets.map(\.name)
    }

    private func locateWorkbook(_ zip: ZipArchiveReader) throws -> (String, [OPCRelationship]) {
        let packageRels = try OPC.relationships(of: "", in: zip)
        let target =
            packageRels.first { $0.isType("officeDocument") }?.target
            ?? (zip.contains("xl/workbook.xml") ? "xl/workbook.xml" : nil)
        guard let workbookPart = target, zip.contains(workbookPart),
            workbookPart.lowercased().hasSuffix(".xml")
        else { throw OfficeFormatError.notXLSX }
        return (workbookPart, packageRels)
    }

    private func read(_ zip: ZipArchiveReader) throws -> XLSXWorkbook {
        let (workbookPart, packageRels) = try locateWorkbook(zip)
        let info = try parseWorkbook(zip, workbookPart)
        guard info.isSpreadsheet else { throw OfficeFormatError.notXLSX }
        let rels = try OPC.relationships(of: workbookPart, in: zip)

        var strings: [String] = []
        if let rel = rels.first(where: { $0.isType("sharedStrings") }), let bytes = try zip.read(rel.target) {
            strings = try XLSXSharedStringsReader.read(bytes, part: rel.target, zip.context)
        }
        var styles: [XLSXStyle] = []
        if let rel = rels.first(where: { $0.isType("styles") }), let bytes = try zip.read(rel.target) {
            styles = try XLSXStylesReader.read(bytes, part: rel.target, zip.context)
        }

        var workbook = XLSXWorkbook()
        var cellBudget = limits.maxCells
        for entry in info.sheets {
            var sheet = XLSXSheet(name: entry.name, state: entry.state)
            if let rel = rels.first(where: { $0.id == entry.relationshipID }), rel.isType("worksheet") {
                let bytes = try zip.require(rel.target)
                try XLSXSheetReader.read(
                    bytes, part: rel.target, into: &sheet, strings: strings, styles: styles,
                    context: zip.context, cellBudget: &cellBudget)
            }
            workbook.sheets.append(sheet)
        }
        workbook.definedNames = info.definedNames
        workbook.properties = try OfficeDocumentProperties.read(from: zip, packageRelationships: packageRels)
        return workbook
    }

    private struct WorkbookInfo {
        struct Entry {
            var name: String
            var relationshipID: String
            var state: XLSXSheetState
        }
        var sheets: [Entry] = []
        var definedNames: [XLSXDefinedName] = []
        var isSpreadsheet = false
    }

    private func parseWorkbook(_ zip: ZipArchiveReader, _ part: String) throws -> WorkbookInfo {
        let bytes = try zip.require(part)
        return try OPC.scan(bytes, part: part, zip.context) { s in
            var info = WorkbookInfo()
            while let tag = s.nextTag() {
                if tag.kind == .close { continue }
                if s.isNamed(tag, "workbook") {
                    info.isSpreadsheet = true
                } else if s.isNamed(tag, "sheet") {
                    let stateText = s.attribute(tag, "state") ?? "visible"
                    info.sheets.append(
                        .init(
                            name: s.attribute(tag, "name") ?? "",
                            relationshipID: s.attribute(tag, "id") ?? "",
                            state: XLSXSheetState(rawValue: stateText) ?? .visible))
                } else if s.isNamed(tag, "definedName"), tag.kind == .open {
                    let name = s.attribute(tag, "name") ?? ""
                    let local = s.intAttribute(tag, "localSheetId")
                    let hidden = s.boolAttribute(tag, "hidden", default: false)
                    let text = s.elementText(of: tag)
                    info.definedNames.append(XLSXDefinedName(name: name, refersTo: text, sheetIndex: local, isHidden: hidden))
                }
            }
            return info
        }
    }
}

/// xl/sharedStrings.xml: one `<si>` per string, plain (`<t>`) or rich (`<r><t>`);
/// phonetic runs (`<rPh>`) are not part of the text.
enum XLSXSharedStringsReader {
    static func read(_ bytes: [UInt8], part: String, _ context: OfficeReadContext) throws -> [String] {
        let limits = context.limits
        return try OPC.scan(bytes, part: part, context) { s in
            var strings: [String] = []
            var totalBytes = 0
            while let tag = s.nextTag() {
                guard s.isNamed(tag, "si") else {
                    // The declared count only sizes the array; it is not trusted beyond the limit.
                    if tag.kind == .open, s.isNamed(tag, "sst"), let n = s.intAttribute(tag, "uniqueCount"), n > 0 {
                        strings.reserveCapacity(min(n, limits.maxSharedStrings, bytes.count / 8))
                    }
                    continue
                }
                guard strings.count < limits.maxSharedStrings else {
                    throw context.exceeded(.sharedStringCount(limit: limits.maxSharedStrings))
                }
                if tag.kind == .empty { strings.append(""); continue }
                guard tag.kind == .open else { continue }
                var text = ""
                var pieces = 0
                while let inner = s.nextTag() {
                    if inner.kind == .close {
                        if s.isNamed(inner, "si") { break }
                        continue
                    }
                    if inner.kind == .open, s.isNamed(inner, "t") {
                        let piece = s.elementText(of: inner, unescapeExcel: true)
                        if pieces == 0 { text = piece } else { text += piece }
                        pieces += 1
                    } else if inner.kind == .open, s.isNamed(inner, "rPh") {
                        s.skipElement(inner)
                    }
                }
                try XLSXText.check(text, place: "chuỗi dùng chung số \(strings.count + 1)", context)
                totalBytes += text.utf8.count
                guard totalBytes <= limits.maxSharedStringBytes else {
                    throw context.exceeded(.sharedStringBytes(limit: limits.maxSharedStringBytes))
                }
                strings.append(text)
            }
            return strings
        }
    }
}

/// xl/styles.xml → our style for each cellXfs index, by comparing looks.
enum XLSXStylesReader {
    private struct Font { var bold = false; var italic = false; var size = 11.0 }

    static func read(_ bytes: [UInt8], part: String, _ context: OfficeReadContext) throws -> [XLSXStyle] {
        try OPC.scan(bytes, part: part, context) { s in
            var formats: [Int: String] = [:]
            var fonts: [Font] = []
            var filled: [Bool] = []
            var bordered: [Bool] = []
            var looks: [XLSXStyleLook] = []
            var section = ""
            var currentFont: Font? = nil
            var currentBorder = false
            var inCellXfs = false

            while let tag = s.nextTag() {
                let name = s.name(tag)
                if tag.kind == .close {
                    switch name {
                    case "font": if let f = currentFont, section == "fonts" { fonts.append(f) }; currentFont = nil
                    case "border": if section == "borders" { bordered.append(currentBorder) }
                    case "cellXfs": inCellXfs = false
                    case "fonts", "fills", "borders": section = ""
                    default: break
                    }
                    continue
                }
                switch name {
                case "numFmt":
                    if let id = s.intAttribute(tag, "numFmtId") { formats[id] = s.attribute(tag, "formatCode") ?? "" }
                case "fonts", "fills", "borders":
                    section = name
                case "font" where section == "fonts":
                    currentFont = Font()
                    if tag.kind == .empty { fonts.append(Font()); currentFont = nil }
                case "b" where currentFont != nil:
                    currentFont?.bold = s.boolAttribute(tag, "val", default: true)
                case "i" where currentFont != nil:
                    currentFont?.italic = s.boolAttribute(tag, "val", default: true)
                case "sz" where currentFont != nil:
                    currentFont?.size = s.doubleAttribute(tag, "val") ?? 11
                case "fill" where section == "fills":
                    filled.append(false)
                case "patternFill" where section == "fills" && !filled.isEmpty:
                    let pattern = s.attribute(tag, "patternType") ?? "none"
                    filled[filled.count - 1] = pattern != "none" && pattern != "gray125"
                case "gradientFill" where section == "fills" && !filled.isEmpty:
                    filled[filled.count - 1] = true
                case "border" where section == "borders":
                    currentBorder = false
                    if tag.kind == .empty { bordered.append(false) }
                case "left", "right", "top", "bottom", "start", "end":
                    if section == "borders", let style = s.attribute(tag, "style"), style != "none" { currentBorder = true }
                case "cellXfs":
                    inCellXfs = tag.kind == .open
                case "xf" where inCellXfs:
                    let font = fonts[safe: s.intAttribute(tag, "fontId") ?? 0] ?? Font()
                    let baseSize = fonts.first?.size ?? 11
                    let fontLook: XLSXStyleLook.Font =
                        font.bold ? (font.size > baseSize + 0.5 ? .title : .bold) : (font.italic ? .italic : .regular)
                    let fill = filled[safe: s.intAttribute(tag, "fillId") ?? 0] ?? false
                    var look = XLSXStyleLook(
                        numberFormat: normaliseFormat(s.intAttribute(tag, "numFmtId") ?? 0, formats),
                        font: fontLook, fill: fill ? .header : .none,
                        bordered: bordered[safe: s.intAttribute(tag, "borderId") ?? 0] ?? false,
                        locked: true, centered: false, indent: 0)
                    if tag.kind == .open {
                        while let child = s.nextTag() {
                            if child.kind == .close, s.isNamed(child, "xf") { break }
                            if s.isNamed(child, "alignment") {
                                let h = s.attribute(child, "horizontal") ?? ""
                                look.centered = h == "center" || h == "centerContinuous"
                                look.indent = s.intAttribute(child, "indent") ?? 0
                            } else if s.isNamed(child, "protection") {
                                look.locked = s.boolAttribute(child, "locked", default: true)
                            }
                        }
                    }
                    // Our input styles are the filled, unlocked ones.
                    if fill && !look.locked { look.fill = .input }
                    looks.append(look)
                default:
                    break
                }
            }
            return looks.map(XLSXStyle.matching)
        }
    }

    /// Built-in ids for the formats we use, or the same formats declared as custom codes.
    private static func normaliseFormat(_ id: Int, _ formats: [Int: String]) -> Int {
        if id == 0 || id == 2 || id == 3 || id == 4 { return id }
        switch formats[id]?.replacingOccurrences(of: "\\", with: "") {
        case "General"?, "general"?: return 0
        case "0.00"?: return 2
        case "#,##0"?: return 3
        case "#,##0.00"?: return 4
        default: return -1
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        index >= 0 && index < count ? self[index] : nil
    }
}

/// The per-string limit, shared by shared strings and cell text.
enum XLSXText {
    /// Throws when `text` has more characters than `maxStringLength`; counts only when the bytes say it might.
    static func check(_ text: String, place: @autoclosure () -> String, _ context: OfficeReadContext) throws {
        let limit = context.limits.maxStringLength
        guard text.utf8.count > limit, text.count > limit else { return }
        throw context.exceeded(.stringLength(place: place(), limit: limit))
    }
}
