import Testing

@testable import ReportingCore

@Suite("Periods")
struct PeriodTests {
    @Test func cutOffWindowsFollowDecree09() {
        func window(_ p: Period) -> String { "\(p.cutOff.lowerBound.vietnamese)–\(p.cutOff.upperBound.vietnamese)" }
        #expect(window(.quarter(1, 2024)) == "15/12/2023–14/03/2024")
        #expect(window(.quarter(3, 2024)) == "15/06/2024–14/09/2024")
        #expect(window(.firstHalf(2024)) == "15/12/2023–14/06/2024")
        #expect(window(.nineMonths(2024)) == "15/12/2023–14/09/2024")
        #expect(window(.year(2024)) == "15/12/2023–14/12/2024")
        #expect(window(.month(3, 2024)) == "15/02/2024–14/03/2024")
        #expect(window(.month(1, 2024)) == "15/12/2023–14/01/2024")
    }

    @Test(arguments: ["2024-Q1", "2024-H1", "2024-9M", "2024", "2024-03", "2025-Q4", "2024-12"])
    func keysRoundTrip(key: String) throws {
        let period = try #require(Period(key: key))
        #expect(period.key == key)
    }

    @Test(arguments: ["2024-Q5", "2024-13", "24-Q1", "2024-H2", "", "abcd", "2024-00"])
    func badKeysAreRefused(key: String) {
        #expect(Period(key: key) == nil)
    }

    @Test func labelsAreVietnamese() {
        #expect(Period.quarter(1, 2024).label == "Quý I năm 2024")
        #expect(Period.quarter(4, 2023).label == "Quý IV năm 2023")
        #expect(Period.firstHalf(2024).label == "6 tháng đầu năm 2024")
        #expect(Period.nineMonths(2024).label == "9 tháng đầu năm 2024")
        #expect(Period.year(2024).label == "Năm 2024")
        #expect(Period.month(3, 2024).label == "Tháng 3 năm 2024")
    }

    @Test func previousPeriods() {
        #expect(Period.quarter(1, 2024).previous == .quarter(4, 2023))
        #expect(Period.month(1, 2024).previous == .month(12, 2023))
        #expect(Period.firstHalf(2024).previous == .firstHalf(2023))
        #expect(Period.quarter(1, 2024) < Period.firstHalf(2024))
    }
}
