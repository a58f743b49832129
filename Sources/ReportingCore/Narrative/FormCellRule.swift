import Foundation

/// A figure the prose gives for a row of the report's own form, against the cell:
/// a sentence that names the row's indicator ("Tỷ lệ hồ sơ trực tuyến … đạt 97,1%")
/// and states a percentage or count right after the name.
///
/// Matching is strict, to stay quiet on text about other measures: the words of the
/// indicator's name (without its note in brackets) must appear in the clause, in order.
enum FormCellRule {
    /// The rows with a value, with their names as matched: built once per check.
    struct Row {
        var indicator: Indicator
        var name: String
        var words: Set<Substring>
        var cell: ExactNumber
    }

    static func rows(_ context: NarrativeContext) -> [Row] {
        guard let form = context.form else { return [] }
        return form.indicators.compactMap { indicator in
            guard !indicator.isHeading, let cell = context.values[indicator.code] else { return nil }
            let name = keyName(indicator.name)
            let words = Set(name.split(separator: " "))
            return name.count >= 12 ? Row(indicator: indicator, name: name, words: words, cell: cell) : nil
        }
    }

    static func findings(_ scanned: ScannedSentence, context: NarrativeContext) -> [NarrativeFinding] {
        findings(scanned, rows: rows(context), formID: context.form?.id ?? "")
    }

    static func findings(_ scanned: ScannedSentence, rows: [Row], formID: String) -> [NarrativeFinding] {
        guard !rows.isEmpty, !scanned.tokens.isEmpty else { return [] }
        var findings: [NarrativeFinding] = []
        let lowered = scanned.sentence.text.lowercased()
        let words = Set(lowered.split(separator: " "))
        for row in rows where row.words.isSubset(of: words) {
            let indicator = row.indicator, cell = row.cell, name = row.name
            guard let range = lowered.range(of: name) else { continue }
            let nameEnd = lowered.distance(from: lowered.startIndex, to: range.upperBound)
            // The first figure after the name, in the same clause.
            guard let token = scanned.tokens.first(where: { $0.start >= nameEnd }), token.start - nameEnd <= 30,
                !scanned.text(nameEnd..<token.start).contains(where: { ";.()".contains($0) }),
                let value = token.number, !token.approximate,
                token.isPercent == (indicator.unit == .percent)
            else { continue }
            let unit = Double(1) / Double(ExactNumber.power(Int8(token.decimals)))
            if abs(value.doubleValue - cell.doubleValue) < unit - 1e-9 { continue }
            let cellText = VietnameseNumber.format(cell) + (indicator.unit == .percent ? "%" : "")
            findings.append(
                NarrativeFinding(
                    rule: .formCell, sentence: scanned.sentence, figures: [token.text, "\(indicator.code) = \(cellText)"],
                    expected: cellText,
                    message:
                        "Câu nêu \(token.text) cho chỉ tiêu \(indicator.printedLabel) “\(indicator.name)”, nhưng ô số liệu của biểu mẫu "
                        + "\(formID) là \(cellText). Sửa câu hoặc ô số liệu cho khớp.", position: token.start))
        }
        return findings
    }

    /// The indicator's name lowercased, without "(…)" notes and trailing punctuation.
    static func keyName(_ name: String) -> String {
        var result = ""
        var depth = 0
        for character in name {
            if character == "(" { depth += 1; continue }
            if character == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { result.append(character) }
        }
        return result.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            .trimmingCharacters(in: .init(charactersIn: " .:;,"))
    }
}
