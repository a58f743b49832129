/// One sentence of a report's prose, with where it stands in the original text.
public struct NarrativeSentence: Sendable, Hashable {
    /// The sentence as read: markup (`**`, `*`, `<b>`, `<sup>…</sup>`) blanked, white space collapsed.
    public var text: String
    /// Line of the sentence's first character (from 1).
    public var line: Int
    /// Offset of the sentence's first character in the text, in characters (from 0).
    public var offset: Int
    /// A tab-separated table row: only citations are read from it, never sums or ratios.
    public var isTableRow: Bool
    /// Positions in `text` where a later line of the original begins, with that line.
    public var lineBreaks: [LineBreak] = []
    /// Identifies the sentence whatever its spacing, case or Unicode form: part of each finding's id.
    public var fingerprint: UInt64 = 0

    public struct LineBreak: Sendable, Hashable {
        public var position: Int
        public var line: Int
    }

    /// The original line of a position in `text`: a sentence may run over several lines.
    public func line(at position: Int) -> Int {
        lineBreaks.last(where: { $0.position <= position })?.line ?? line
    }
}

/// Splits prose into sentences without splitting inside "1.609.226", "97,45",
/// "48/KH-BCĐCĐS" or "14/3/2024", and keeps each sentence's line and offset.
///
/// The seeds are converted from Word/PDF: a sentence often runs over several
/// lines, even over a blank line ("ngày \n\n01/3/2024"). A line break ends a
/// sentence only after . ! ? ; : or before a list marker ("- ", "+ ", "• ").
public enum NarrativeSentenceSplitter {
    /// The most characters kept in one sentence; a longer run is cut into pieces.
    public static let maxSentenceLength = 8_000

    public static func split(_ text: String) -> [NarrativeSentence] {
        let original = Array(text)
        let characters = blankMarkup(original)
        var sentences: [NarrativeSentence] = []
        var line = 1
        var start: Int? = nil
        var startLine = 1
        var buffer: [Character] = []
        var tableRow = false
        var lineHasTab = false
        var breaks: [NarrativeSentence.LineBreak] = []

        func flush() {
            guard let begin = start else { return }
            while buffer.last == " " { buffer.removeLast() }
            if buffer.contains(where: { $0.isLetter || $0.isNumber }) {
                let text = String(buffer)
                sentences.append(
                    NarrativeSentence(
                        text: text, line: startLine, offset: begin, isTableRow: tableRow,
                        lineBreaks: breaks, fingerprint: NarrativeFinding.fingerprint(text)))
            }
            start = nil
            buffer.removeAll(keepingCapacity: true)
            breaks.removeAll()
            tableRow = false
        }

        var index = 0
        // Whether the current line (so far) holds a tab: rows of tables are sentences of their own.
        lineHasTab = lineContainsTab(characters, from: 0)
        while index < characters.count {
            let character = characters[index]
            if character.isNewline {
                // A table row ends at its line; prose continues unless the sentence looks finished.
                let previous = buffer.last(where: { !$0.isWhitespace })
                let nextLineStart = index + 1
                let nextHasTab = lineContainsTab(characters, from: nextLineStart)
                if lineHasTab || nextHasTab || previous.map(isTerminator) == true || startsListItem(characters, from: nextLineStart)
                    || startsFootnote(original, from: nextLineStart)
                {
                    flush()
                } else if start != nil {
                    if buffer.last != " " { buffer.append(" ") }
                    breaks.append(.init(position: buffer.count, line: line + 1))
                }
                line += 1
                lineHasTab = nextHasTab
                index += 1
                continue
            }
            if start == nil {
                if character.isWhitespace { index += 1; continue }
                start = index
                startLine = line
                tableRow = lineHasTab
            }
            if character.isWhitespace {
                if buffer.last != " " { buffer.append(" ") }
            } else {
                buffer.append(character)
            }
            if ".!?".contains(character), endsSentence(characters, at: index) {
                flush()
            } else if buffer.count >= maxSentenceLength {
                flush()
            }
            index += 1
        }
        flush()
        return sentences
    }

    static func isTerminator(_ character: Character) -> Bool { ".!?;:".contains(character) }

    /// A full stop ends a sentence when white space or the end follows; a dot
    /// between digits (1.609.226) or before a letter (V/v.x) does not.
    static func endsSentence(_ characters: [Character], at index: Int) -> Bool {
        let next = index + 1
        guard next < characters.count else { return true }
        guard characters[next].isWhitespace else { return false }
        // "3.1. Thể chế số": a heading number is kept with its heading.
        var back = index - 1
        var digits = 0
        while back >= 0, characters[back].isNumber || characters[back] == "." { if characters[back].isNumber { digits += 1 }; back -= 1 }
        let atLineStart = back < 0 || characters[back].isNewline || (characters[back] == " " && isBlankBefore(characters, back))
        if digits > 0 && atLineStart { return false }
        return true
    }

    static func isBlankBefore(_ characters: [Character], _ index: Int) -> Bool {
        var back = index
        while back >= 0, characters[back] == " " || characters[back] == "\t" { back -= 1 }
        return back < 0 || characters[back].isNewline
    }

    static func lineContainsTab(_ characters: [Character], from index: Int) -> Bool {
        var cursor = index
        while cursor < characters.count, !characters[cursor].isNewline {
            if characters[cursor] == "\t" { return true }
            cursor += 1
        }
        return false
    }

    /// "- ", "+ ", "• ", "a) " or "1. " at the start of the next non-blank line.
    static func startsListItem(_ characters: [Character], from index: Int) -> Bool {
        var cursor = index
        while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
        guard cursor < characters.count else { return true }
        let first = characters[cursor]
        let second = cursor + 1 < characters.count ? characters[cursor + 1] : " "
        if "-+•–".contains(first) && second.isWhitespace { return true }
        return false
    }

    /// A footnote's own line: "<sup>4</sup> Sở …", "⁴ Sở …" (Word's raised mark) or, indented, "   1 Quyết định số …".
    static func startsFootnote(_ characters: [Character], from index: Int) -> Bool {
        var cursor = index
        var indented = false
        while cursor < characters.count, characters[cursor] == " " || characters[cursor] == "\t" { cursor += 1; indented = true }
        if cursor + 5 <= characters.count, String(characters[cursor..<(cursor + 5)]).lowercased() == "<sup>" { return true }
        if cursor < characters.count, superscriptDigits.contains(characters[cursor]) { return true }
        guard indented else { return false }
        var digits = 0
        while cursor < characters.count, characters[cursor].isASCIIDigit, digits < 3 { cursor += 1; digits += 1 }
        guard digits > 0, cursor + 1 < characters.count, characters[cursor] == " " else { return false }
        return characters[cursor + 1].isUppercase
    }

    /// Footnote marks as Word raises them (the DOCX reader writes raised digits so).
    static let superscriptDigits: Set<Character> = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]

    /// Blanks the markup of the converted seeds, one space per character so offsets stay:
    /// `**`, `*`, `<b>`, `</b>`, `<i>`, `</i>`, footnote marks `<sup>17</sup>` whole, and raised digits.
    static func blankMarkup(_ input: [Character]) -> [Character] {
        var characters = input
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "*" || character == "#" && (index == 0 || characters[index - 1].isNewline || characters[index - 1] == "#")
                || superscriptDigits.contains(character)
            {
                characters[index] = " "
            } else if character == "<" {
                if let end = tagEnd(characters, from: index) {
                    let tag = String(characters[index...end]).lowercased()
                    var last = end
                    if tag == "<sup>", let close = find("</sup>", in: characters, from: end + 1, within: 40) { last = close + 5 }
                    if ["<b>", "</b>", "<i>", "</i>", "<sup>", "</sup>", "<u>", "</u>", "<br>"].contains(tag) || last != end {
                        for position in index...last where !characters[position].isNewline { characters[position] = " " }
                        index = last
                    }
                }
            }
            index += 1
        }
        return characters
    }

    static func tagEnd(_ characters: [Character], from index: Int) -> Int? {
        var cursor = index + 1
        while cursor < characters.count, cursor - index <= 6 {
            if characters[cursor] == ">" { return cursor }
            cursor += 1
        }
        return nil
    }

    static func find(_ needle: String, in characters: [Character], from index: Int, within limit: Int) -> Int? {
        let pattern = Array(needle)
        var cursor = index
        while cursor + pattern.count <= characters.count, cursor - index <= limit {
            if Array(characters[cursor..<(cursor + pattern.count)]).map({ Character($0.lowercased()) }) == pattern { return cursor }
            cursor += 1
        }
        return nil
    }
}
