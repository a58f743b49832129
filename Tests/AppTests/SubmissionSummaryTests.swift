import Foundation
import ReportingCore
import Testing

@testable import App

@Suite("Submission summary for monitoring")
struct SubmissionSummaryTests {
    @Test func overdueDaysCountsAndOnTimeRate() throws {
        let tree = try UnitTree(units: [
            ReportingUnit(code: "P", name: "Tỉnh", kind: .province),
            ReportingUnit(code: "A", name: "Xã A", kind: .commune, parentCode: "P"),
            ReportingUnit(code: "B", name: "Xã B", kind: .commune, parentCode: "P"),
            ReportingUnit(code: "C", name: "Xã C", kind: .commune, parentCode: "P"),
            ReportingUnit(code: "D", name: "Xã D", kind: .commune, parentCode: "P")
        ])
        func report(_ unit: String, _ status: ReportStatus, sent: String? = nil) -> Report {
            let report = Report(assignmentID: UUID(), unitCode: unit, formID: "egov-2024", periodKey: "2024-Q1")
            report.status = status
            // Noon in Hà Nội on the given day.
            report.sentAt = sent.map { ISO8601DateFormatter().date(from: $0 + "T05:00:00Z")! }
            return report
        }
        let deadline = CivilDate(year: 2024, month: 3, day: 20)
        let summary = SubmissionSummary(
            reports: [
                report("A", .accepted, sent: "2024-03-19"), // on time
                report("B", .sent, sent: "2024-03-22"), // late
                report("C", .draft), // 5 days overdue on 25/03
                report("D", .returned)
            ], deadline: deadline, tree: tree, today: CivilDate(year: 2024, month: 3, day: 25))
        #expect(summary.sent == 2 && summary.notSent == 2)
        #expect(summary.onTime == 1)
        #expect(summary.onTimeRate == 25)
        #expect(summary.rows.map(\.report.unitCode) == ["C", "D", "A", "B"])
        #expect(summary.rows.map(\.overdueDays) == [5, 5, nil, nil])
        #expect(summary.counts.first { $0.status == .draft }?.count == 1)
        #expect(SubmissionSummary.overdueDays(status: .draft, deadline: deadline, today: deadline) == nil)
    }
}
