import Foundation

/// The text of a .docx: body paragraphs and tables in order, plus header and
/// footer text. Formatting is not kept; this is for reading back submitted
/// documents and checking our own output.
public struct DOCXContent: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case paragraph(String)
        /// Rows of cell texts; a cell's paragraphs are joined with "\n".
        /// A horizontally merged cell appears once (Word stores it once).
        case table([[String]])
    }

    public var blocks: [Block]
    public var headers: [String]
    public var footers: [String]
    public var properties: OfficeDocumentProperties

    /// Body paragraphs outside tables.
    public var paragraphs: [String] {
        blocks.compactMap {
            if case .paragraph(let p) = $0 { return p }; return nil
        }
    }

    public var tables: [[[String]]] {
        blocks.compactMap {
            if case .table(let t) = $0 { return t }; return nil
        }
    }
}

/// Extracts text from .docx files (Word, LibreOffice, python-docx, `DOCXWriter`).
///
/// Handles runs split anywhere, tabs and breaks, tracked changes (inserted
/// text kept, deleted text dropped), field results (not field codes), and
/// content controls; nested tables are flattened into their cell's text.
///
/// Hostile or broken files throw an `OfficeFormatError` with a Vietnamese message; `limits` bounds the work.
public struct DOCXReader: Sendable {
    public var limits: OfficeReadLimits

    public init(limits: OfficeReadLimits = .standard) {
        self.limits = limits
    }

    public func read(contentsOf url: URL) throws -> DOCXContent {
        try read(ZipArchiveReader(url: url, invalidPackage: .notDOCX, limits: limits))
    }

    public func read(_ data: Data) throws -> DOCXContent {
        try read(ZipArchiveReader(data: data, invalidPackage: .notDOCX, limits: limits))
    }

    private func read(_ zip: ZipArchiveReader) throws -> DOCXContent {
        let packageRels = try OPC.relationships(of: "", in: zip)
        let target =
            packageRels.first { $0.isType("officeDocument") }?.target
            ?? (zip.contains("word/document.xml") ? "word/document.xml" : nil)
        guard let documentPart = target, let bytes = try zip.read(documentPart) else { throw OfficeFormatError.notDOCX }
        let blocks = try OPC.scan(bytes, part: documentPart, zip.context) { s -> [DOCXContent.Block]? in
            var sawDocument = false
            var blocks: [DOCXContent.Block] = []
            while let tag = s.nextTag() {
                if tag.kind == .empty, s.isNamed(tag, "p") { blocks.append(.paragraph("")) }
                guard tag.kind == .open else { continue }
                if s.isNamed(tag, "document") {
                    sawDocument = true
                } else if s.isNamed(tag, "p") {
                    blocks.append(.paragraph(Self.paragraphText(tag, &s)))
                } else if s.isNamed(tag, "tbl") {
                    blocks.append(.table(Self.tableText(tag, &s)))
                }
            }
            return sawDocument ? blocks : nil
        }
        guard let blocks else { throw OfficeFormatError.notDOCX }

        var headers: [String] = []
        var footers: [String] = []
        for rel in try OPC.relationships(of: documentPart, in: zip) where rel.isType("header") || rel.isType("footer") {
            guard let part = try zip.read(rel.target) else { continue }
            let text = try OPC.scan(part, part: rel.target, zip.context) { s in
                var paragraphs: [String] = []
                while let tag = s.nextTag() {
                    if tag.kind == .open, s.isNamed(tag, "p") {
                        paragraphs.append(Self.paragraphText(tag, &s))
                    } else if tag.kind == .empty, s.isNamed(tag, "p") {
                        paragraphs.append("")
                    }
                }
                return paragraphs.joined(separator: "\n")
            }
            if rel.isType("header") { headers.append(text) } else { footers.append(text) }
        }
        let properties = try OfficeDocumentProperties.read(from: zip, packageRelationships: packageRels)
        return DOCXContent(blocks: blocks, headers: headers, footers: footers, properties: properties)
    }

    /// Text of the paragraph opened by `tag`; leaves the scanner after `</w:p>`.
    static func paragraphText(_ tag: XMLScanner.Tag, _ s: inout XMLScanner) -> String {
        guard tag.kind == .open else { return "" }
        var text = ""
        var depth = 0
        // Inside a complex field, text between "begin" and "separate" is the field code.
        var fieldCodeDepth = 0
        // A superscript run's digits (a footnote mark "⁸", "m²") are written as superscript
        // characters, so that a footnote number is not read as a figure of its sentence.
        var superscript = false
        while let t = s.nextTag() {
            if t.kind == .close {
                if depth == 0 { break }
                depth -= 1
                continue
            }
            if t.kind == .open { depth += 1 }
            if s.isNamed(t, "r") { superscript = false }
            if s.isNamed(t, "t"), t.kind == .open {
                let piece = s.elementText(of: t)
                depth -= 1
                if fieldCodeDepth == 0 { text += superscript ? Self.superscriptDigits(piece) : piece }
            } else if s.isNamed(t, "rPr"), t.kind == .open {
                superscript = Self.runIsSuperscript(&s)
                depth -= 1
            } else if s.isNamed(t, "delText") || s.isNamed(t, "instrText") || s.isNamed(t, "pPr") {
                if t.kind == .open { s.skipElement(t); depth -= 1 }
            } else if s.isNamed(t, "tab") || s.isNamed(t, "ptab") {
                if fieldCodeDepth == 0 { text += "\t" }
            } else if s.isNamed(t, "br") || s.isNamed(t, "cr") {
                // Page and column breaks end a page, not a line: like python-docx, they add no text.
                let type = s.attribute(t, "type") ?? "textWrapping"
                if fieldCodeDepth == 0, type == "textWrapping" { text += "\n" }
            } else if s.isNamed(t, "noBreakHyphen") {
                text += "-"
            } else if s.isNamed(t, "fldChar") {
                switch s.attribute(t, "fldCharType") {
                case "begin": fieldCodeDepth += 1
                case "separate", "end": fieldCodeDepth = max(0, fieldCodeDepth - 1)
                default: break
                }
            }
        }
        return text
    }

    /// Reads a run's properties up to `</w:rPr>`: whether the run is raised (`w:vertAlign w:val="superscript"`).
    static func runIsSuperscript(_ s: inout XMLScanner) -> Bool {
        var raised = false
        while let c = s.nextTag() {
            if c.kind == .close, s.isNamed(c, "rPr") { break }
            if s.isNamed(c, "vertAlign"), s.attribute(c, "val") == "superscript" { raised = true }
        }
        return raised
    }

    static let superscriptForDigit: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"
    ]

    static func superscriptDigits(_ text: String) -> String {
        String(text.map { superscriptForDigit[$0] ?? $0 })
    }

    /// Cell texts of the table opened by `tag`; leaves the scanner after `</w:tbl>`.
    static func tableText(_ tag: XMLScanner.Tag, _ s: inout XMLScanner) -> [[String]] {
        var rows: [[String]] = []
        var depth = 0
        while let t = s.nextTag() {
            if t.kind == .close {
                if depth == 0 { break }
                depth -= 1
                continue
            }
            guard t.kind == .open else { continue }
            if s.isNamed(t, "tr") {
                rows.append([])
                depth += 1
            } else if s.isNamed(t, "tc") {
                var paragraphs: [String] = []
                while let c = s.nextTag(), !(c.kind == .close && s.isNamed(c, "tc")) {
                    if c.kind == .empty, s.isNamed(c, "p") { paragraphs.append("") }
                    guard c.kind == .open else { continue }
                    if s.isNamed(c, "p") {
                        paragraphs.append(paragraphText(c, &s))
                    } else if s.isNamed(c, "tbl") {
                        // Nested table: flatten its cells into lines of this cell.
                        paragraphs += tableText(c, &s).map { $0.joined(separator: "\t") }
                    } else if s.isNamed(c, "tcPr") {
                        s.skipElement(c)
                    }
                }
                if rows.isEmpty { rows.append([]) }
                rows[rows.count - 1].append(paragraphs.joined(separator: "\n"))
            } else {
                depth += 1
            }
        }
        return rows
    }
}
