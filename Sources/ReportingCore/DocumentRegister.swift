import Foundation

/// The kind of a document in the register of documents issued in the period
/// (Phụ lục I): Quyết định, Kế hoạch, Chỉ thị, Công văn, Thông báo, Báo cáo.
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    case decision, plan, directive
    case officialLetter = "official_letter"
    case notice, report

    /// "Quyết định", as written at the start of a citation.
    public var label: String {
        switch self {
        case .decision: return "Quyết định"
        case .plan: return "Kế hoạch"
        case .directive: return "Chỉ thị"
        case .officialLetter: return "Công văn"
        case .notice: return "Thông báo"
        case .report: return "Báo cáo"
        }
    }

    /// "QĐ", the abbreviation used in document symbols (98/QĐ-UBND).
    public var abbreviation: String {
        switch self {
        case .decision: return "QĐ"
        case .plan: return "KH"
        case .directive: return "CT"
        case .officialLetter: return "CV"
        case .notice: return "TB"
        case .report: return "BC"
        }
    }

    /// The section of Phụ lục I the kind is listed and counted in.
    public var group: DocumentGroup {
        switch self {
        case .decision: return .decisions
        case .plan: return .plans
        case .directive, .officialLetter, .notice, .report: return .directions
        }
    }

    /// Reads a kind written loosely: "Quyết Định", "QUYẾT ĐỊNH", "quyết định", "QĐ".
    public init?(name: String) {
        let key = DocumentText.fold(name).trimmingCharacters(in: .whitespaces).lowercased()
        guard
            let kind = DocumentKind.allCases.first(where: {
                $0.label.lowercased() == key || $0.abbreviation.lowercased() == key || $0.rawValue == key
            })
        else { return nil }
        self = kind
    }
}

/// The sections of Phụ lục I. Seed 000's section III, "Các văn bản chỉ đạo",
/// mixes công văn, thông báo, chỉ thị and báo cáo, and its prose counts them
/// together ("15 văn bản chỉ đạo"), so they form one group.
public enum DocumentGroup: Int, Sendable, CaseIterable, Comparable {
    case decisions, plans, directions

    /// Section heading: "Quyết định", "Kế hoạch", "Các văn bản chỉ đạo".
    public var title: String {
        switch self {
        case .decisions: return "Quyết định"
        case .plans: return "Kế hoạch"
        case .directions: return "Các văn bản chỉ đạo"
        }
    }

    /// The noun the prose counts with: "01 quyết định".
    public var countNoun: String {
        switch self {
        case .decisions: return "quyết định"
        case .plans: return "kế hoạch"
        case .directions: return "văn bản chỉ đạo"
        }
    }

    /// Roman numeral of the section, as printed: I, II, III.
    public var numeral: String { ["I", "II", "III"][rawValue] }

    public static func < (lhs: DocumentGroup, rhs: DocumentGroup) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a pasted line could not be read, in Vietnamese for the user.
public enum DocumentParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case unknownKind(String)
    case missingNumber
    case missingDate
    case invalidDate(String)
    case ambiguousIssuer
    case missingSummary
    case tooLong
    case tooManyLines

    public var description: String {
        switch self {
        case .empty:
            return "dòng trống."
        case .unknownKind(let start):
            return
                "không nhận ra loại văn bản ở đầu dòng (“\(start)”): dòng phải bắt đầu bằng Quyết định, Kế hoạch, Chỉ thị, Công văn, Thông báo hoặc Báo cáo."
        case .missingNumber:
            return "thiếu số, ký hiệu văn bản (ví dụ “số 98/QĐ-UBND”)."
        case .missingDate:
            return "thiếu ngày ban hành (ví dụ “ngày 31/01/2024”)."
        case .invalidDate(let text):
            return "ngày ban hành “\(text)” không hợp lệ (viết theo dạng ngày/tháng/năm, ví dụ 31/01/2024)."
        case .ambiguousIssuer:
            return "không tách được cơ quan ban hành khỏi trích yếu: hãy viết “về” hoặc “V/v” trước trích yếu."
        case .missingSummary:
            return "thiếu trích yếu nội dung văn bản."
        case .tooLong:
            return "dòng dài quá \(DocumentReference.maxLineLength) ký tự: mỗi dòng chỉ ghi một văn bản."
        case .tooManyLines:
            return
                "quá \(DocumentRegister.maxLines) dòng trong một lần dán; các dòng từ đây trở đi chưa được đọc, hãy dán tiếp phần còn lại."
        }
    }
}

/// One document as cited in a register line: "Quyết định số 98/QĐ-UBND ngày
/// 31/01/2024 của UBND tỉnh về điều chỉnh, bổ sung mã định danh điện tử…".
public struct DocumentReference: Sendable, Hashable, Codable {
    public var kind: DocumentKind
    /// Number and symbol together, as printed: "98/QĐ-UBND".
    public var number: String
    public var date: CivilDate
    /// The issuing body; some lines name none ("Công văn số 211/UBND-KTTH ngày 15/01/2024 V/v …").
    public var issuer: String?
    /// Trích yếu: what the document is about, without the leading "về"/"V/v".
    public var summary: String

    public init(kind: DocumentKind, number: String, date: CivilDate, issuer: String?, summary: String) {
        self.kind = kind
        self.number = number
        self.date = date
        self.issuer = issuer
        self.summary = summary
    }

    /// The citation written back the way registers write it.
    public var citation: String {
        var text = "\(kind.label) số \(number) ngày \(date.vietnamese)"
        if let issuer, !issuer.isEmpty { text += " của \(issuer)" }
        return text + " về " + summary
    }

    /// Reads one pasted line, or nil when it is not a register line.
    public static func parse(_ line: String) -> DocumentReference? {
        try? parsing(line)
    }

    /// Reads one pasted line, saying what is missing when it cannot.
    ///
    /// The parts after the number come in either order ("ngày … của …" or
    /// "của … ngày …"); the summary starts at "về", "về việc", "V/v", or at
    /// the first text that is neither a date nor an issuer.
    /// Longest register line: a citation with a long summary is under 1,000 characters.
    public static let maxLineLength = 4_000

    public static func parsing(_ line: String) throws(DocumentParseError) -> DocumentReference {
        guard line.utf8.count <= maxLineLength * 4, line.count <= maxLineLength else { throw .tooLong }
        var words = DocumentText.words(DocumentText.stripListMarker(DocumentText.clean(line)))
        guard !words.isEmpty else { throw .empty }

        // Kind: a two-word name ("Quyết định") or, before "số", its abbreviation ("QĐ số").
        var kind: DocumentKind?
        if words.count >= 2,
            let found = DocumentKind.allCases.first(where: { $0.label.lowercased() == (words[0] + " " + words[1]).lowercased() })
        {
            kind = found
            words.removeFirst(2)
        } else if words.count >= 2, words[1].lowercased().hasPrefix("số"),
            let found = DocumentKind.allCases.first(where: { $0.abbreviation.lowercased() == words[0].lowercased() })
        {
            kind = found
            words.removeFirst()
        }
        guard let kind else { throw .unknownKind(words.prefix(3).joined(separator: " ")) }

        // Number and symbol: "số 98/QĐ-UBND", "số: 98/QĐ-UBND" or just "98/QĐ-UBND".
        if let first = words.first, first.lowercased() == "số" || first.lowercased() == "số:" { words.removeFirst() }
        guard let token = words.first.map({ DocumentText.trimPunctuation($0) }), token.contains(where: \.isNumber),
            token.first?.isNumber == true
        else { throw .missingNumber }
        words.removeFirst()

        var date: CivilDate?
        var issuer: String?
        var summary = ""
        while let first = words.first {
            let lowered = first.lowercased()
            if [",", ";", "-", "–", ":"].contains(first) {
                words.removeFirst()
            } else if lowered == "ngày", date == nil {
                let (parsed, used) = try DocumentText.date(after: Array(words.dropFirst()))
                date = parsed
                words.removeFirst(1 + used)
            } else if lowered == "của", issuer == nil {
                let (name, used) = try DocumentText.issuer(Array(words.dropFirst()), dateRead: date != nil)
                issuer = name
                words.removeFirst(1 + used)
            } else {
                summary = DocumentText.summary(words)
                break
            }
        }
        guard let date else { throw .missingDate }
        guard !summary.isEmpty else { throw .missingSummary }
        return DocumentReference(kind: kind, number: token, date: date, issuer: issuer, summary: summary)
    }
}

/// The register of a period as a whole: the prose sentence that counts it,
/// and reading a pasted block of lines.
public enum DocumentRegister {
    /// "01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo", as seed 000 writes it:
    /// counts zero-padded to two digits, empty groups left out.
    public static func countsSentence(_ kinds: [DocumentKind]) -> String {
        let parts = DocumentGroup.allCases.compactMap { group -> String? in
            let count = kinds.filter { $0.group == group }.count
            guard count > 0 else { return nil }
            return VietnameseNumber.twoDigits(count) + " " + group.countNoun
        }
        return parts.isEmpty ? "chưa có văn bản nào" : parts.joined(separator: ", ")
    }

    /// What a pasted block holds: the documents read, by line number (from 1),
    /// the section headings passed over, and the lines that could not be read.
    public struct PasteResult: Sendable {
        public var references: [(line: Int, reference: DocumentReference)] = []
        public var headings: Int = 0
        public var failures: [(line: Int, text: String, error: DocumentParseError)] = []
    }

    /// Reads every line of a pasted block. Blank lines and the appendix's own
    /// section headings ("I  Quyết định", "III  Các văn bản chỉ đạo") are
    /// skipped, so the appendix can be pasted as printed.
    /// Most lines read from one paste; the rest are reported as one failure.
    public static let maxLines = 2_000

    public static func parseLines(_ text: String) -> PasteResult {
        var result = PasteResult()
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if offset >= maxLines {
                result.failures.append((offset + 1, "", .tooManyLines))
                break
            }
            let line = String(raw)
            if line.count > DocumentReference.maxLineLength {
                result.failures.append((offset + 1, String(line.prefix(80)) + "…", .tooLong))
                continue
            }
            if DocumentText.clean(line).isEmpty { continue }
            if isSectionHeading(line) { result.headings += 1; continue }
            do { result.references.append((offset + 1, try DocumentReference.parsing(line))) } catch {
                result.failures.append((offset + 1, DocumentText.clean(line), error))
            }
        }
        return result
    }

    /// A heading line of Phụ lục I: a section name, with or without its numeral,
    /// or the table's column header.
    public static func isSectionHeading(_ line: String) -> Bool {
        var text = DocumentText.clean(line)
        if let numeral = text.firstMatch(of: /^(?:[IVX]+|\d+)[.)]?\s+/) { text = String(text[numeral.range.upperBound...]) }
        let key = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".: "))
        let names =
            DocumentGroup.allCases.flatMap { [$0.title.lowercased(), "các " + $0.countNoun, $0.countNoun] }
            + DocumentKind.allCases.map { $0.label.lowercased() }
            + ["stt nội dung văn bản", "nội dung văn bản"]
        return names.contains(key)
    }
}

/// Text helpers for reading citations.
enum DocumentText {
    /// Words that start a summary rather than continue a place name after
    /// "UBND tỉnh": "của UBND tỉnh Thông báo Kết luận…" is UBND tỉnh's notice.
    static let summaryStarts: Set<String> = Set(DocumentKind.allCases.map { $0.label.lowercased().split(separator: " ")[0].description })
        .union(["kết", "hướng", "triển", "thực", "đề", "phê", "ban", "tổ", "tăng", "v/v", "về"])

    /// The bodies whose name ends with a level word ("UBND tỉnh"), so the
    /// issuer can be told from a summary that follows with no "về".
    static let bodies: [[String]] = [
        ["ubnd"], ["ủy", "ban", "nhân", "dân"], ["uỷ", "ban", "nhân", "dân"], ["hđnd"],
        ["hội", "đồng", "nhân", "dân"]
    ]
    static let bodyTitles: [[String]] = [["chủ", "tịch"], ["phó", "chủ", "tịch"], ["văn", "phòng"], ["thường", "trực"]]
    static let levels: [[String]] = [
        ["tỉnh"], ["huyện"], ["xã"], ["phường"], ["quận"], ["thị", "trấn"], ["thị", "xã"],
        ["thành", "phố"], ["cấp", "tỉnh"], ["cấp", "huyện"], ["cấp", "xã"]
    ]

    /// NFC, the Latin Eth some fonts type for Đ mapped to Đ, one space between words.
    static func clean(_ text: String) -> String {
        fold(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func fold(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
            .replacingOccurrences(of: "\u{00D0}", with: "Đ").replacingOccurrences(of: "\u{00F0}", with: "đ")
    }

    /// Drops the row number or bullet a pasted table row starts with ("15\t", "3.", "-").
    static func stripListMarker(_ text: String) -> String {
        if let marker = text.firstMatch(of: /^(?:\d+[.)]?|[-–•+*])\s+/) { return String(text[marker.range.upperBound...]) }
        return text
    }

    static func words(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }

    static func trimPunctuation(_ word: String) -> String {
        word.trimmingCharacters(in: CharacterSet(charactersIn: ",;:."))
    }

    /// The date after "ngày": "31/01/2024", "7/03/2024", "31-01-2024", or
    /// "31 tháng 01 năm 2024". Returns the date and how many words it used.
    static func date(after words: [String]) throws(DocumentParseError) -> (CivilDate, Int) {
        guard let first = words.first else { throw .missingDate }
        if words.count >= 5, words[1].lowercased() == "tháng", words[3].lowercased() == "năm",
            let day = Int(words[0]), let month = Int(words[2]), let year = Int(trimPunctuation(words[4]))
        {
            guard let date = CivilDate(validYear: year, month: month, day: day) else {
                throw .invalidDate(words.prefix(5).joined(separator: " "))
            }
            return (date, 5)
        }
        let text = trimPunctuation(first).replacingOccurrences(of: "-", with: "/").replacingOccurrences(of: ".", with: "/")
        guard let date = CivilDate(vietnamese: text), text.split(separator: "/").last?.count == 4 else {
            throw .invalidDate(trimPunctuation(first))
        }
        return (date, 1)
    }

    static func isDate(at index: Int, in words: [String]) -> Bool {
        guard index < words.count, words[index].lowercased() == "ngày" else { return false }
        return (try? date(after: Array(words[(index + 1)...]))) != nil
    }

    static func startsSummary(_ word: String) -> Bool {
        ["về", "v/v", "v/v:", "v/v.", "về:"].contains(word.lowercased())
    }

    /// Words `prefix` (lowercased) at `index`?
    static func matches(_ prefix: [String], at index: Int, in words: [String]) -> Bool {
        guard index + prefix.count <= words.count else { return false }
        return zip(prefix, words[index...]).allSatisfy { $0 == $1.lowercased() }
    }

    /// Length of "[Chủ tịch] UBND tỉnh" at the start of `words`, or nil.
    static func bodyLength(_ words: [String]) -> Int? {
        var index = 0
        if let title = bodyTitles.first(where: { matches($0, at: 0, in: words) }) { index += title.count }
        guard let body = bodies.first(where: { matches($0, at: index, in: words) }) else { return nil }
        index += body.count
        guard let level = levels.first(where: { matches($0, at: index, in: words) }) else { return nil }
        return index + level.count
    }

    /// The issuer after "của": up to a date, "về" or "V/v"; or, with neither
    /// close by, the "UBND tỉnh"-style body name it starts with.
    static func issuer(_ words: [String], dateRead: Bool) throws(DocumentParseError) -> (String, Int) {
        let window = min(words.count, 16)
        let delimiter = (0..<window).first { index in
            startsSummary(words[index]) || (!dateRead && isDate(at: index, in: words))
        }
        let body = bodyLength(words)
        var length: Int?
        if let body {
            length = body
            // A place name may follow the body ("UBND tỉnh Bắc Giang về …"): capitalised, not a summary's first word.
            if let delimiter, delimiter > body, delimiter - body <= 4,
                words[body..<delimiter].allSatisfy({ $0.first?.isUppercase == true }),
                !summaryStarts.contains(words[body].lowercased())
            {
                length = delimiter
            }
        } else if let delimiter, delimiter > 0, delimiter <= 12 {
            length = delimiter
        }
        guard let length else { throw .ambiguousIssuer }
        return (words[..<length].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ",;")), length)
    }

    /// The summary from here to the end of the line, without "về", "về việc" or "V/v".
    static func summary(_ words: [String]) -> String {
        var rest = Array(words)
        if let first = rest.first, startsSummary(first) {
            rest.removeFirst()
            // "về việc", "về việc:", "về việc…": drop "việc", keep what is stuck to it.
            if let next = rest.first, next.lowercased().hasPrefix("việc"), !next.dropFirst(4).contains(where: \.isLetter) {
                let tail = String(next.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: ":"))
                if tail.isEmpty { rest.removeFirst() } else { rest[0] = tail }
            }
        }
        return rest.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " :"))
    }
}
