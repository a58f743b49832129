import Foundation

/// Ratios next to the counts they come from: "56/56 hồ sơ đạt 100%",
/// "312.000/411.230 (83%)", "16,2% tổng số DN (138/851 DN)", and a share of a
/// breakdown's total: "tiếp nhận 11.689 hồ sơ (11.577 trực tiếp, 112 trực tuyến (tỷ lệ 0,95 %))".
///
/// The printed percentage may be rounded or truncated at the decimals it shows:
/// it is right when it lies within one unit of its last decimal of a / b × 100.
enum RatioRule {
    /// The most characters between a fraction and its percentage.
    static let maxGap = 48
    static let documentWords: Set<String> = ["số", "định", "tư", "luật", "thị", "hoạch", "văn", "lệnh", "báo", "nghị"]
    static let shareLeads: Set<String> = ["", "tỷ lệ", "chiếm", "chiếm tỷ lệ", "đạt", "đạt tỷ lệ", "bằng"]

    /// A printed percentage with the counts it comes from, right or wrong.
    struct Ratio {
        var numerator: ExactNumber
        var denominator: ExactNumber
        var percent: NarrativeToken
        var figures: [String]
        var written: String
    }

    static func findings(_ scanned: ScannedSentence) -> [NarrativeFinding] {
        ratios(scanned).compactMap {
            check(
                scanned, numerator: $0.numerator, denominator: $0.denominator, percent: $0.percent,
                figures: $0.figures, written: $0.written)
        }
    }

    /// Every ratio the sentence states next to its counts.
    static func ratios(_ scanned: ScannedSentence) -> [Ratio] {
        var found: [Ratio] = []
        let tokens = scanned.tokens
        for (index, token) in tokens.enumerated().prefix(ScannedSentence.maxCandidates * 4) {
            guard case .fraction(let a, let b) = token.kind, !token.approximate else { continue }
            // "Nghị định 42/2022": a document's number and year, not a fraction.
            if let (word, start) = NarrativeNumberScanner.wordWithStart(scanned.characters, before: token.start) {
                let lowered = word.lowercased()
                if documentWords.contains(lowered) { continue }
                // "Nghị quyết 42/2022", but not "giải quyết 2/3".
                if lowered == "quyết", NarrativeNumberScanner.word(scanned.characters, before: start)?.lowercased() == "nghị" { continue }
            }
            // "a/b … c%" or "c% … (a/b)".
            var percent: NarrativeToken?
            if index + 1 < tokens.count, tokens[index + 1].isPercent, tokens[index + 1].start - token.end <= maxGap,
                !scanned.text(token.end..<tokens[index + 1].start).contains(where: { ";:,".contains($0) }),
                scanned.text(token.end..<tokens[index + 1].start).split(separator: " ").count <= 6
            {
                percent = tokens[index + 1]
            } else if index > 0, tokens[index - 1].isPercent, token.start - tokens[index - 1].end <= maxGap * 2,
                scanned.text(tokens[index - 1].end..<token.start).hasSuffix("("),
                !scanned.text(tokens[index - 1].end..<token.start).contains(where: { ";:)".contains($0) })
            {
                percent = tokens[index - 1]
            }
            guard let percent, !percent.approximate else { continue }
            found.append(Ratio(numerator: a, denominator: b, percent: percent, figures: [token.text, percent.text], written: token.text))
        }
        return found + shares(scanned)
    }

    /// "N … (tỷ lệ c%)" where N is a part of a breakdown whose total comes before.
    static func shares(_ scanned: ScannedSentence) -> [Ratio] {
        var found: [Ratio] = []
        let characters = scanned.characters, tokens = scanned.tokens
        var candidates = 0
        for (index, percent) in tokens.enumerated() where percent.isPercent && !percent.approximate && index > 0 {
            // The percentage alone in its parenthesis, after an allowed lead.
            guard let open = (max(0, percent.start - 20)..<percent.start).last(where: { characters[$0] == "(" }) else { continue }
            candidates += 1
            if candidates > ScannedSentence.maxCandidates { break }
            let lead = scanned.lowered((open + 1)..<percent.start).trimmingCharacters(in: .whitespaces)
            guard shareLeads.contains(lead), percent.end < characters.count else { continue }
            let tail = scanned.text(percent.end..<min(characters.count, percent.end + 2)).trimmingCharacters(in: .whitespaces)
            guard tail.hasPrefix(")") else { continue }
            let part = tokens[index - 1]
            guard let numerator = part.count, !part.approximate, part.end <= open, open - part.end <= 40,
                !scanned.text(part.end..<open).contains(where: { ";:,()".contains($0) })
            else { continue }
            guard let total = shareTotal(scanned, before: part.start), let denominator = total.count else { continue }
            found.append(
                Ratio(
                    numerator: numerator, denominator: denominator, percent: percent,
                    figures: [part.text, total.text, percent.text], written: "\(part.text)/\(total.text)"))
        }
        return found
    }

    /// The total a part belongs to: the count just before the nearest "trong đó", "gồm" or open parenthesis.
    static func shareTotal(_ scanned: ScannedSentence, before position: Int) -> NarrativeToken? {
        let characters = scanned.characters
        var depth = 0
        var index = position - 1
        while index >= 0, position - index <= 400 {
            let character = characters[index]
            if character == ")" { depth += 1 }
            if character == "(" {
                if depth == 0 { return BreakdownRule.totalToken(scanned, before: index) }
                depth -= 1
            }
            if depth == 0, character == " ", index + 1 < characters.count, "tTgG".contains(characters[index + 1]) {
                let ahead = scanned.lowered((index + 1)..<min(characters.count, index + 9))
                if ahead.hasPrefix("trong đó") || ahead.hasPrefix("gồm ") {
                    return BreakdownRule.totalToken(scanned, before: index, allowComma: true)
                }
            }
            if depth == 0, character == ".", index + 1 >= characters.count || characters[index + 1] == " " { return nil }
            index -= 1
        }
        return nil
    }

    static func check(
        _ scanned: ScannedSentence, numerator: ExactNumber, denominator: ExactNumber, percent: NarrativeToken,
        figures: [String], written: String
    ) -> NarrativeFinding? {
        guard let printed = percent.number, denominator > .zero else { return nil }
        let ratio = numerator.doubleValue / denominator.doubleValue * 100
        guard ratio.isFinite else { return nil }
        let unit = pow(10, -Double(percent.decimals))
        if abs(ratio - printed.doubleValue) < unit - 1e-9 { return nil }
        let rounded = VietnameseNumber.formatPercent(ratio, decimals: Int8(max(percent.decimals, 2)))
        let atPrinted = VietnameseNumber.formatPercent(ratio, decimals: Int8(percent.decimals))
        let expected = "\(written) = \(rounded)"
        let message =
            "Tỷ lệ \(percent.text) không khớp số liệu: \(written) × 100 = \(rounded), "
            + "viết với \(percent.decimals) chữ số thập phân là \(atPrinted). "
            + "Sửa tỷ lệ thành \(atPrinted), hoặc kiểm tra lại tử số và mẫu số."
        return NarrativeFinding(
            rule: .ratio, sentence: scanned.sentence, figures: figures, expected: expected, message: message,
            position: percent.start)
    }
}
