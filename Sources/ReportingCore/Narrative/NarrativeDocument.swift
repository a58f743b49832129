/// A document of the register of documents issued (Phụ lục I), with the section it is listed in when known.
public struct NarrativeDocument: Sendable, Hashable {
    /// The citation as read; nil for a numbered row that could not be read ("Sao y số 480/SY-VP …"):
    /// it still counts as an entry of its section.
    public var reference: DocumentReference?
    /// The section of Phụ lục I the document is printed under; nil when the register has no headings.
    public var listedIn: DocumentGroup?

    public init(_ reference: DocumentReference?, listedIn: DocumentGroup? = nil) {
        self.reference = reference
        self.listedIn = listedIn
    }

    /// The documents of a register read elsewhere (`DocumentRegister.parseLines`), without sections.
    public static func list(_ references: [DocumentReference]) -> [NarrativeDocument] { references.map { NarrativeDocument($0) } }
}

/// Reads Phụ lục I from a report's own text, as the seeds print it: a "Phụ lục I"
/// heading, section headings ("I Quyết định", "III Các văn bản chỉ đạo") and one
/// numbered citation per row, up to the next appendix.
public enum NarrativeAppendix {
    /// The documents of Phụ lục I with their sections, or nil when the text has no such appendix.
    public static func documentsIssued(in text: String) -> [NarrativeDocument]? {
        var documents: [NarrativeDocument] = []
        var inside = false
        var section: DocumentGroup?
        var lines = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = clean(String(raw.prefix(DocumentReference.maxLineLength)))
            let key = line.lowercased().trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("phụ lục") {
                if inside { break }
                inside = key == "phụ lục i" || key.hasPrefix("phụ lục i ") || key.hasPrefix("phụ lục i:") || key.hasPrefix("phụ lục i.")
                continue
            }
            guard inside, !key.isEmpty else { continue }
            lines += 1
            if lines > DocumentRegister.maxLines { break }
            if DocumentRegister.isSectionHeading(line) {
                section =
                    DocumentGroup.allCases.first { group in
                        let words = key.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                        let name = words.drop(while: { $0.allSatisfy { "ivx.)0123456789".contains($0) } }).joined(separator: " ")
                        return name == group.title.lowercased() || name == group.countNoun || name == "các " + group.countNoun
                    } ?? section
                continue
            }
            // A numbered row ("15<tab>Công văn số …") is an entry even when its citation cannot be read.
            let numbered = raw.prefix(8).firstMatch(of: /^\s*\d{1,3}[.)]?\t/) != nil
            let reference = DocumentReference.parse(DocumentText.stripListMarker(line))
            if numbered || reference != nil { documents.append(NarrativeDocument(reference, listedIn: section)) }
        }
        return documents.isEmpty ? nil : documents
    }

    /// Without the seeds' markup: `**`, `*`, `<b>`, `</b>`, `<i>`, `</i>`.
    static func clean(_ line: String) -> String {
        var text = line
        for mark in ["<b>", "</b>", "<i>", "</i>", "**", "*"] { text = text.replacingOccurrences(of: mark, with: "") }
        return text.replacingOccurrences(of: "#", with: "").trimmingCharacters(in: .whitespaces)
    }
}
