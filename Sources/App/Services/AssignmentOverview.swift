import Fluent
import Foundation
import ReportingCore
import SQLKit

/// The monitoring menu's page: every assignment the user follows, with how
/// many units have sent, been accepted, or are overdue. Two queries (the
/// assignments, and report counts by assignment and state); the rows are
/// built by `make`, tested without a database.
struct AssignmentOverview {
    struct Count: Sendable {
        let assignmentID: UUID
        let status: ReportStatus
        let count: Int
    }

    struct Row: Encodable, Equatable {
        let id: String
        let title: String
        let period: String
        let deadline: String
        let receiver: String
        let total: Int
        let sent: Int
        let accepted: Int
        /// Units not sent after the deadline (0 before it).
        let overdue: Int
        /// "còn 5 ngày", "hạn hôm nay", "đã qua hạn 12 ngày".
        let timing: String
    }

    /// Who follows an assignment: the reviewers of its receiver and above, and administrators.
    static func follows(_ access: Access, receiverCode: String) -> Bool {
        access.user.role == .admin || (access.user.role == .reviewer && access.canRead(unitCode: receiverCode))
    }

    static func make(assignments: [Assignment], counts: [Count], access: Access, today: CivilDate) -> [Row] {
        var byAssignment: [UUID: [ReportStatus: Int]] = [:]
        for count in counts { byAssignment[count.assignmentID, default: [:]][count.status, default: 0] += count.count }
        return assignments.filter { follows(access, receiverCode: $0.receiverCode) }
            .sorted { a, b in
                if a.periodKey != b.periodKey { return ConsolidationScope.latestFirst(a.periodKey, b.periodKey) }
                return (a.deadline, a.title) > (b.deadline, b.title)
            }
            .compactMap { assignment -> Row? in
                guard let id = assignment.id else { return nil }
                let states = byAssignment[id] ?? [:]
                let total = states.values.reduce(0, +)
                let sent = (states[.sent] ?? 0) + (states[.accepted] ?? 0)
                let deadline = CivilDate(iso: assignment.deadline)
                let daysLeft = deadline.map { CivilDate.days(from: today, to: $0) }
                let overdue = (daysLeft ?? 0) < 0 ? total - sent : 0
                let timing: String =
                    daysLeft.map { days in
                        days < 0
                            ? "đã qua hạn \(VietnameseNumber.format(Double(-days))) ngày"
                            : days == 0 ? "hạn hôm nay" : "còn \(VietnameseNumber.format(Double(days))) ngày"
                    } ?? ""
                return Row(
                    id: id.uuidString, title: assignment.title,
                    period: Period(key: assignment.periodKey)?.label ?? assignment.periodKey,
                    deadline: deadline?.vietnamese ?? assignment.deadline,
                    receiver: access.tree[assignment.receiverCode]?.name ?? assignment.receiverCode,
                    total: total, sent: sent, accepted: states[.accepted] ?? 0, overdue: overdue, timing: timing)
            }
    }

    static func load(on database: any Database, access: Access, today: CivilDate) async throws -> [Row] {
        let assignments = try await Assignment.query(on: database).all()
        guard let sql = database as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("SELECT assignment_id, status, COUNT(*) AS n FROM reports GROUP BY assignment_id, status").all()
        let counts = try rows.map { row in
            Count(
                assignmentID: try row.decode(column: "assignment_id", as: UUID.self),
                status: try row.decode(column: "status", as: ReportStatus.self), count: try row.decode(column: "n", as: Int.self))
        }
        return make(assignments: assignments, counts: counts, access: access, today: today)
    }
}
