import Foundation

/// Why a text cannot be checked, in Vietnamese.
public enum NarrativeCheckError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int)

    public var description: String {
        switch self {
        case .tooLarge(let bytes):
            return "Văn bản dài \(VietnameseNumber.format(ExactNumber(bytes))) byte, quá giới hạn "
                + "\(VietnameseNumber.format(ExactNumber(NarrativeCheck.maxBytes))) byte (2 MB) của một lần kiểm tra. "
                + "Hãy tách báo cáo thành nhiều phần, hoặc bỏ các phụ lục bảng biểu, rồi kiểm tra từng phần."
        }
    }
}

/// Checks the figures a Vietnamese report's prose states: totals and their
/// breakdowns, ratios, claims against targets and the form, the count of
/// documents issued, and the dates of the documents cited.
public enum NarrativeCheck {
    /// The largest text checked at once: 2 MB (seed 001, the longest, is 120 KB).
    public static let maxBytes = 2 * 1024 * 1024

    /// Every finding, in the order of the text; findings marked in `context.acknowledgements` carry their note.
    public static func check(_ text: String, context: NarrativeContext = .none) throws(NarrativeCheckError) -> [NarrativeFinding] {
        let bytes = text.utf8.count
        guard bytes <= maxBytes else { throw .tooLarge(bytes: bytes) }
        let sentences = NarrativeSentenceSplitter.split(text)
        var findings: [NarrativeFinding] = []
        var citations = DocumentCitations()
        let documents = context.documents ?? NarrativeAppendix.documentsIssued(in: text)
        let formRows = FormCellRule.rows(context)
        let formID = context.form?.id ?? ""
        for sentence in sentences {
            let characters = Array(sentence.text)
            let tokens = NarrativeNumberScanner.scan(characters)
            let scanned = ScannedSentence(sentence: sentence, characters: characters, tokens: tokens)
            citations.collect(scanned)
            if !sentence.isTableRow {
                findings += BreakdownRule.findings(scanned)
                findings += RatioRule.findings(scanned)
                findings += TargetClaimRule.findings(scanned, context: context)
                findings += FormCellRule.findings(scanned, rows: formRows, formID: formID)
                findings += DocumentCountRule.findings(scanned, documents: documents)
            }
        }
        findings += citations.findings(period: context.period)
        var seen: Set<String> = []
        var result: [NarrativeFinding] = []
        for var finding in findings.sorted(by: { ($0.offset, $0.rule.rawValue) < ($1.offset, $1.rule.rawValue) })
        where seen.insert(finding.id).inserted {
            finding.acknowledgement = context.acknowledgements[finding.id]
            result.append(finding)
        }
        return result
    }
}

/// A sentence with its characters and figures, read once and shared by the rules.
struct ScannedSentence {
    var sentence: NarrativeSentence
    var characters: [Character]
    var tokens: [NarrativeToken]
    /// The ")" closing each "(", found once with a stack (no rescans on deep nesting).
    let closing: [Int: Int]
    /// How many parentheses are open at each position.
    let depth: [Int]

    /// Most figures and parentheses a rule looks at in one sentence; the rest is not read as breakdowns or ratios.
    static let maxCandidates = 200

    init(sentence: NarrativeSentence, characters: [Character], tokens: [NarrativeToken]) {
        self.sentence = sentence
        self.characters = characters
        self.tokens = tokens
        var closing: [Int: Int] = [:]
        var depth = [Int](repeating: 0, count: characters.count)
        var stack: [Int] = []
        for (index, character) in characters.enumerated() {
            depth[index] = stack.count
            if character == "(" { stack.append(index) } else if character == ")", let open = stack.popLast() { closing[open] = index }
        }
        self.closing = closing
        self.depth = depth
    }

    /// The tokens starting inside a range of positions, in order (binary search: tokens are sorted).
    func tokens(in range: Range<Int>) -> ArraySlice<NarrativeToken> {
        let lower = firstToken(from: range.lowerBound), upper = firstToken(from: range.upperBound)
        return tokens[lower..<max(lower, upper)]
    }

    /// The index of the first token starting at or after a position.
    func firstToken(from position: Int) -> Int {
        var low = 0, high = tokens.count
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].start < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The last token that ends at or before a position.
    func lastToken(endingBy position: Int) -> NarrativeToken? {
        var index = firstToken(from: position) - 1
        // Tokens do not overlap, so at most one token starting before the position ends after it.
        while index >= 0 {
            if tokens[index].end <= position { return tokens[index] }
            index -= 1
        }
        return nil
    }

    func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, characters.count)), upper = max(lower, min(range.upperBound, characters.count))
        return String(characters[lower..<upper])
    }

    /// Lowercased text between two positions.
    func lowered(_ range: Range<Int>) -> String { text(range).lowercased() }
}

enum NarrativeFormat {
    static func number(_ value: ExactNumber) -> String { VietnameseNumber.format(value) }
}
