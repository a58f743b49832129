/// "ban hành 07 Quyết định, 09 Kế hoạch, 42 văn bản chỉ đạo" against the
/// register of documents issued (Phụ lục I): the entries of each section, and
/// the kinds of the documents listed in it (a Chỉ thị listed under Quyết định).
enum DocumentCountRule {
    static func findings(_ scanned: ScannedSentence, documents: [NarrativeDocument]?) -> [NarrativeFinding] {
        guard let documents else { return [] }
        let lowered = scanned.sentence.text.lowercased()
        guard lowered.contains("ban hành") else { return [] }
        var stated: [(group: DocumentGroup, text: String, count: Int, position: Int)] = []
        for match in lowered.matches(of: /(?:^|[^0-9.,\/])(\d{1,4}) (quyết định|kế hoạch|văn bản chỉ đạo)(?![a-zà-ỹđ])/) {
            guard let count = Int(match.output.1),
                let group = DocumentGroup.allCases.first(where: { $0.countNoun == String(match.output.2) }),
                !stated.contains(where: { $0.group == group })
            else { continue }
            stated.append((group, String(match.output.1), count, lowered.distance(from: lowered.startIndex, to: match.range.lowerBound)))
        }
        // One noun alone may be any mention; the register sentence names at least two sections.
        guard stated.count >= 2 else { return [] }
        let sectioned = documents.contains { $0.listedIn != nil }
        var findings: [NarrativeFinding] = []
        for (group, text, count, position) in stated {
            let byKind = documents.filter { $0.reference?.kind.group == group }
            let listed = sectioned ? documents.filter { $0.listedIn == group } : byKind
            let foreign = listed.filter { ($0.reference?.kind.group).map { $0 != group } ?? false }
            let place = "Phụ lục I (mục \(group.numeral). \(group.title))"
            let message: String
            let expected: String
            if listed.count != count {
                expected = "\(VietnameseNumber.twoDigits(listed.count)) \(group.countNoun)"
                message =
                    "Câu nêu \(text) \(group.countNoun) nhưng \(place) có \(VietnameseNumber.twoDigits(listed.count)) văn bản. "
                    + "Sửa số trong câu, hoặc bổ sung văn bản còn thiếu vào Phụ lục I."
            } else if !foreign.isEmpty {
                let right = listed.count - foreign.count
                expected = "\(VietnameseNumber.twoDigits(right)) \(group.countNoun)"
                let names = foreign.compactMap(\.reference).map { "\($0.kind.label) số \($0.number)" }.joined(separator: ", ")
                message =
                    "Câu nêu \(text) \(group.countNoun) và \(place) có \(listed.count) dòng, nhưng \(names) không phải là "
                    + "\(group.countNoun): chỉ có \(VietnameseNumber.twoDigits(right)) \(group.countNoun). "
                    + "Chuyển văn bản đó sang đúng mục của Phụ lục I và sửa số trong câu."
            } else {
                continue
            }
            findings.append(
                NarrativeFinding(
                    rule: .documentCount, sentence: scanned.sentence, figures: ["\(text) \(group.countNoun)"],
                    expected: expected, message: message, position: position))
        }
        return findings
    }
}
