import Fluent
import ReportingCore
import Vapor

/// The home page: what is due for my unit, my reminders.
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
    }

    struct ReminderRow: Encodable {
        let message: String
        let at: String
        let sender: String
    }

    struct Page: Encodable {
        let layout: LayoutContext
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
            return ReportRow(id: report.id!.uuidString, title: req.library.form(report.formID)?.form.displayTitle ?? report.formID,
                             period: Period(key: report.periodKey)?.label ?? report.periodKey,
                             deadline: deadline?.vietnamese ?? report.assignment.deadline,
                             status: report.status.label, statusKey: report.status.rawValue, overdueDays: overdue)
        }
        let reminders = try await Reminder.query(on: req.db).filter(\.$unitCode == user.unitCode).sort(\.$createdAt, .descending).limit(10).all()
        var assignments: [AssignmentRow] = []
        if user.role == .reviewer || user.role == .admin {
            assignments = try await Assignment.query(on: req.db).sort(\.$periodKey, .descending).all().map {
                AssignmentRow(id: $0.id!.uuidString, title: $0.title, period: Period(key: $0.periodKey)?.label ?? $0.periodKey,
                              deadline: CivilDate(iso: $0.deadline)?.vietnamese ?? $0.deadline)
            }
        }
        return try await req.view.render("home", Page(
            layout: try await .make(req, title: "Trang chủ"), reports: rows,
            reminders: reminders.map { ReminderRow(message: $0.message, at: VietnameseTime.format($0.createdAt), sender: $0.sender) },
            assignments: assignments))
    }
}
