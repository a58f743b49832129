import Fluent
import ReportingCore
import SQLKit
import Vapor

/// For the reviewer: who has sent, who is late, who was returned; reminders.
struct MonitorController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("monitor", use: index)
        let assignments = routes.grouped("assignments", ":assignmentID")
        assignments.get("monitor", use: monitor)
        assignments.post("remind", use: remind)
    }

    struct Page: Encodable {
        struct Row: Encodable {
            let reportID: String
            let unitName: String
            let unitKind: String
            let status: String
            let statusKey: String
            let overdueDays: Int?
            let sentOn: String?
        }
        struct Count: Encodable {
            let label: String
            let key: String
            let count: Int
        }
        let layout: LayoutContext
        let assignmentID: String
        let title: String
        let period: String
        let deadline: String
        let rows: [Row]
        let counts: [Count]
        let onTimeRate: String
        let notSent: Int
        let message: String?
    }

    struct IndexPage: Encodable {
        let layout: LayoutContext
        let rows: [AssignmentOverview.Row]
    }

    /// The menu's "Theo dõi": every assignment the user follows, with its counts.
    func index(req: Request) async throws -> View {
        let access = try await req.access()
        guard access.user.role == .reviewer || access.user.role == .admin else {
            throw Abort(
                .forbidden,
                reason: "Chỉ cán bộ tiếp nhận và quản trị hệ thống mới xem được trang theo dõi. Báo cáo của đơn vị bạn ở trang chủ.")
        }
        let rows = try await AssignmentOverview.load(on: req.db, access: access, today: .today())
        return try await req.view.render("monitor-index", IndexPage(layout: try await .make(req, title: "Theo dõi"), rows: rows))
    }

    func load(_ req: Request) async throws -> (Assignment, [Report], Access) {
        let access = try await req.access()
        let (assignment, reports) = try await AssignmentMonitor(database: req.db, access: access)
            .load(req.parameters.get("assignmentID").flatMap(UUID.init(uuidString:)))
        return (assignment, reports, access)
    }

    func monitor(req: Request) async throws -> View {
        let (assignment, reports, access) = try await load(req)
        return try await render(req, assignment, reports, access, message: nil)
    }

    func render(_ req: Request, _ assignment: Assignment, _ reports: [Report], _ access: Access, message: String?) async throws -> View {
        let deadline = CivilDate(iso: assignment.deadline)
        let summary = SubmissionSummary(reports: reports, deadline: deadline, tree: access.tree)
        let rows = summary.rows.map { row in
            Page.Row(
                reportID: row.report.id!.uuidString, unitName: row.unit?.name ?? row.report.unitCode,
                unitKind: row.unit?.kind.label ?? "", status: row.report.status.label, statusKey: row.report.status.rawValue,
                overdueDays: row.overdueDays, sentOn: row.report.sentAt.map(VietnameseTime.format))
        }
        let counts = summary.counts.map { Page.Count(label: $0.status.label, key: $0.status.rawValue, count: $0.count) }
        return try await req.view.render(
            "monitor",
            Page(
                layout: try await .make(req, title: "Theo dõi tình hình gửi báo cáo"), assignmentID: assignment.id!.uuidString,
                title: assignment.title, period: Period(key: assignment.periodKey)?.label ?? assignment.periodKey,
                deadline: deadline?.vietnamese ?? assignment.deadline, rows: rows, counts: counts,
                onTimeRate: VietnameseNumber.formatPercent(summary.onTimeRate), notSent: summary.notSent, message: message))
    }

    func remind(req: Request) async throws -> View {
        let (assignment, reports, access) = try await load(req)
        let pending = reports.filter { !$0.status.hasBeenSent }
        let deadline = CivilDate(iso: assignment.deadline)?.vietnamese ?? assignment.deadline
        let now = Date()
        let mail = req.application.workflowMail, library = req.library
        try await req.db.transaction { db in
            for report in pending {
                let message = "Đề nghị đơn vị hoàn thành và gửi “\(assignment.title)” (hạn \(deadline))."
                try await Reminder(
                    unitCode: report.unitCode, reportID: report.id!, message: message,
                    createdAt: now, sender: access.user.displayName
                ).save(on: db)
                // The same reminder by email, committed with it (`WorkflowMail`).
                if let mail, let sql = db as? any SQLDatabase {
                    let subject = try await WorkflowMail.subject(of: report, library: library, tree: access.tree, on: sql)
                    try await mail.notify(.reminder, subject, actor: access.user.displayName, comment: message, on: sql)
                }
            }
        }
        return try await render(req, assignment, reports, access, message: "Đã gửi nhắc nhở tới \(pending.count) đơn vị chưa gửi báo cáo.")
    }
}
