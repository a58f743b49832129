/// A figure found in a sentence, with where it stands in the sentence (character positions).
public struct NarrativeToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// "1.609.226", "02", "97,45", "97,45%", "16.2%" (dot as decimal mark, only before %).
        case number(ExactNumber, percent: Bool)
        /// "56/56", "312.000/411.230".
        case fraction(ExactNumber, ExactNumber)
        /// "14/3/2024".
        case date(CivilDate)
        /// "48/KH-BCĐCĐS", "60/2021/NĐ-CP": a document's number and symbol.
        case documentNumber(String)
    }

    public var kind: Kind
    /// The figure as printed.
    public var text: String
    /// Character positions in the sentence: `start..<end`.
    public var start: Int
    public var end: Int
    /// Decimals as printed ("97,45" → 2, "83" → 0): how precise the text claims to be.
    public var decimals: Int
    /// "hơn 7.000", "khoảng 30", "trên 25%": an approximate figure, never checked as exact.
    public var approximate: Bool

    public var number: ExactNumber? {
        if case .number(let value, _) = kind { return value }
        return nil
    }

    public var isPercent: Bool {
        if case .number(_, let percent) = kind { return percent }
        return false
    }

    /// A count: a whole number without a percent sign.
    public var count: ExactNumber? {
        if case .number(let value, false) = kind, decimals == 0 { return value }
        return nil
    }
}

/// Finds the figures a Vietnamese sentence states, as the seeds write them:
/// "1.609.226", "02", "97,45%", "0,95 %", "10712", "56/56", "14/3/2024", "48/KH-BCĐCĐS".
///
/// A digit glued to a letter is not a figure ("ban hành1" is a footnote mark,
/// "H05" a code). Anything beyond the bounds of a cell (`ExactNumber`) is skipped.
public enum NarrativeNumberScanner {
    /// Words that make the next figure approximate.
    static let approximations: Set<String> = [
        "hơn", "trên", "khoảng", "gần", "xấp", "xỉ", "dưới", "tới", "ngót", "chừng", "tối",
        "thiểu", "đa", "ít", "nhất", "hàng", "vài", "lên"
    ]

    /// The longest run read as one figure; longer runs of digits are not figures.
    static let maxTokenLength = 60

    public static func scan(_ sentence: String) -> [NarrativeToken] {
        scan(Array(sentence))
    }

    static func scan(_ characters: [Character]) -> [NarrativeToken] {
        var tokens: [NarrativeToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character.isASCIIDigit else { index += 1; continue }
            if index > 0, characters[index - 1].isLetter || characters[index - 1].isNumber || "_.,".contains(characters[index - 1]) {
                // Inside a word or a code: skip the whole run of digits.
                while index < characters.count, characters[index].isASCIIDigit { index += 1 }
                continue
            }
            let start = index
            var sawSlash = false, sawLetter = false
            while index < characters.count, index - start < maxTokenLength {
                let current = characters[index]
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                if current.isASCIIDigit { index += 1; continue }
                if current == "." || current == ",", next?.isASCIIDigit == true, !sawLetter { index += 1; continue }
                if current == "/", let next, next.isLetter || next.isASCIIDigit { sawSlash = true; index += 1; continue }
                if sawSlash, current.isLetter { sawLetter = true; index += 1; continue }
                if sawLetter, current == "-" || current == "." || current == "&", let next, next.isLetter || next.isASCIIDigit {
                    index += 1; continue
                }
                break
            }
            if index - start >= maxTokenLength {
                while index < characters.count, !characters[index].isWhitespace { index += 1 }
                continue
            }
            // A run glued to a letter after it ("5G", "02km") is a name, not a figure.
            if !sawLetter, index < characters.count, characters[index].isLetter { index += 1; continue }
            let raw = String(characters[start..<index])
            let approximate = isApproximate(characters, before: start)
            if sawLetter {
                tokens.append(
                    NarrativeToken(
                        kind: .documentNumber(raw), text: raw, start: start, end: index,
                        decimals: 0, approximate: false))
                continue
            }
            let parts = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3 {
                if let day = Int(parts[0]), let month = Int(parts[1]), parts[2].count == 4, let year = Int(parts[2]),
                    parts[0].count <= 2, parts[1].count <= 2,
                    let date = CivilDate(validYear: year, month: month, day: day)
                {
                    tokens.append(NarrativeToken(kind: .date(date), text: raw, start: start, end: index, decimals: 0, approximate: false))
                }
                continue
            }
            if parts.count == 2 {
                // "tháng 6/2024", "14/3": month and year or day and month, not a fraction.
                let previousWord = word(characters, before: start)?.lowercased()
                if previousWord == "tháng" || previousWord == "ngày" || previousWord == "quý" { continue }
                if parts[1].count == 4, let year = Int(parts[1]), (1900...2100).contains(year), (Int(parts[0]) ?? 99) <= 12 { continue }
                guard let a = plainNumber(parts[0], percent: false), let b = plainNumber(parts[1], percent: false) else { continue }
                tokens.append(
                    NarrativeToken(
                        kind: .fraction(a.value, b.value), text: raw, start: start, end: index,
                        decimals: 0, approximate: approximate))
                continue
            }
            var end = index
            var percent = false
            if end < characters.count, characters[end] == "%" {
                percent = true; end += 1
            } else if end + 1 < characters.count, characters[end] == " ", characters[end + 1] == "%" {
                percent = true; end += 2
            }
            guard let parsed = plainNumber(raw, percent: percent) else { index = end; continue }
            tokens.append(
                NarrativeToken(
                    kind: .number(parsed.value, percent: percent), text: String(characters[start..<end]),
                    start: start, end: end, decimals: parsed.decimals, approximate: approximate))
            index = end
        }
        return tokens
    }

    /// "1.609.226", "97,45", "02"; with a percent sign also "16.2" (a dot as decimal mark).
    static func plainNumber(_ raw: String, percent: Bool) -> (value: ExactNumber, decimals: Int)? {
        switch VietnameseNumber.parse(raw) {
        case .success(let value): return (value, max(0, Int(value.scale)))
        case .failure(.ambiguousDot):
            guard percent, case .success(let value) = VietnameseNumber.parse(raw.replacingOccurrences(of: ".", with: ",")) else {
                return nil
            }
            return (value, max(0, Int(value.scale)))
        case .failure: return nil
        }
    }

    static func isApproximate(_ characters: [Character], before index: Int) -> Bool {
        var cursor = index
        for _ in 0..<2 {
            guard let (word, wordStart) = wordWithStart(characters, before: cursor) else { return false }
            if approximations.contains(word.lowercased()) { return true }
            cursor = wordStart
        }
        return false
    }

    static func word(_ characters: [Character], before index: Int) -> String? {
        wordWithStart(characters, before: index)?.0
    }

    /// The word just before a position, skipping spaces; nil at punctuation or the start.
    static func wordWithStart(_ characters: [Character], before index: Int) -> (String, Int)? {
        var end = index
        while end > 0, characters[end - 1] == " " { end -= 1 }
        var start = end
        while start > 0, characters[start - 1].isLetter { start -= 1 }
        guard start < end else { return nil }
        return (String(characters[start..<end]), start)
    }
}
