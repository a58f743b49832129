import Foundation
import PropertyBased
import Testing

@testable import ReportingCore

/// ExactNumber against an exact reference: the value as a 128-bit integer at
/// scale 18 (every scale 0...18 aligns there without loss).
@Suite("ExactNumber properties")
struct ExactNumberPropertyTests {
    static func reference(_ number: ExactNumber) -> Int128 {
        var value = Int128(number.mantissa)
        for _ in 0..<(18 - Int(number.scale)) { value *= 10 }
        return value
    }

    /// Any mantissa, including the extremes, at any scale 0...18.
    static let anyNumber = zip(Gen.int64(in: Int64.min...Int64.max), Gen.int(in: 0...18))
        .map { ExactNumber(mantissa: $0, scale: Int8($1)) }

    /// A value a cell may hold.
    static let cell = zip(Gen.int64(in: -999_999_999_999_999_999...999_999_999_999_999_999), Gen.int(in: 0...6))
        .map { mantissa, scale in
            ExactNumber(mantissa: mantissa / (ExactNumber.power(Int8(6 - scale))), scale: Int8(scale))
        }

    @Test func additionAndSubtractionAreExactOrNil() async {
        await propertyCheck(count: 2_000, input: Self.anyNumber, Self.anyNumber) { a, b in
            let sum = Self.reference(a) + Self.reference(b), difference = Self.reference(a) - Self.reference(b)
            if let result = a + b {
                #expect(Self.reference(result) == sum)
            } else {
                // Nil only when no Int64 mantissa at scale ≤ 18 holds the exact sum.
                #expect(ExactNumber.fitting(sum, scale: 18) == nil)
            }
            if let result = a - b {
                #expect(Self.reference(result) == difference)
            } else {
                #expect(ExactNumber.fitting(difference, scale: 18) == nil)
            }
        }
    }

    @Test func orderAndEqualityMatchTheReference() async {
        await propertyCheck(count: 2_000, input: Self.anyNumber, Self.anyNumber) { a, b in
            #expect((a < b) == (Self.reference(a) < Self.reference(b)))
            #expect((a == b) == (Self.reference(a) == Self.reference(b)))
            if a == b { #expect(a.hashValue == b.hashValue) }
            #expect(a.normalized == a && a.normalized.hashValue == a.hashValue)
        }
    }

    @Test func sumMatchesTheReference() async {
        await propertyCheck(count: 300, input: Self.cell.array(of: 0...50)) { cells in
            let total = cells.map(Self.reference).reduce(0, +)
            if let sum = ExactNumber.sum(cells) {
                #expect(Self.reference(sum) == total)
            } else {
                #expect(ExactNumber.fitting(total, scale: 18) == nil)
            }
        }
    }

    @Test func vietnameseFormatParsesBack() async {
        await propertyCheck(count: 2_000, input: Self.cell) { number in
            #expect(number.isWithinCellBounds)
            let shown = VietnameseNumber.format(number)
            #expect(VietnameseNumber.parse(shown) == .success(number), "\(shown)")
            #expect(VietnameseNumber.parse(VietnameseNumber.formatPercent(number)) == .success(number))
        }
    }

    @Test func machineFormParsesBack() async {
        await propertyCheck(count: 2_000, input: Self.cell) { number in
            let parsed = ExactNumber(machine: number.description)
            #expect(parsed == number)
            #expect(parsed?.scale == number.scale, "scale kept: \(number.description)")
        }
    }

    @Test func outOfBoundsValuesAreRefusedByEveryParser() async {
        await propertyCheck(count: 1_000, input: Gen.int64(in: 1_000_000_000_000...Int64.max), Gen.bool) { whole, negative in
            let number = ExactNumber(mantissa: negative ? -whole : whole, scale: 0)
            #expect(!number.isWithinCellBounds)
            #expect(VietnameseNumber.parse(VietnameseNumber.format(number)) == .failure(.outOfRange(VietnameseNumber.format(number))))
            #expect(ExactNumber(machine: number.description) == nil)
        }
    }

    @Test func formattingAnyDoubleIsTotal() async {
        await propertyCheck(count: 2_000, input: Gen.uint64(), Gen.int(in: -128...127)) { bits, decimals in
            let value = Double(bitPattern: bits)
            let shown = VietnameseNumber.format(value, decimals: Int8(decimals))
            #expect(!shown.isEmpty)
            if let rounded = ExactNumber(rounding: value, scale: Int8(decimals)) {
                // Half a unit of the last kept decimal, plus the double's own error.
                let bound = 0.5 * pow(10, -Double(rounded.scale)) + abs(value) * 1e-15
                #expect(abs(rounded.doubleValue - value) <= bound, "\(value) at \(rounded.scale) gave \(rounded)")
            }
        }
    }
}
