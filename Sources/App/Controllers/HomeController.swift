import Fluent
import ReportingCore
import Vapor

/// The home page: what needs me now (`WorkQueue`), my unit's reports, my reminders.
struct HomeController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get(use: home)
    }

    struct ReportRow: Encodable {
        let id: String
        let title: String
        let period: String
        let deadline: String
        let status: String
        let statusKey: String
        let overdueDays: Int?
        /// "còn 3 ngày" for a report still to send before its deadline.
        let daysLeft: String?
    }

    struct ReminderRow: Encodable {
        let message: String
        let at: String
        let sender: String
    }

    struct Page: Encodable {
        let layout: LayoutContext
        let queue: [WorkQueue.Section]
        let reports: [ReportRow]
        let reminders: [ReminderRow]
        let assignments: [AssignmentRow]
    }

    struct AssignmentRow: Encodable {
        let id: String
        let title: String
        let period: String
        let deadline: String
    }

    func home(req: Request) async throws -> View {
        let user = try req.requireUser()
        let today = CivilDate.today()
        let reports = try await Report.query(on: req.db).filter(\.$unitCode == user.unitCode).with(\.$assignment).all()
        let rows = reports.sorted { $0.periodKey > $1.periodKey }.map { report -> ReportRow in
            let deadline = CivilDate(iso: report.assignment.deadline)
            let overdue = SubmissionSummary.overdueDays(status: report.status, deadline: deadline, today: today)
            let left = deadline.map { CivilDate.days(from: today, to: $0) }
            let daysLeft =
                report.status.hasBeenSent || report.status == .awaitingApproval
                ? nil
                : left.flatMap { days in
                    days > 0 ? "còn \(days) ngày" : days == 0 ? "hạn hôm nay" : nil
                }
            return ReportRow(
                id: report.id!.uuidString, title: req.library.form(report.formID)?.form.displayTitle ?? report.formID,
                period: Period(key: report.periodKey)?.label ?? report.periodKey,
                deadline: deadline?.vietnamese ?? report.assignment.deadline,
                status: report.status.label, statusKey: report.status.rawValue, overdueDays: overdue, daysLeft: daysLeft)
        }
        let reminders = try await Reminder.query(on: req.db).filter(\.$unitCode == user.unitCode).sort(\.$createdAt, .descending).limit(10)
            .all()
        var assignments: [AssignmentRow] = []
        if user.role == .reviewer || user.role == .admin {
            assignments = try await Assignment.query(on: req.db).sort(\.$periodKey, .descending).all().map {
                AssignmentRow(
                    id: $0.id!.uuidString, title: $0.title, period: Period(key: $0.periodKey)?.label ?? $0.periodKey,
                    deadline: CivilDate(iso: $0.deadline)?.vietnamese ?? $0.deadline)
            }
        }
        let lines = try await WorkQueue.lines(on: req.db, role: user.role, unitCode: user.unitCode, today: today)
        var titles: [String: String] = [:]
        for id in Set(lines.map(\.formID)) { titles[id] = req.library.form(id)?.form.displayTitle ?? id }
        let queue = WorkQueue.make(
            lines: lines, role: user.role, unitCode: user.unitCode, tree: try await req.unitTree(),
            today: today, formTitles: titles)
        return try await req.view.render(
            "home",
            Page(
                layout: try await .make(req, title: "Trang chủ"), queue: queue.sections, reports: rows,
                reminders: reminders.map { ReminderRow(message: $0.message, at: VietnameseTime.format($0.createdAt), sender: $0.sender) },
                assignments: assignments))
    }
}
