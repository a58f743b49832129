import Foundation

/// Text keys for comparing what a document prints with what a form says.
enum ImportText {
    static let superscripts: Set<Character> = ["¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁰"]

    /// One line, NFC, "Đ" folded, one space between words, cut to `limit` characters.
    static func clean(_ text: String, limit: Int = 4_000) -> String {
        DocumentText.clean(String(text.prefix(limit)))
    }

    /// Comparison key of a name: cleaned, lowercased, footnote marks and quotes dropped,
    /// no space inside brackets or before punctuation, no trailing punctuation.
    static func key(_ text: String, limit: Int = 4_000) -> String {
        var s = clean(text, limit: limit).lowercased()
        s.removeAll { superscripts.contains($0) || $0 == "“" || $0 == "”" || $0 == "\"" || $0 == "*" }
        for (from, to) in [("( ", "("), (" )", ")"), (" ,", ","), (" .", "."), (" ;", ";"), (" :", ":")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        while let last = s.last, ".:;, ".contains(last) { s.removeLast() }
        return s
    }

    /// "6.4." → "6.4", "1)" → "1", "." → "": the STT as a code, or "" when it is none.
    static func code(fromSTT stt: String) -> String {
        var s = clean(stt, limit: 40)
        while let last = s.last, last == "." || last == ")" { s.removeLast() }
        guard s.wholeMatch(of: /\d{1,3}(\.\d{1,3}){0,5}/) != nil else { return "" }
        return s
    }

    /// Words shared by two keys over words in either (0…1): how alike two printed names are.
    static func similarity(_ a: String, _ b: String) -> Double {
        let x = Set(a.split(separator: " ")), y = Set(b.split(separator: " "))
        let union = x.union(y).count
        return union == 0 ? 0 : Double(x.intersection(y).count) / Double(union)
    }

    /// "Tỷ lệ …" → the same with its first letter upper-cased.
    static func upperFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return String(first).uppercased() + text.dropFirst()
    }

    /// A short quotation of a cell for a message.
    static func quote(_ text: String, _ length: Int = 60) -> String {
        let line = clean(text, limit: length * 4)
        return line.count > length ? String(line.prefix(length)) + "…" : line
    }
}
