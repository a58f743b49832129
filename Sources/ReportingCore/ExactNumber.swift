import Foundation

/// A decimal number kept exactly as entered: `mantissa × 10^-scale`.
///
/// Officers type "97,1" and expect to read back "97,1", never 97,09999.
/// Sums over thousands of units stay exact and fast because they are integer
/// additions once the scales are aligned.
///
/// Bounds of a cell (docs/forms.md, "Giới hạn của số"): at most
/// `maxIntegerDigits` (12) digits before the decimal comma, so |value| < 10^12
/// (up to 999.999.999.999), and at most `maxScale` (6) decimals. Every parser
/// (`VietnameseNumber.parse`, `init(machine:)`, `Codable`) refuses anything
/// beyond, so a cell's mantissa stays below 10^18 and fits an `Int64`.
///
/// Every operation is total for any mantissa and scale, even ones built by
/// `init(mantissa:scale:)` outside the bounds: comparisons and hashing work
/// in 128 bits, and `+`/`-` give nil when the exact result does not fit
/// rather than trapping or rounding.
public struct ExactNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public private(set) var mantissa: Int64
    public private(set) var scale: Int8

    /// The most decimals a cell may hold.
    public static let maxScale: Int8 = 6
    /// The most digits before the decimal comma: a cell's value is below 10^12.
    public static let maxIntegerDigits = 12
    /// The largest whole part a cell may hold: 999.999.999.999.
    public static let maxWholePart: Int64 = 999_999_999_999
    public static let zero = ExactNumber(mantissa: 0, scale: 0)

    public init(mantissa: Int64, scale: Int8) {
        self.mantissa = mantissa
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(mantissa: Int64(integer), scale: 0)
    }

    /// Rounds a computed value to `scale` decimals (half away from zero); nil
    /// for NaN, an infinity, or a value whose digits at that scale do not fit
    /// 64 bits (|value| × 10^scale ≥ 2^63). `scale` is clamped to 0...18.
    public init?(rounding value: Double, scale: Int8) {
        guard value.isFinite else { return nil }
        let clamped = Swift.min(Swift.max(scale, 0), 18)
        let scaled = (value * Double(ExactNumber.power(clamped))).rounded(.toNearestOrAwayFromZero)
        // 2^63 is exactly representable; anything at or beyond it does not fit.
        guard scaled.isFinite, Swift.abs(scaled) < 9_223_372_036_854_775_808.0, let mantissa = Int64(exactly: scaled) else { return nil }
        self.init(mantissa: mantissa, scale: clamped)
    }

    public var doubleValue: Double {
        // Powers of ten up to 10^22 are exact doubles: one correctly rounded division.
        if (0...22).contains(scale) { return Double(mantissa) / Double(ExactNumber.wide(power: Int(scale)) ?? 1) }
        return Double(mantissa) * pow(10, -Double(scale))
    }

    public var isInteger: Bool {
        guard scale > 0 else { return true }
        guard let factor = ExactNumber.wide(power: Int(scale)) else { return mantissa == 0 }
        return Int128(mantissa) % factor == 0
    }

    public var isNegative: Bool { mantissa < 0 }

    /// Within the bounds of a cell: at most 6 decimals and |value| < 10^12.
    public var isWithinCellBounds: Bool {
        guard (0...ExactNumber.maxScale).contains(scale) else { return false }
        return Int128(mantissa).magnitude < UInt128(ExactNumber.power(scale)) * UInt128(ExactNumber.maxWholePart + 1)
    }

    /// Vietnamese words for the bounds, for messages.
    public static var boundsText: String {
        "tối đa \(maxIntegerDigits) chữ số phần nguyên (giá trị tuyệt đối không quá 999.999.999.999) và \(maxScale) chữ số thập phân"
    }

    /// The same number without trailing zeros in the fraction ("97,10" → "97,1").
    public var normalized: ExactNumber {
        var result = self
        while result.scale > 0 && result.mantissa % 10 == 0 {
            result.mantissa /= 10
            result.scale -= 1
        }
        return result
    }

    /// 10^exponent for 0...18 (fits Int64); larger exponents are clamped to 18.
    static func power(_ exponent: Int8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<Int(Swift.min(Swift.max(exponent, 0), 18)) { result *= 10 }
        return result
    }

    /// 10^exponent in 128 bits, nil beyond 10^38.
    static func wide(power exponent: Int) -> Int128? {
        guard (0...38).contains(exponent) else { return nil }
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The mantissa at a larger-or-equal scale, in 128 bits; nil when it does not fit.
    func wideMantissa(at newScale: Int) -> Int128? {
        let shift = newScale - Int(scale)
        if mantissa == 0 { return 0 }
        guard shift >= 0, let factor = ExactNumber.wide(power: shift) else { return nil }
        let (result, overflow) = Int128(mantissa).multipliedReportingOverflow(by: factor)
        return overflow ? nil : result
    }

    /// Builds a number from a 128-bit mantissa, dropping trailing zeros of the
    /// fraction if that is what it takes to fit; nil when it cannot fit exactly.
    static func fitting(_ wide: Int128, scale: Int) -> ExactNumber? {
        var value = wide, scale = scale
        while value > Int128(Int64.max) || value < Int128(Int64.min) || scale > Int(Int8.max), scale > 0, value % 10 == 0 {
            value /= 10
            scale -= 1
        }
        guard let mantissa = Int64(exactly: value), let small = Int8(exactly: scale) else { return nil }
        return ExactNumber(mantissa: mantissa, scale: small)
    }

    /// The exact sum, or nil when it does not fit.
    public func adding(_ other: ExactNumber) -> ExactNumber? {
        let common = Swift.max(Int(scale), Int(other.scale))
        guard let a = wideMantissa(at: common), let b = other.wideMantissa(at: common) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : ExactNumber.fitting(sum, scale: common)
    }

    /// The exact difference, or nil when it does not fit.
    public func subtracting(_ other: ExactNumber) -> ExactNumber? {
        let common = Swift.max(Int(scale), Int(other.scale))
        guard let a = wideMantissa(at: common), let b = other.wideMantissa(at: common) else { return nil }
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : ExactNumber.fitting(difference, scale: common)
    }

    /// The exact sum of many numbers, accumulated in 128 bits so 100,000 cells
    /// never trap; nil when the total (or an operand) does not fit.
    public static func sum<S: Sequence>(_ numbers: S) -> ExactNumber? where S.Element == ExactNumber {
        var total: Int128 = 0
        var scale = 0
        for number in numbers {
            if Int(number.scale) > scale {
                guard let factor = wide(power: Int(number.scale) - scale) else { return nil }
                let (scaled, overflow) = total.multipliedReportingOverflow(by: factor)
                guard !overflow else { return nil }
                total = scaled
                scale = Int(number.scale)
            }
            guard let part = number.wideMantissa(at: scale) else { return nil }
            let (next, overflow) = total.addingReportingOverflow(part)
            guard !overflow else { return nil }
            total = next
        }
        return fitting(total, scale: scale)
    }

    /// Exact sum; nil when the result does not fit (never traps, never rounds).
    public static func + (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber? { lhs.adding(rhs) }

    /// Exact difference; nil when the result does not fit.
    public static func - (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber? { lhs.subtracting(rhs) }

    /// -1, 0 or 1: total for any two numbers, whatever their scales.
    static func compare(_ lhs: ExactNumber, _ rhs: ExactNumber) -> Int {
        let leftSign = lhs.mantissa.signum(), rightSign = rhs.mantissa.signum()
        if leftSign != rightSign { return leftSign < rightSign ? -1 : 1 }
        if leftSign == 0 { return 0 }
        let common = Swift.max(Int(lhs.scale), Int(rhs.scale))
        let a = lhs.wideMantissa(at: common), b = rhs.wideMantissa(at: common)
        switch (a, b) {
        case let (a?, b?): return a < b ? -1 : (a == b ? 0 : 1)
        // Only the one with the smaller scale can overflow: its magnitude is the larger.
        case (nil, _): return Int(leftSign)
        case (_, nil): return -Int(leftSign)
        }
    }

    public static func == (lhs: ExactNumber, rhs: ExactNumber) -> Bool { compare(lhs, rhs) == 0 }

    public static func < (lhs: ExactNumber, rhs: ExactNumber) -> Bool { compare(lhs, rhs) < 0 }

    /// Equal numbers hash alike whatever their scales: trailing zeros dropped,
    /// and a scale below zero brought to zero when that fits.
    public func hash(into hasher: inout Hasher) {
        var value = Int128(mantissa), scale = Int(scale)
        if value == 0 { scale = 0 }
        while scale > 0 && value % 10 == 0 { value /= 10; scale -= 1 }
        while scale < 0 {
            let (next, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { break }
            value = next
            scale += 1
        }
        hasher.combine(value)
        hasher.combine(scale)
    }

    /// Plain machine form with a dot ("97.1"), for CSV/JSON and storage.
    public var description: String {
        let sign = mantissa < 0 ? "-" : ""
        let digits = String(mantissa.magnitude)
        if scale <= 0 { return mantissa == 0 ? "0" : sign + digits + String(repeating: "0", count: -Int(scale)) }
        let places = Int(scale)
        let padded = digits.count <= places ? String(repeating: "0", count: places - digits.count + 1) + digits : digits
        let split = padded.index(padded.endIndex, offsetBy: -places)
        return "\(sign)\(padded[..<split]).\(padded[split...])"
    }

    /// Parses the machine form written by `description` ("-12.50"); nil for
    /// anything else, or beyond the bounds of a cell.
    public init?(machine text: String) {
        guard text.utf8.count <= 64 else { return nil }
        var body = Substring(text.trimmed)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        let whole = parts[0].drop { $0 == "0" }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= Int(ExactNumber.maxScale), whole.count <= ExactNumber.maxIntegerDigits,
            let value = Int64(String(whole) + fraction) ?? (whole.isEmpty && fraction.isEmpty ? 0 : nil)
        else { return nil }
        self.init(mantissa: negative ? -value : value, scale: Int8(fraction.count))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension ExactNumber: Codable {
    /// A machine-form string or a JSON number, within the bounds of a cell;
    /// anything else is a decoding error with a Vietnamese message.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let number = ExactNumber(machine: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription:
                        "“\(text.prefix(40))” không phải là số hợp lệ (dạng máy như -12.50, \(ExactNumber.boundsText)).")
            }
            self = number
            return
        }
        let value = try container.decode(Double.self)
        guard let number = ExactNumber(rounding: value, scale: ExactNumber.maxScale)?.normalized, number.isWithinCellBounds else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "Số \(value) nằm ngoài phạm vi cho phép (\(ExactNumber.boundsText)).")
        }
        self = number
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
