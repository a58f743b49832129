import Foundation
import ReportingCore
import SQLKit
import Vapor

/// Who is told what by email, and in which words. Writes outbox rows on the
/// database it is given: the caller's transaction, so a refused or failed
/// change sends nothing and a committed one is never forgotten.
struct WorkflowMail: Sendable {
    /// BAOCAO_PUBLIC_URL: links in messages point there.
    let publicURL: URL
    let clock: AppClock

    enum Event: String, Sendable {
        case awaitingApproval = "awaiting_approval"
        case sent, returned, accepted, reopened, reminder
    }

    /// What the message names about the report.
    struct Subject: Sendable {
        let reportID: UUID
        let unitCode: String
        let unitName: String
        let formTitle: String
        let periodLabel: String
        let deadline: String
        let receiverCode: String
    }

    /// The form, period, unit, deadline and receiving unit of a report, read on `db`.
    static func subject(of report: Report, library: FormLibrary, tree: UnitTree, on db: any SQLDatabase) async throws -> Subject {
        let row = try await db.raw("SELECT deadline, receiver_code FROM assignments WHERE id = \(bind: report.$assignment.id)").first()
        let deadline = try row?.decode(column: "deadline", as: String.self) ?? report.deadline ?? ""
        return Subject(
            reportID: try report.requireID(), unitCode: report.unitCode, unitName: tree[report.unitCode]?.name ?? report.unitCode,
            formTitle: library.form(report.formID)?.form.displayTitle ?? report.formID,
            periodLabel: Period(key: report.periodKey)?.label ?? report.periodKey,
            deadline: CivilDate(iso: deadline)?.vietnamese ?? deadline,
            receiverCode: try row?.decode(column: "receiver_code", as: String.self) ?? "")
    }

    /// The users an event goes to: those with an address, of these roles, in this unit.
    static func recipients(unit: String, roles: [Role], on db: any SQLDatabase) async throws -> [(email: String, name: String)] {
        let rows = try await db.select().columns("email", "display_name").from(User.schema)
            .where("unit_code", .equal, unit)
            .where(SQLIdentifier("role"), .in, SQLBind.group(roles.map(\.rawValue)))
            .where("email", .isNot, SQLLiteral.null)
            .orderBy("username").all()
        var seen = Set<String>()
        return try rows.compactMap { row -> (email: String, name: String)? in
            guard let email = try row.decode(column: "email", as: String?.self), EmailAddress.isValid(email),
                seen.insert(email.lowercased()).inserted
            else { return nil }
            return (email, try row.decode(column: "display_name", as: String.self))
        }
    }

    static func audience(of event: Event, _ subject: Subject) -> (unit: String, roles: [Role]) {
        switch event {
        case .awaitingApproval: return (subject.unitCode, [.leader])
        case .sent: return (subject.receiverCode, [.reviewer])
        case .returned: return (subject.unitCode, [.reporter])
        case .accepted, .reopened, .reminder: return (subject.unitCode, [.reporter, .leader])
        }
    }

    /// Writes one outbox row per recipient of `event`.
    func notify(_ event: Event, _ subject: Subject, actor: String, comment: String?, on db: any SQLDatabase) async throws {
        let audience = Self.audience(of: event, subject)
        let now = clock.seconds()
        for recipient in try await Self.recipients(unit: audience.unit, roles: audience.roles, on: db) {
            let text = message(event, subject, recipientName: recipient.name, actor: actor, comment: comment)
            try await EmailOutbox.enqueue(
                event.rawValue, reportID: subject.reportID, recipient: recipient.email,
                subject: text.subject, body: text.body, now: now, on: db)
        }
    }

    func link(_ reportID: UUID) -> String {
        var base = publicURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/reports/" + reportID.uuidString
    }

    /// The Vietnamese subject and body.
    func message(_ event: Event, _ s: Subject, recipientName: String, actor: String, comment: String?) -> (subject: String, body: String) {
        let what = "“\(s.formTitle)” kỳ \(s.periodLabel) của \(s.unitName)"
        let note = comment.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        let title: String
        var lines: [String]
        switch event {
        case .awaitingApproval:
            title = "Báo cáo chờ duyệt"
            lines = ["Báo cáo \(what) đang chờ lãnh đạo đơn vị duyệt và gửi.", "Người đề nghị duyệt: \(actor)."]
        case .sent:
            title = "Báo cáo mới gửi đến"
            lines = ["\(s.unitName) đã gửi báo cáo \(what). Đề nghị xem xét, tiếp nhận hoặc trả lại.", "Người gửi: \(actor)."]
        case .returned:
            title = "Báo cáo bị trả lại"
            lines = ["Báo cáo \(what) đã bị trả lại để sửa.", "Ý kiến của cán bộ tiếp nhận (\(actor)): \(note ?? "không có")."]
        case .accepted:
            title = "Báo cáo đã được tiếp nhận"
            lines = ["Báo cáo \(what) đã được tiếp nhận.", "Người tiếp nhận: \(actor)."]
        case .reopened:
            title = "Báo cáo được mở lại để sửa"
            lines = ["Báo cáo \(what) đã được mở lại để chỉnh sửa (bản sửa đổi).", "Người mở lại: \(actor)."]
            if let note { lines.append("Ý kiến: \(note).") }
        case .reminder:
            title = "Nhắc nhở gửi báo cáo"
            lines = ["\(note ?? "Đề nghị đơn vị hoàn thành và gửi báo cáo \(what).")", "Người nhắc: \(actor)."]
        }
        let subject = "[BaoCao] \(title): \(s.formTitle) – \(s.periodLabel) – \(s.unitName)"
        let body =
            (["Kính gửi \(recipientName),", ""] + lines + [
                "Hạn gửi báo cáo: \(s.deadline).",
                "Xem báo cáo: \(link(s.reportID))",
                "",
                "Thư này được gửi tự động từ hệ thống BaoCao; xin đừng trả lời thư này."
            ]).joined(separator: "\n")
        return (MailMessage.oneLine(subject), body)
    }
}

extension Application {
    /// The outbox writer, or nil when email is off (no BAOCAO_SMTP_HOST).
    var workflowMail: WorkflowMail? {
        guard config.smtp != nil, let url = config.publicURL else { return nil }
        return WorkflowMail(publicURL: url, clock: clock)
    }
}

extension ReportService.Action {
    var mailEvent: WorkflowMail.Event {
        switch self {
        case .askApproval: return .awaitingApproval
        case .send: return .sent
        case .returnReport: return .returned
        case .accept: return .accepted
        case .reopen: return .reopened
        }
    }
}
