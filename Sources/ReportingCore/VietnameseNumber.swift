import Foundation

/// Reading and writing numbers the way Vietnamese officers type them:
/// a dot groups thousands ("1.609.226") and a comma marks decimals ("97,45").
///
/// The rule for a dot that cannot be a thousands separator ("97.1", "12.50"):
/// it is refused as ambiguous, with a message asking for a comma. It is never
/// read silently as 971 nor as 97,1, because either guess can be wrong.
public enum VietnameseNumber {
    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case notANumber(String)
        case ambiguousDot(String)
        case tooPrecise(String)
        case outOfRange(String)

        /// Vietnamese explanation that tells the user how to fix the cell.
        public var message: String {
            switch self {
            case .empty: return "Ô trống."
            case .notANumber(let text): return "“\(text)” không phải là số. Nhập số, ví dụ 1.609.226 hoặc 97,45."
            case .ambiguousDot(let text):
                let suggestion = text.replacingOccurrences(of: ".", with: ",")
                return "“\(text)” không rõ nghĩa: dấu chấm dùng để phân cách hàng nghìn. Nếu là số thập phân, hãy nhập \(suggestion)."
            case .tooPrecise(let text):
                return
                    "“\(text)” có quá nhiều chữ số thập phân (tối đa \(ExactNumber.maxScale)). Làm tròn đến \(ExactNumber.maxScale) chữ số sau dấu phẩy."
            case .outOfRange(let text):
                return
                    "“\(text)” vượt quá giới hạn của một ô số liệu (\(ExactNumber.boundsText)). Kiểm tra lại số đã nhập và đơn vị tính (số tiền tính bằng triệu đồng)."
            }
        }
    }

    /// The longest text read as a number; anything longer is not one.
    public static let maxInputLength = 100

    /// Parses a typed cell. A trailing "%" (with or without a space) is allowed.
    /// Refuses values beyond the bounds of a cell (`ExactNumber.boundsText`).
    public static func parse(_ input: String) -> Result<ExactNumber, ParseError> {
        guard input.utf8.count <= maxInputLength else {
            return .failure(.notANumber(String(input.trimmed.prefix(24)) + "…"))
        }
        // Native string work: every saved cell passes here, and Foundation's bridged calls cost more than the parse.
        var text = input.trimmed
        if text.contains("\u{00A0}") { text.removeAll { $0 == "\u{00A0}" } }
        if text == "%" { return .failure(.notANumber(text)) }
        if text.hasSuffix("%") { text = String(text.dropLast()).trimmed }
        if text.contains(" ") { text.removeAll { $0 == " " } }
        guard !text.isEmpty else { return .failure(.empty) }
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("−") {
            negative = true; body = body.dropFirst()
        } else if body.hasPrefix("+") {
            body = body.dropFirst()
        }
        let pieces = body.split(separator: ",", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return .failure(.notANumber(input.trimmed)) }
        let integerPart = pieces[0]
        let fractionPart = pieces.count == 2 ? pieces[1] : ""
        guard !integerPart.isEmpty || !fractionPart.isEmpty,
            fractionPart.allSatisfy(\.isASCIIDigit),
            integerPart.allSatisfy({ $0.isASCIIDigit || $0 == "." }),
            !(pieces.count == 2 && fractionPart.isEmpty)
        else {
            return .failure(.notANumber(input.trimmed))
        }
        var digits = String(integerPart)
        if integerPart.contains(".") {
            let groups = integerPart.split(separator: ".", omittingEmptySubsequences: false)
            let grouped = (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
            if !grouped {
                if pieces.count == 1 && groups.count == 2 && !groups[0].isEmpty && !groups[1].isEmpty {
                    return .failure(.ambiguousDot(input.trimmed))
                }
                return .failure(.notANumber(input.trimmed))
            }
            digits = groups.joined()
        }
        digits = String(digits.drop { $0 == "0" })
        guard digits.count <= ExactNumber.maxIntegerDigits else { return .failure(.outOfRange(input.trimmed)) }
        guard fractionPart.count <= Int(ExactNumber.maxScale) else { return .failure(.tooPrecise(input.trimmed)) }
        guard let mantissa = Int64(digits + fractionPart) ?? (digits.isEmpty && fractionPart.isEmpty ? 0 : nil) else {
            return .failure(.notANumber(input.trimmed))
        }
        return .success(ExactNumber(mantissa: negative ? -mantissa : mantissa, scale: Int8(fractionPart.count)))
    }

    /// "1.609.226", "97,45": the number as entered, grouped in thousands.
    public static func format(_ number: ExactNumber) -> String {
        let plain = number.description
        let negative = plain.hasPrefix("-")
        let unsigned = negative ? String(plain.dropFirst()) : plain
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let grouped = groupThousands(String(parts[0]))
        let fraction = parts.count == 2 ? "," + parts[1] : ""
        return (negative ? "-" : "") + grouped + fraction
    }

    /// A computed value shown with at most `decimals` decimals, trailing zeros dropped.
    /// Total: a value too large for that many decimals is shown with fewer, one
    /// beyond 64 bits with its whole digits, and NaN or an infinity as "không xác định".
    public static func format(_ value: Double, decimals: Int8 = 2) -> String {
        guard value.isFinite else { return "không xác định" }
        var places = min(max(decimals, 0), 18)
        while true {
            if let exact = ExactNumber(rounding: value, scale: places) { return format(exact.normalized) }
            if places == 0 { break }
            places -= 1
        }
        // Beyond 2^63: the double's own whole digits, grouped.
        let whole = String(format: "%.0f", abs(value))
        return (value < 0 ? "-" : "") + groupThousands(whole)
    }

    /// "97,45%".
    public static func formatPercent(_ value: Double, decimals: Int8 = 2) -> String {
        format(value, decimals: decimals) + "%"
    }

    public static func formatPercent(_ number: ExactNumber) -> String { format(number) + "%" }

    /// "01", "04": counts as the seeds write them in prose.
    public static func twoDigits(_ count: Int) -> String { count < 10 ? "0\(count)" : String(count) }

    static func groupThousands(_ digits: String) -> String {
        var result: [Character] = []
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { result.append(".") }
            result.append(character)
        }
        return String(result.reversed())
    }
}

extension String {
    /// Without leading and trailing white space and line breaks. Every typed
    /// cell passes here, and most have none: those come back as they are,
    /// without Foundation's bridged trimming.
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        guard first.properties.isWhitespace || last.properties.isWhitespace else { return self }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? start
        return String(scalars[start...end])
    }
}
