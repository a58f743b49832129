import Foundation

/// Claims against targets: "đạt x% (được giao y%)" must agree with its verb
/// ("vượt", "chưa đạt", "đạt"), and "N chỉ tiêu, … hoàn thành … A chỉ tiêu, đang
/// thực hiện B chỉ tiêu" must add up, and agree with the plan's thresholds and
/// the reported results when the context has them.
enum TargetClaimRule {
    static func findings(_ scanned: ScannedSentence, context: NarrativeContext) -> [NarrativeFinding] {
        givenFindings(scanned) + countFindings(scanned, context: context)
    }

    /// "đạt 79,08% (được giao 70%)".
    static func givenFindings(_ scanned: ScannedSentence) -> [NarrativeFinding] {
        var findings: [NarrativeFinding] = []
        let tokens = scanned.tokens
        for (index, result) in tokens.enumerated() where result.isPercent && !result.approximate && index + 1 < tokens.count {
            let target = tokens[index + 1]
            guard target.isPercent, let value = result.number, let given = target.number else { continue }
            let between = scanned.lowered(result.end..<target.start).trimmingCharacters(in: .whitespaces)
            guard between == "(được giao" || between == "(chỉ tiêu được giao" || between == "(kế hoạch giao" else { continue }
            // The verb of this clause: from the last ";" before the result.
            let clauseStart = scanned.characters[..<result.start].lastIndex(where: { $0 == ";" }).map { $0 + 1 } ?? 0
            let clause = scanned.lowered(clauseStart..<result.start)
            let problem: String?
            if clause.contains("chưa đạt") || clause.contains("không đạt") {
                problem = value >= given ? "câu viết “chưa đạt” nhưng \(result.text) không thấp hơn mức được giao \(target.text)" : nil
            } else if clause.contains("vượt") {
                problem = value <= given ? "câu viết “vượt” nhưng \(result.text) không cao hơn mức được giao \(target.text)" : nil
            } else if clause.contains("đạt") || clause.contains("hoàn thành") {
                problem = value < given ? "câu viết “đạt” nhưng \(result.text) thấp hơn mức được giao \(target.text)" : nil
            } else {
                problem = nil
            }
            guard let problem else { continue }
            let expected = value < given ? "chưa đạt (\(result.text) < \(target.text))" : "đạt (\(result.text) ≥ \(target.text))"
            findings.append(
                NarrativeFinding(
                    rule: .targetClaim, sentence: scanned.sentence, figures: [result.text, target.text],
                    expected: expected,
                    message: "Đánh giá chỉ tiêu không khớp số liệu: \(problem). Sửa lời đánh giá thành "
                        + "“\(expected)”, hoặc kiểm tra lại kết quả.", position: result.start))
        }
        return findings
    }

    /// "thực hiện 28 chỉ tiêu, đến nay đã hoàn thành và vượt mức 17 chỉ tiêu, đang thực hiện 11 chỉ tiêu".
    static func countFindings(_ scanned: ScannedSentence, context: NarrativeContext) -> [NarrativeFinding] {
        let lowered = scanned.sentence.text.lowercased()
        guard lowered.contains("chỉ tiêu"), lowered.contains("hoàn thành") else { return [] }
        let pattern =
            /(\d{1,4}) chỉ tiêu[^0-9]{0,80}?hoàn thành[^0-9]{0,30}?(\d{1,4}) chỉ tiêu[^0-9]{0,40}?(?:đang thực hiện|chưa hoàn thành|chưa đạt)[^0-9]{0,10}?(\d{1,4}) chỉ tiêu/
        guard let match = lowered.firstMatch(of: pattern),
            let total = Int(match.output.1), let done = Int(match.output.2), let open = Int(match.output.3)
        else { return [] }
        let figures = [String(match.output.1), String(match.output.2), String(match.output.3)]
        let position = lowered.distance(from: lowered.startIndex, to: match.range.lowerBound)
        var findings: [NarrativeFinding] = []
        if done + open != total {
            findings.append(
                NarrativeFinding(
                    rule: .targetClaim, sentence: scanned.sentence, figures: figures, expected: "\(done) + \(open) = \(done + open)",
                    message: "Số chỉ tiêu không cộng đủ: hoàn thành \(figures[1]) + đang thực hiện \(figures[2]) = \(done + open), "
                        + "không phải \(figures[0]) chỉ tiêu. Sửa một trong ba số cho khớp.", position: position))
        }
        guard let plan = context.plan, !context.targetResults.isEmpty else { return findings }
        let evaluations = plan.targets.map { target in
            TargetEvaluator.evaluate(target, reported: context.targetResults[target.code], level: context.unitKind)
        }
        let achieved = evaluations.filter { $0.status == .achieved }
        if plan.targets.count != total {
            findings.append(
                NarrativeFinding(
                    rule: .targetClaim, sentence: scanned.sentence, figures: [figures[0]], expected: "\(plan.targets.count) chỉ tiêu",
                    message: "Câu nêu \(figures[0]) chỉ tiêu nhưng \(plan.title) có \(plan.targets.count) chỉ tiêu. "
                        + "Sửa tổng số chỉ tiêu.", position: position))
        }
        if achieved.count != done {
            let notAchieved = evaluations.filter { $0.status != .achieved }.map(\.code)
            let noData = evaluations.filter { $0.status == .noData }.map(\.code)
            var message =
                "Câu nêu đã hoàn thành \(figures[1]) chỉ tiêu, nhưng theo kết quả báo cáo và ngưỡng của \(plan.title) "
                + "chỉ \(achieved.count) chỉ tiêu đạt; chưa đạt hoặc chưa có số liệu: \(notAchieved.joined(separator: ", "))"
            if !noData.isEmpty { message += " (chưa có số liệu: \(noData.joined(separator: ", ")))" }
            message +=
                ". Sửa số chỉ tiêu hoàn thành thành \(achieved.count), "
                + "hoặc kiểm tra lại kết quả của chỉ tiêu được tính là đạt (lưu ý ngưỡng “trên” phải lớn hơn hẳn)."
            findings.append(
                NarrativeFinding(
                    rule: .targetClaim, sentence: scanned.sentence, figures: [figures[1]],
                    expected: "\(achieved.count) chỉ tiêu đạt", message: message, position: position))
        }
        return findings
    }
}
