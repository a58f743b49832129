import Foundation

/// The findings written for a command line ("Dòng 12: …" and a closing count)
/// or as JSON (`findings` plus counts), for `baocao check-text`.
public enum NarrativeReport {
    public struct Counts: Codable, Sendable, Equatable {
        public var total: Int
        public var open: Int
        public var acknowledged: Int
        /// By rule raw value: "breakdown_sum" → 2.
        public var byRule: [String: Int]
    }

    public struct Document: Codable, Sendable {
        public var findings: [NarrativeFinding]
        public var counts: Counts
    }

    public static func counts(_ findings: [NarrativeFinding]) -> Counts {
        var byRule: [String: Int] = [:]
        for finding in findings { byRule[finding.rule.rawValue, default: 0] += 1 }
        let acknowledged = findings.filter(\.isAcknowledged).count
        return Counts(total: findings.count, open: findings.count - acknowledged, acknowledged: acknowledged, byRule: byRule)
    }

    /// One line per finding, then "Tổng cộng: 3 cảnh báo (1 đã kiểm tra)." or "Không có cảnh báo nào.".
    public static func text(_ findings: [NarrativeFinding]) -> String {
        var lines = findings.map { finding -> String in
            var line = "Dòng \(finding.line): [\(finding.rule.label)] \(finding.message)"
            if let note = finding.acknowledgement { line += " (Đã kiểm tra: \(note))" }
            return line + " — Câu: “\(excerpt(finding.sentence))”"
        }
        let counts = counts(findings)
        if counts.total == 0 {
            lines.append("Không có cảnh báo nào về số liệu trong văn bản.")
        } else {
            var closing = "Tổng cộng: \(counts.total) cảnh báo"
            if counts.acknowledged > 0 { closing += " (\(counts.acknowledged) đã kiểm tra, \(counts.open) chưa kiểm tra)" }
            lines.append(closing + ".")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"counts": {…}, "findings": [{"id", "rule", "severity", "sentence", "line", "offset", "figures", "expected", "message"}]}`.
    public static func json(_ findings: [NarrativeFinding]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(findings: findings, counts: counts(findings)))
        return String(decoding: data, as: UTF8.self)
    }

    /// A long sentence cut to 200 characters for one line of output.
    static func excerpt(_ sentence: String) -> String {
        sentence.count <= 200 ? sentence : String(sentence.prefix(200)) + "…"
    }
}
