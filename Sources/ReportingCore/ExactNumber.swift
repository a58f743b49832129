/// A decimal number kept exactly as entered: `mantissa × 10^-scale`.
///
/// Officers type "97,1" and expect to read back "97,1", never 97,09999.
/// Sums over thousands of units stay exact and fast because they are integer
/// additions once the scales are aligned.
public struct ExactNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public private(set) var mantissa: Int64
    public private(set) var scale: Int8

    public static let maxScale: Int8 = 6
    public static let zero = ExactNumber(mantissa: 0, scale: 0)

    public init(mantissa: Int64, scale: Int8) {
        self.mantissa = mantissa
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(mantissa: Int64(integer), scale: 0)
    }

    /// Rounds a computed value to `scale` decimals (half away from zero).
    public init(rounding value: Double, scale: Int8) {
        let factor = ExactNumber.power(scale)
        let scaled = (value * Double(factor)).rounded(.toNearestOrAwayFromZero)
        self.init(mantissa: Int64(scaled), scale: scale)
    }

    public var doubleValue: Double { Double(mantissa) / Double(ExactNumber.power(scale)) }

    public var isInteger: Bool { scale == 0 || mantissa % ExactNumber.power(scale) == 0 }

    public var isNegative: Bool { mantissa < 0 }

    /// The same number without trailing zeros in the fraction ("97,10" → "97,1").
    public var normalized: ExactNumber {
        var result = self
        while result.scale > 0 && result.mantissa % 10 == 0 {
            result.mantissa /= 10
            result.scale -= 1
        }
        return result
    }

    static func power(_ exponent: Int8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<Int(max(exponent, 0)) { result *= 10 }
        return result
    }

    func rescaled(to newScale: Int8) -> ExactNumber {
        guard newScale > scale else { return self }
        return ExactNumber(mantissa: mantissa * ExactNumber.power(newScale - scale), scale: newScale)
    }

    public static func + (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        if lhs.scale == rhs.scale { return ExactNumber(mantissa: lhs.mantissa + rhs.mantissa, scale: lhs.scale) }
        let scale = max(lhs.scale, rhs.scale)
        return ExactNumber(mantissa: lhs.rescaled(to: scale).mantissa + rhs.rescaled(to: scale).mantissa, scale: scale)
    }

    public static func - (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        lhs + ExactNumber(mantissa: -rhs.mantissa, scale: rhs.scale)
    }

    public static func == (lhs: ExactNumber, rhs: ExactNumber) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale).mantissa == rhs.rescaled(to: scale).mantissa
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.mantissa)
        hasher.combine(n.scale)
    }

    public static func < (lhs: ExactNumber, rhs: ExactNumber) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale).mantissa < rhs.rescaled(to: scale).mantissa
    }

    /// Plain machine form with a dot ("97.1"), for CSV/JSON and storage.
    public var description: String {
        let n = self
        if n.scale <= 0 { return String(n.mantissa) }
        let factor = ExactNumber.power(n.scale)
        let sign = n.mantissa < 0 ? "-" : ""
        let absolute = n.mantissa.magnitude
        let whole = absolute / UInt64(factor)
        var fraction = String(absolute % UInt64(factor))
        while fraction.count < Int(n.scale) { fraction = "0" + fraction }
        return "\(sign)\(whole).\(fraction)"
    }

    /// Parses the machine form written by `description` ("-12.50").
    public init?(machine text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= Int(ExactNumber.maxScale), parts[0].count <= 15,
              let value = Int64(String(parts[0]) + fraction) else { return nil }
        self.init(mantissa: negative ? -value : value, scale: Int8(fraction.count))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

import Foundation

extension ExactNumber: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let number = ExactNumber(machine: text) {
            self = number
        } else {
            let value = try container.decode(Double.self)
            self = ExactNumber(rounding: value, scale: ExactNumber.maxScale).normalized
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
