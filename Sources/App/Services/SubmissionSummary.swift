import Foundation
import ReportingCore

/// Who has sent an assignment's report, who is late and by how many days, and
/// the on-time rate: one computation for the monitoring page, the API and
/// the home page.
struct SubmissionSummary {
    struct Row {
        let report: Report
        let unit: ReportingUnit?
        /// Days past the deadline for a report not yet sent; nil otherwise.
        let overdueDays: Int?
    }

    let rows: [Row]
    let counts: [(status: ReportStatus, count: Int)]
    let sent: Int
    let onTime: Int
    /// On-time sendings as a share of all assigned units, in percent.
    let onTimeRate: Double
    var total: Int { rows.count }
    var notSent: Int { total - sent }

    init(reports: [Report], deadline: CivilDate?, tree: UnitTree, today: CivilDate = .today()) {
        rows = reports.map { report in
            Row(
                report: report, unit: tree[report.unitCode],
                overdueDays: Self.overdueDays(status: report.status, deadline: deadline, today: today))
        }.sorted { lhs, rhs in
            let a = (lhs.overdueDays ?? -1, rhs.unit?.name ?? rhs.report.unitCode)
            let b = (rhs.overdueDays ?? -1, lhs.unit?.name ?? lhs.report.unitCode)
            return a > b
        }
        counts = ReportStatus.allCases.map { status in (status, reports.filter { $0.status == status }.count) }
        let sentReports = reports.filter { $0.status.hasBeenSent }
        sent = sentReports.count
        onTime =
            sentReports.filter { report in
                guard let deadline, let sentAt = report.sentAt else { return false }
                return CivilDate.days(from: deadline, to: CivilDate(sentAt)) <= 0
            }.count
        onTimeRate = reports.isEmpty ? 0 : Double(onTime) / Double(reports.count) * 100
    }

    static func overdueDays(status: ReportStatus, deadline: CivilDate?, today: CivilDate) -> Int? {
        guard let deadline, !status.hasBeenSent else { return nil }
        let days = CivilDate.days(from: deadline, to: today)
        return days > 0 ? days : nil
    }

}
