import Foundation
import Testing

@testable import ReportingCore

@Suite("Bounds of a cell and total arithmetic")
struct NumberBoundsTests {
    var form: CompiledForm { Fixtures.library.form("egov-2024")! }

    @Test func eighteenDigitCountIsARowErrorNotACrash() throws {
        // The reported case: an 18-digit count in 6.3.1, validated while the report page renders.
        let report = Validator(form: form).validate(
            entries: ["6.3.1": "123456789012345678", "6.3.2": "28.295"],
            unitKind: .district, previous: ["6.3.1": ExactNumber(100)])
        let problem = try #require(report.problems(for: "6.3.1").first)
        #expect(problem.kind == .outOfRange)
        #expect(problem.severity == .error)
        #expect(problem.message.contains("6.3.1") && problem.message.contains("Tổng số hồ sơ của DVCTT toàn trình"))
        #expect(problem.message.contains("123456789012345678"))
        #expect(problem.message.contains("999.999.999.999"))
        #expect(report.values["6.3.1"] == nil)
        #expect(!report.canSend)
    }

    @Test func storedOutOfRangeValuesReadAsErrorsOnTheirRows() {
        // Rows saved before the bound existed: 19 digits, or 15 digits with decimals.
        let report = Validator(form: form).validate(
            entries: [
                "6.3.1": "9223372036854775807", "6.3.2": "123.456.789.012.345,5",
                "6.4.1": "12"
            ], unitKind: .district)
        #expect(report.problems(for: "6.3.1").map(\.kind) == [.outOfRange])
        #expect(report.problems(for: "6.3.2").map(\.kind) == [.outOfRange])
        #expect(report.problems(for: "6.4.1").isEmpty)
    }

    @Test(arguments: ["999.999.999.999", "-999.999.999.999,999999", "999999999999", "0,000001", "000.000.000.000.001"])
    func valuesAtTheBoundParse(_ text: String) throws {
        let number = try VietnameseNumber.parse(text).get()
        #expect(number.isWithinCellBounds)
    }

    @Test(arguments: ["1.000.000.000.000", "1000000000000", "-1.000.000.000.000,5", "123456789012345678901234567890"])
    func valuesBeyondTheBoundAreRefusedWithAMessage(_ text: String) {
        guard case .failure(let error) = VietnameseNumber.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error == .outOfRange(text))
        #expect(error.message.contains("12 chữ số phần nguyên") && error.message.contains("triệu đồng"))
    }

    @Test func tooManyDecimalsAndOverlongInputAreRefused() {
        #expect(VietnameseNumber.parse("1,1234567") == .failure(.tooPrecise("1,1234567")))
        let long = String(repeating: "1", count: 500)
        guard case .failure(.notANumber) = VietnameseNumber.parse(long) else { Issue.record("500 digits parsed"); return }
    }

    @Test func machineFormHasTheSameBounds() {
        #expect(ExactNumber(machine: "999999999999.999999") == ExactNumber(mantissa: 999_999_999_999_999_999, scale: 6))
        #expect(ExactNumber(machine: "000000000000000001") == ExactNumber(1))
        #expect(ExactNumber(machine: "1000000000000") == nil)
        #expect(ExactNumber(machine: "123456789012345678") == nil)
        #expect(ExactNumber(machine: "1.1234567") == nil)
        #expect(ExactNumber(machine: "0") == .zero)
    }

    @Test func decodingRefusesOutOfRangeValues() throws {
        struct Cell: Decodable { var value: ExactNumber }
        let decoder = JSONDecoder()
        #expect(try decoder.decode(Cell.self, from: Data(#"{"value": "12.5"}"#.utf8)).value == ExactNumber(mantissa: 125, scale: 1))
        #expect(try decoder.decode(Cell.self, from: Data(#"{"value": 12.5}"#.utf8)).value == ExactNumber(mantissa: 125, scale: 1))
        #expect(throws: DecodingError.self) { try decoder.decode(Cell.self, from: Data(#"{"value": "1000000000000"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode(Cell.self, from: Data(#"{"value": 1e13}"#.utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode(Cell.self, from: Data(#"{"value": 1e300}"#.utf8)) }
    }

    @Test func arithmeticOnExtremeMantissasNeverTraps() {
        let largest = ExactNumber(mantissa: .max, scale: 0), smallest = ExactNumber(mantissa: .min, scale: 0)
        #expect(largest + ExactNumber(1) == nil)
        #expect(smallest - ExactNumber(1) == nil)
        #expect(largest - largest == .zero)
        // Aligning scales would overflow 64 bits; the exact answer is still given.
        let tiny = ExactNumber(mantissa: 1, scale: 18)
        #expect(largest + tiny == nil)
        #expect(ExactNumber(mantissa: 5, scale: 0) + tiny == ExactNumber(mantissa: 5_000_000_000_000_000_001, scale: 18))
        #expect(tiny < largest && smallest < tiny && !(largest < tiny))
        #expect(largest != ExactNumber(mantissa: .max, scale: 1))
        // Scales no 128-bit integer can align: still ordered, still equal to themselves.
        let odd = ExactNumber(mantissa: 3, scale: 120), negativeScale = ExactNumber(mantissa: 3, scale: -2)
        #expect(odd < ExactNumber(1) && odd == odd && negativeScale == ExactNumber(300))
        #expect(negativeScale.hashValue == ExactNumber(300).hashValue)
        #expect(ExactNumber(mantissa: 1200, scale: 2).hashValue == ExactNumber(12).hashValue)
        #expect(negativeScale.description == "300" && odd.doubleValue < 1e-100)
    }

    @Test func sumsOfAHundredThousandCellsAreExactOrRefused() {
        let count = ExactNumber(mantissa: ExactNumber.maxWholePart, scale: 0)
        #expect(ExactNumber.sum(Array(repeating: count, count: 100_000)) == ExactNumber(mantissa: 99_999_999_999_900_000, scale: 0))
        let money = ExactNumber(mantissa: 999_999_999_999_999_999, scale: 6)
        // 99.999.999.999.999.999,9: trailing zeros of the fraction dropped so it fits.
        #expect(ExactNumber.sum(Array(repeating: money, count: 100_000)) == ExactNumber(mantissa: 999_999_999_999_999_999, scale: 1))
        // One more millionth and the exact total does not fit: an error, not a wrong figure.
        #expect(ExactNumber.sum(Array(repeating: money, count: 100_000) + [ExactNumber(mantissa: 1, scale: 6)]) == nil)
    }

    @Test func roundingAndFormattingDoublesAreTotal() {
        #expect(ExactNumber(rounding: .nan, scale: 2) == nil)
        #expect(ExactNumber(rounding: .infinity, scale: 2) == nil)
        #expect(ExactNumber(rounding: 1.2e17, scale: 2) == nil)
        #expect(ExactNumber(rounding: 1.2e17, scale: 0) == ExactNumber(mantissa: 120_000_000_000_000_000, scale: 0))
        #expect(ExactNumber(rounding: 0.5, scale: 127)?.scale == 18)
        #expect(ExactNumber(rounding: 97.455, scale: 127) == nil)
        #expect(VietnameseNumber.format(.nan) == "không xác định")
        #expect(VietnameseNumber.format(-.infinity) == "không xác định")
        #expect(VietnameseNumber.format(1.2e17, decimals: 2) == "120.000.000.000.000.000")
        #expect(VietnameseNumber.format(1e20) == "100.000.000.000.000.000.000")
        #expect(VietnameseNumber.format(97.4512, decimals: 127).hasPrefix("97,451"))
    }
}
