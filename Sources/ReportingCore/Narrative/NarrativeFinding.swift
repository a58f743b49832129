import Foundation

/// One figure of the prose that does not check out. Always a warning: prose may
/// round or approximate, so an officer confirms it or marks it "đã kiểm tra".
public struct NarrativeFinding: Codable, Sendable, Hashable {
    public enum Rule: String, Codable, Sendable, CaseIterable {
        /// "N … (trong đó A …; B …)": the parts do not add up to the total.
        case breakdownSum = "breakdown_sum"
        /// "a/b … đạt c%", "N (tỷ lệ c%)": c is not a / b × 100 within the text's rounding.
        case ratio
        /// "đạt x% (được giao y%)", "hoàn thành … A chỉ tiêu": the claim against the target.
        case targetClaim = "target_claim"
        /// A figure the prose gives for a row of the report's form differs from the cell.
        case formCell = "form_cell"
        /// "ban hành 07 Quyết định, 09 Kế hoạch …" against the register of documents (Phụ lục I).
        case documentCount = "document_count"
        /// A document dated after the end of the report's cut-off window.
        case documentDate = "document_date"
        /// The same document number cited with two different dates.
        case documentDuplicate = "document_duplicate"

        /// "Tổng và các thành phần", for the closing count line.
        public var label: String {
            switch self {
            case .breakdownSum: return "tổng không khớp các thành phần"
            case .ratio: return "tỷ lệ không khớp số liệu"
            case .targetClaim: return "đánh giá chỉ tiêu"
            case .formCell: return "khác số liệu biểu mẫu"
            case .documentCount: return "số văn bản khác Phụ lục I"
            case .documentDate: return "ngày văn bản ngoài kỳ báo cáo"
            case .documentDuplicate: return "một số văn bản, hai ngày khác nhau"
            }
        }
    }

    /// Stable across re-checks: the rule, the sentence without spacing and case differences, and the figures.
    public var id: String
    public var rule: Rule
    /// Always "warning".
    public var severity: String
    /// The sentence as read (markup removed).
    public var sentence: String
    /// Line of the figures (from 1; the sentence's first line unless it runs over several)
    /// and the offset of the sentence in the text, in characters (from 0).
    public var line: Int
    public var offset: Int
    /// The figures involved, as printed: ["1.305", "22", "125", "1.159"].
    public var figures: [String]
    /// What they should be, in words: "22 + 125 + 1.159 = 1.306".
    public var expected: String
    /// Vietnamese: the figures, what they should be, how to fix.
    public var message: String
    /// The note of an officer who marked the finding "đã kiểm tra"; nil while open.
    public var acknowledgement: String?

    /// `position`: where the figures start in the sentence, for the line of a sentence that runs over several.
    public init(rule: Rule, sentence: NarrativeSentence, figures: [String], expected: String, message: String, position: Int? = nil) {
        self.id = NarrativeFinding.stableID(rule: rule, fingerprint: sentence.fingerprint, figures: figures)
        self.rule = rule
        self.severity = "warning"
        self.sentence = sentence.text
        self.line = position.map { sentence.line(at: $0) } ?? sentence.line
        self.offset = sentence.offset
        self.figures = figures
        self.expected = expected
        self.message = message
        self.acknowledgement = nil
    }

    public var isAcknowledged: Bool { acknowledgement != nil }

    /// "breakdown_sum-" and 16 hex digits of FNV-1a over the normalised sentence and figures:
    /// the same on every run and machine (Swift's `Hasher` is seeded per process).
    public static func stableID(rule: Rule, sentence: String, figures: [String]) -> String {
        stableID(rule: rule, fingerprint: fingerprint(sentence), figures: figures)
    }

    static func stableID(rule: Rule, fingerprint: UInt64, figures: [String]) -> String {
        let hash = fnv(rule.rawValue + "|" + String(fingerprint, radix: 16) + "|" + figures.joined(separator: "|"))
        let hex = String(hash, radix: 16)
        return rule.rawValue + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// FNV-1a of the sentence in NFC, lowercased, one space between words.
    static func fingerprint(_ sentence: String) -> UInt64 {
        fnv(sentence.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
    }

    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
