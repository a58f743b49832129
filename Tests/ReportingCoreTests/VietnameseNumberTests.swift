import Foundation
import Testing

@testable import ReportingCore

@Suite("Vietnamese numbers")
struct VietnameseNumberTests {
    @Test(arguments: [
        ("1.609.226", "1609226"), ("97,45", "97.45"), ("97,45%", "97.45"), ("12,5 %", "12.5"), (" 28 ", "28"),
        ("0", "0"), ("-3", "-3"), ("34.279", "34279"), ("1.000,5", "1000.5"), ("100%", "100"), (",5", "0.5")
    ])
    func parsesWhatPeopleType(input: String, expected: String) throws {
        let number = try VietnameseNumber.parse(input).get()
        #expect(number == ExactNumber(machine: expected)!)
    }

    /// Cells are trimmed of spaces and line breaks, the no-break space Word
    /// pastes included, and kept whole inside.
    @Test(arguments: [
        ("28", "28"), (" 28 ", "28"), ("\u{00A0}1.609.226\n", "1.609.226"), ("\t\r\n", ""), ("", ""),
        ("Ghi chú  của xã", "Ghi chú  của xã"), ("\u{3000}xã\u{2003}", "xã"), (" a", "a"), ("a ", "a")
    ])
    func trimsCells(input: String, expected: String) {
        #expect(input.trimmed == expected)
    }

    @Test func keepsTheNumberExactlyAsEntered() throws {
        let number = try VietnameseNumber.parse("97,10").get()
        #expect(number.description == "97.10")
        #expect(VietnameseNumber.format(number) == "97,10")
        #expect(VietnameseNumber.format(try VietnameseNumber.parse("97,1").get()) == "97,1")
    }

    @Test(arguments: ["97.1", "12.50", "3.1415"])
    func refusesADotThatCannotGroupThousands(input: String) {
        guard case .failure(let error) = VietnameseNumber.parse(input) else {
            Issue.record("\(input) must not parse"); return
        }
        #expect(error == .ambiguousDot(input))
        #expect(error.message.contains(input.replacingOccurrences(of: ".", with: ",")))
    }

    @Test(arguments: ["abc", "12,3,4", "1..2", "12a", "1.2.3", "%", "1,"])
    func refusesWhatIsNotANumber(input: String) {
        guard case .failure(let error) = VietnameseNumber.parse(input) else {
            Issue.record("\(input) must not parse"); return
        }
        #expect(error != .empty)
    }

    @Test func emptyIsEmpty() {
        #expect(throws: VietnameseNumber.ParseError.empty) { try VietnameseNumber.parse("  ").get() }
    }

    @Test func formatsForDisplay() {
        #expect(VietnameseNumber.format(ExactNumber(1_609_226)) == "1.609.226")
        #expect(VietnameseNumber.formatPercent(97.4512) == "97,45%")
        #expect(VietnameseNumber.format(28295.0 / 29140.0 * 100, decimals: 2) == "97,1")
        #expect(VietnameseNumber.format(-1234.5, decimals: 1) == "-1.234,5")
        #expect(VietnameseNumber.format(ExactNumber(999)) == "999")
        #expect(VietnameseNumber.twoDigits(4) == "04")
    }

    @Test func exactSumsDoNotDrift() {
        var total: ExactNumber? = .zero
        for _ in 0..<10 { total = total.flatMap { $0 + ExactNumber(mantissa: 1, scale: 1) } }
        #expect(total == ExactNumber(1))
        #expect(ExactNumber(mantissa: 12, scale: 1) + ExactNumber(3) == ExactNumber(mantissa: 42, scale: 1))
    }
}

@Suite("Dates")
struct CivilDateTests {
    @Test func formatsAndParses() throws {
        let date = CivilDate(year: 2024, month: 3, day: 14)
        #expect(date.vietnamese == "14/03/2024")
        #expect(date.vietnameseLong == "ngày 14 tháng 3 năm 2024")
        #expect(CivilDate(vietnamese: "7/03/2024") == CivilDate(year: 2024, month: 3, day: 7))
        #expect(CivilDate(vietnamese: "31/02/2024") == nil)
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2023-02-29") == nil)
    }

    @Test func instantsAreDaysInVietnam() throws {
        // 18:00 UTC on 19/03 is already 01:00 on 20/03 in Hà Nội: a report sent then is sent on the 20th.
        let instant = try #require(ISO8601DateFormatter().date(from: "2024-03-19T18:00:00Z"))
        #expect(CivilDate(instant) == CivilDate(year: 2024, month: 3, day: 20))
        #expect(CivilDate(instant, in: TimeZone(identifier: "UTC")!) == CivilDate(year: 2024, month: 3, day: 19))
    }

    @Test func countsDays() {
        let start = CivilDate(year: 2023, month: 12, day: 15)
        #expect(CivilDate.days(from: start, to: CivilDate(year: 2024, month: 3, day: 14)) == 90)
        #expect(start.adding(days: 17) == CivilDate(year: 2024, month: 1, day: 1))
        #expect(CivilDate(dayNumber: start.dayNumber) == start)
    }
}
