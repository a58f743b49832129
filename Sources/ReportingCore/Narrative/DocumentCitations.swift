import Foundation

/// Documents cited with their number and date ("Kế hoạch số 48/KH-BCĐCĐS ngày
/// 01/3/2024"), gathered over the whole text: a date after the end of the
/// report's cut-off window, and one number cited with two different dates.
struct DocumentCitations {
    struct Citation {
        var number: String
        var key: String
        var date: CivilDate
        var dateText: String
        var sentence: NarrativeSentence
        var position: Int
        var line: Int { sentence.line(at: position) }
    }

    /// Most citations kept; a text with more is checked on its first ones.
    static let maxCitations = 20_000
    private(set) var citations: [Citation] = []

    mutating func collect(_ scanned: ScannedSentence) {
        let tokens = scanned.tokens
        for (index, token) in tokens.enumerated() where index + 1 < tokens.count {
            guard case .documentNumber(let number) = token.kind, case .date(let date) = tokens[index + 1].kind else { continue }
            let between = scanned.lowered(token.end..<tokens[index + 1].start).trimmingCharacters(in: .whitespaces)
            guard ["ngày", ", ngày", "ngày:", "ban hành ngày"].contains(between) else { continue }
            guard citations.count < DocumentCitations.maxCitations else { return }
            citations.append(
                Citation(
                    number: number, key: DocumentCitations.key(number), date: date,
                    dateText: tokens[index + 1].text, sentence: scanned.sentence, position: token.start))
        }
    }

    /// "48/KH-BCĐCĐS", "48/kh-bcđcđs" and "48/KH-BCÐCÐS" (Latin Eth) are one number.
    static func key(_ number: String) -> String {
        DocumentText.fold(number).uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ".,;:"))
    }

    func findings(period: Period?) -> [NarrativeFinding] {
        var findings: [NarrativeFinding] = []
        if let period {
            let end = period.cutOff.upperBound
            for citation in citations where citation.date > end {
                findings.append(
                    NarrativeFinding(
                        rule: .documentDate, sentence: citation.sentence, figures: [citation.number, citation.dateText],
                        expected: "ngày không sau \(end.vietnamese)",
                        message: "Văn bản \(citation.number) ghi ngày \(citation.date.vietnamese), sau ngày chốt số liệu \(end.vietnamese) "
                            + "của kỳ \(period.label) (\(period.cutOff.lowerBound.vietnamese) – \(end.vietnamese)). "
                            + "Kiểm tra lại ngày ban hành (thường là gõ nhầm năm), hoặc bỏ văn bản ra khỏi báo cáo kỳ này.",
                        position: citation.position))
            }
        }
        var firstByKey: [String: Citation] = [:]
        var reported: Set<String> = []
        for citation in citations {
            guard let first = firstByKey[citation.key] else { firstByKey[citation.key] = citation; continue }
            let pair = citation.key + "|" + citation.date.description
            guard first.date != citation.date, reported.insert(pair).inserted else { continue }
            findings.append(
                NarrativeFinding(
                    rule: .documentDuplicate, sentence: citation.sentence,
                    figures: [citation.number, first.dateText, citation.dateText],
                    expected: "một ngày cho văn bản \(citation.number)",
                    message: "Văn bản số \(citation.number) được dẫn với hai ngày khác nhau: \(first.date.vietnamese) (dòng \(first.line)) "
                        + "và \(citation.date.vietnamese) (dòng \(citation.line)). Một số văn bản chỉ có một ngày ban hành: "
                        + "sửa ngày sai, hoặc sửa số hiệu nếu đây là hai văn bản khác nhau.", position: citation.position))
        }
        return findings
    }
}
