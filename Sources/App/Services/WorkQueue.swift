import Fluent
import Foundation
import ReportingCore
import SQLKit

/// "What needs me now" on the home page: reports to enter (with days left),
/// returned to me, waiting for my approval, sent to me for review, overdue
/// units below me. Built from plain report lines (`make`, tested without a
/// database); `lines` reads them in one query.
struct WorkQueue {
    /// One report as the queue needs it.
    struct Line: Sendable {
        let reportID: UUID
        let unitCode: String
        let formID: String
        let periodKey: String
        let status: ReportStatus
        /// ISO date, as assignments store it.
        let deadline: String
    }

    enum Kind: String, CaseIterable, Sendable {
        case toEnter = "can-nhap"
        case returned = "bi-tra-lai"
        case awaitingApproval = "cho-duyet"
        case toReview = "cho-tiep-nhan"
        case overdueBelow = "qua-han"

        var title: String {
            switch self {
            case .toEnter: return "Cần nhập"
            case .returned: return "Bị trả lại, cần sửa"
            case .awaitingApproval: return "Chờ tôi duyệt"
            case .toReview: return "Chờ tiếp nhận"
            case .overdueBelow: return "Quá hạn ở đơn vị cấp dưới"
            }
        }

        var emptyText: String {
            switch self {
            case .toEnter: return "Không có báo cáo nào đang chờ nhập."
            case .returned: return "Không có báo cáo nào bị trả lại."
            case .awaitingApproval: return "Không có báo cáo nào chờ duyệt."
            case .toReview: return "Không có báo cáo nào chờ tiếp nhận."
            case .overdueBelow: return "Không có đơn vị cấp dưới nào quá hạn."
            }
        }

        /// The sections each role sees, in order.
        static func sections(for role: Role) -> [Kind] {
            switch role {
            case .reporter: return [.toEnter, .returned]
            case .leader: return [.awaitingApproval, .toEnter, .returned]
            case .reviewer: return [.toReview, .overdueBelow]
            case .admin: return [.overdueBelow]
            }
        }
    }

    struct Item: Encodable, Equatable {
        let reportID: String
        let link: String
        let title: String
        let period: String
        let unitName: String
        let deadline: String
        /// "còn 3 ngày", "hạn hôm nay", "quá hạn 5 ngày".
        let timing: String
        let late: Bool
    }

    struct Section: Encodable, Equatable {
        let key: String
        let title: String
        let count: Int
        /// Where the count leads: the list below on the home page, or the monitoring page.
        let link: String
        /// The first `shown` items; `more` are not listed.
        let items: [Item]
        let more: Int
        let emptyText: String
    }

    let sections: [Section]

    /// How many items a section lists on the home page.
    static let shown = 10

    static func make(
        lines: [Line], role: Role, unitCode: String, tree: UnitTree, today: CivilDate,
        formTitles: [String: String]
    ) -> WorkQueue {
        func belongs(_ line: Line, to kind: Kind) -> Bool {
            let own = line.unitCode == unitCode
            switch kind {
            case .toEnter: return own && (line.status == .notStarted || line.status == .draft)
            case .returned: return own && line.status == .returned
            case .awaitingApproval: return own && line.status == .awaitingApproval
            case .toReview: return line.status == .sent && role == .reviewer && tree.isAncestor(unitCode, of: line.unitCode)
            case .overdueBelow:
                guard !line.status.hasBeenSent, let deadline = CivilDate(iso: line.deadline),
                    CivilDate.days(from: deadline, to: today) > 0
                else { return false }
                // An administrator looks after every unit.
                return role == .admin || tree.isAncestor(unitCode, of: line.unitCode)
            }
        }
        let sections = Kind.sections(for: role).map { kind -> Section in
            let members = lines.filter { belongs($0, to: kind) }.map { line -> (Line, Int?) in
                (line, CivilDate(iso: line.deadline).map { CivilDate.days(from: today, to: $0) })
            }.sorted { lhs, rhs in
                // The most pressing first: the nearest (or most overdue) deadline, then the unit's name.
                let a = (lhs.1 ?? Int.max, tree[lhs.0.unitCode]?.name ?? lhs.0.unitCode, lhs.0.periodKey)
                let b = (rhs.1 ?? Int.max, tree[rhs.0.unitCode]?.name ?? rhs.0.unitCode, rhs.0.periodKey)
                return a < b
            }
            let items = members.prefix(shown).map { line, daysLeft in
                Item(
                    reportID: line.reportID.uuidString, link: "/reports/\(line.reportID.uuidString)",
                    title: formTitles[line.formID] ?? line.formID, period: Period(key: line.periodKey)?.label ?? line.periodKey,
                    unitName: tree[line.unitCode]?.name ?? line.unitCode,
                    deadline: CivilDate(iso: line.deadline)?.vietnamese ?? line.deadline,
                    timing: timing(daysLeft: daysLeft, kind: kind), late: (daysLeft ?? 0) < 0)
            }
            return Section(
                key: kind.rawValue, title: kind.title, count: members.count,
                link: kind == .overdueBelow ? "/monitor" : "#\(kind.rawValue)",
                items: items, more: members.count - items.count, emptyText: kind.emptyText)
        }
        return WorkQueue(sections: sections)
    }

    /// Days before the deadline, said the way an officer says it.
    static func timing(daysLeft: Int?, kind: Kind) -> String {
        guard let days = daysLeft else { return "" }
        if days < 0 { return "quá hạn \(VietnameseNumber.format(Double(-days))) ngày" }
        if kind == .toReview || kind == .awaitingApproval { return "hạn gửi còn \(VietnameseNumber.format(Double(days))) ngày" }
        return days == 0 ? "hạn hôm nay" : "còn \(VietnameseNumber.format(Double(days))) ngày"
    }

    /// The lines a user's queue is made of, in one query: their unit's reports
    /// still to act on, or, for reviewers and administrators, every report
    /// sent or overdue (narrowed to the units below by `make`).
    static func lines(on database: any Database, role: Role, unitCode: String, today: CivilDate) async throws -> [Line] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let open = [ReportStatus.notStarted, .draft, .awaitingApproval, .returned].map(\.rawValue)
        let rows: [any SQLRow]
        switch role {
        case .reporter, .leader:
            rows = try await sql.raw(
                """
                SELECT r.id, r.unit_code, r.form_id, r.period_key, r.status, a.deadline
                FROM reports r JOIN assignments a ON a.id = r.assignment_id
                WHERE r.unit_code = \(bind: unitCode) AND r.status IN (\(binds: open))
                """
            ).all()
        case .reviewer, .admin:
            rows = try await sql.raw(
                """
                SELECT r.id, r.unit_code, r.form_id, r.period_key, r.status, a.deadline
                FROM reports r JOIN assignments a ON a.id = r.assignment_id
                WHERE r.status = \(bind: ReportStatus.sent.rawValue)
                   OR (r.status IN (\(binds: open)) AND a.deadline < \(bind: today.description))
                """
            ).all()
        }
        return try rows.map { row in
            Line(
                reportID: try row.decode(column: "id", as: UUID.self), unitCode: try row.decode(column: "unit_code", as: String.self),
                formID: try row.decode(column: "form_id", as: String.self),
                periodKey: try row.decode(column: "period_key", as: String.self),
                status: try row.decode(column: "status", as: ReportStatus.self),
                deadline: try row.decode(column: "deadline", as: String.self))
        }
    }
}
