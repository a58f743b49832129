/// Totals and their breakdowns: "1.250 hồ sơ (trực tuyến 900, trực tiếp 300)",
/// "56 hồ sơ (trong đó tiếp nhận mới 49 hồ sơ, kỳ trước chuyển sang 07 hồ sơ)",
/// "13.196 (10712 + 2484)", "190 phản ánh …, trong đó: …: 117 phản ánh; …: 73 phản ánh".
///
/// Only a list that reads as a breakdown is summed: every part short and holding
/// exactly one count, none approximate. "trong đó có …" names a subset, so it is
/// flagged only when the parts exceed the total.
enum BreakdownRule {
    /// The longest parenthesis read as a breakdown.
    static let maxParenthesis = 600
    /// The most characters between a total and its parenthesis or "trong đó".
    static let maxGap = 80

    /// A total and its parts as read from a sentence, right or wrong.
    struct Breakdown {
        var total: NarrativeToken
        var parts: [NarrativeToken]
        var subset: Bool
    }

    static func findings(_ scanned: ScannedSentence) -> [NarrativeFinding] {
        breakdowns(scanned).compactMap { compare(scanned, total: $0.total, parts: $0.parts, subset: $0.subset) }
    }

    /// Every breakdown the sentence states.
    static func breakdowns(_ scanned: ScannedSentence) -> [Breakdown] {
        var found: [Breakdown] = []
        let characters = scanned.characters
        for (open, close) in scanned.closing.sorted(by: { $0.key < $1.key }).prefix(ScannedSentence.maxCandidates)
        where close - open <= maxParenthesis {
            guard let total = totalToken(scanned, before: open) else { continue }
            guard let parts = parts(scanned, open + 1..<close) else { continue }
            found.append(Breakdown(total: total, parts: parts.tokens, subset: parts.subset))
        }
        // "N …, trong đó: A; B": a breakdown that runs to the end of the sentence.
        for position in markerPositions(characters, "trong đó").prefix(ScannedSentence.maxCandidates) {
            let after = position + 8
            // Inside a parenthesis it was read above.
            if position < scanned.depth.count, scanned.depth[position] > 0 { continue }
            guard let total = totalToken(scanned, before: position, allowComma: true) else { continue }
            let limit = min(characters.count, after + maxParenthesis + 1)
            let end = characters[after..<limit].firstIndex(of: ".") ?? limit
            guard let parts = parts(scanned, after..<end, leadAlreadyStripped: true) else { continue }
            found.append(Breakdown(total: total, parts: parts.tokens, subset: parts.subset))
        }
        return found
    }

    static func compare(_ scanned: ScannedSentence, total: NarrativeToken, parts: [NarrativeToken], subset: Bool) -> NarrativeFinding? {
        guard let totalValue = total.count else { return nil }
        let values = parts.compactMap(\.count)
        guard values.count == parts.count, let sum = ExactNumber.sum(values) else { return nil }
        if sum == totalValue || (subset && sum < totalValue) { return nil }
        let written = parts.map(\.text).joined(separator: " + ")
        let difference = (sum > totalValue ? sum - totalValue : totalValue - sum) ?? .zero
        let expected = "\(written) = \(NarrativeFormat.number(sum))"
        let larger = parts.contains { ($0.count ?? .zero) > totalValue }
        var message = "Tổng \(total.text) không khớp các thành phần: \(expected), chênh \(NarrativeFormat.number(difference)). "
        if larger { message += "Có thành phần lớn hơn cả tổng, nên ít nhất một số bị gõ sai. " }
        message += "Kiểm tra lại tổng và từng thành phần, rồi sửa câu cho khớp (hoặc nêu rõ phần còn lại nếu các thành phần chưa đủ)."
        return NarrativeFinding(
            rule: .breakdownSum, sentence: scanned.sentence, figures: [total.text] + parts.map(\.text),
            expected: expected, message: message, position: total.start)
    }

    /// The count just before a parenthesis or "trong đó", with only words between.
    /// Words before a number that make it a date, a rank or a reference, not a total.
    static let notTotals: Set<String> = [
        "năm", "tháng", "ngày", "quý", "số", "khoản", "điều", "mục", "lần", "giai", "đoạn", "kỳ",
        "khóa", "khoá", "phần", "chương", "mức", "độ", "nhóm", "loại", "lớp", "tuần"
    ]
    /// Words of a comparison or a rate: such a list is not a breakdown of the total.
    static let notParts = ["tăng", "giảm", "so với", "cùng kỳ", "lũy kế", "luỹ kế", "mỗi", "bình quân", "trung bình", "còn lại", "hơn"]

    static func totalToken(_ scanned: ScannedSentence, before position: Int, allowComma: Bool = false) -> NarrativeToken? {
        guard let token = scanned.lastToken(endingBy: position), token.count != nil, !token.approximate else { return nil }
        if let word = NarrativeNumberScanner.word(scanned.characters, before: token.start), notTotals.contains(word.lowercased()) {
            return nil
        }
        guard position - token.end <= maxGap else { return nil }
        let between = scanned.text(token.end..<position)
        let forbidden: String = allowComma ? ";:()" : ";:(),"
        guard !between.contains(where: { forbidden.contains($0) }) else { return nil }
        return token
    }

    /// The parts of a breakdown, or nil when the text is not one.
    static func parts(_ scanned: ScannedSentence, _ range: Range<Int>, leadAlreadyStripped: Bool = false)
        -> (tokens: [NarrativeToken], subset: Bool)?
    {
        let characters = scanned.characters
        guard range.count <= maxParenthesis, !range.isEmpty else { return nil }
        // Inner parentheses may hold only a share ("(tỷ lệ 0,95 %)"); their figures are not parts.
        var inner: [Range<Int>] = []
        var cursor = range.lowerBound
        while cursor < range.upperBound {
            if characters[cursor] == "(" {
                guard let close = scanned.closing[cursor], close < range.upperBound else { return nil }
                inner.append(cursor..<(close + 1))
                cursor = close + 1
                continue
            }
            if characters[cursor] == ")" { return nil }
            cursor += 1
        }
        let isInner: (NarrativeToken) -> Bool = { token in inner.contains { $0.contains(token.start) } }
        let inRange = scanned.tokens(in: range)
        guard inRange.count <= 64 else { return nil }
        for token in inRange where isInner(token) {
            guard token.isPercent else { return nil }
        }
        let tokens = inRange.filter { !isInner($0) }
        guard tokens.count >= 2 else { return nil }
        guard tokens.allSatisfy({ $0.count != nil && !$0.approximate }) else { return nil }

        // Lead words: "trong đó", "trong đó có", "gồm", "bao gồm", ":".
        var text = blanked(characters, range, inner).lowercased()
        guard text.count == range.count else { return nil }
        var subset = false
        var lead = text.drop(while: { $0 == " " || $0 == ":" })
        for word in ["trong đó", "bao gồm", "gồm", "có"] {
            if lead.hasPrefix(word) {
                lead = lead.dropFirst(word.count).drop(while: { $0 == " " || $0 == ":" })
                if word == "có" { subset = true }
            }
        }
        if leadAlreadyStripped, lead.hasPrefix("có ") { subset = true; lead = lead.dropFirst(3) }
        if lead.hasPrefix("có ") { subset = true; lead = lead.dropFirst(3) }
        text = String(lead)
        let offset = range.upperBound - text.count
        if notParts.contains(where: { text.contains($0) }) { return nil }

        // "10712 + 2484": a written sum.
        if text.contains("+") {
            let written = text.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
            guard written.count == tokens.count, zip(written, tokens).allSatisfy({ $0 == $1.text }) else { return nil }
            return (tokens, false)
        }
        // A list: parts split at ";" when there is one, else at "," and "và".
        let separators: Set<Character> = text.contains(";") ? [";"] : [","]
        let maxWords = separators.contains(";") ? 14 : 8
        var segments: [Range<Int>] = []
        var segmentStart = 0
        let lowered = Array(text)
        var index = 0
        while index < lowered.count {
            let isAnd = !separators.contains(";") && index + 4 <= lowered.count && String(lowered[index..<(index + 4)]) == " và "
            if separators.contains(lowered[index]) || isAnd {
                segments.append(segmentStart..<index)
                index += isAnd ? 4 : 1
                segmentStart = index
                continue
            }
            index += 1
        }
        segments.append(segmentStart..<lowered.count)
        var parts: [NarrativeToken] = []
        var pendingWords = 0
        for segment in segments {
            let absolute = (segment.lowerBound + offset)..<(segment.upperBound + offset)
            let inside = tokens.filter { absolute.contains($0.start) }
            let words = String(lowered[segment]).split(separator: " ").count
            if inside.isEmpty {
                // A label split off by a comma ("sở, ngành: 47"): joins the next part.
                pendingWords += words
                continue
            }
            guard inside.count == 1, words + pendingWords <= maxWords else { return nil }
            pendingWords = 0
            parts.append(inside[0])
        }
        guard parts.count >= 2, pendingWords <= 3, parts.count == tokens.count else { return nil }
        return (parts, subset)
    }

    /// Where a lowercase marker starts in the characters, case-insensitively, in one pass.
    static func markerPositions(_ characters: [Character], _ marker: String) -> [Int] {
        let pattern = Array(marker)
        guard let first = pattern.first, characters.count >= pattern.count else { return [] }
        var positions: [Int] = []
        var index = 0
        while index + pattern.count <= characters.count {
            if characters[index].lowercased().first == first,
                (1..<pattern.count).allSatisfy({ characters[index + $0].lowercased().first == pattern[$0] })
            {
                positions.append(index)
                index += pattern.count
                continue
            }
            index += 1
        }
        return positions
    }

    /// The text of a range with inner parentheses blanked (same length).
    static func blanked(_ characters: [Character], _ range: Range<Int>, _ inner: [Range<Int>]) -> String {
        var result = Array(characters[range])
        for part in inner {
            for position in part where range.contains(position) { result[position - range.lowerBound] = " " }
        }
        return String(result)
    }
}
