import Fluent
import Foundation
import NIOPosix
import SQLKit
import Testing
import Vapor

@testable import App

/// Notifications are outbox rows written with the workflow change they tell
/// about, and leave later through SMTP with retries.
@Suite("Email: outbox")
struct EmailOutboxTests {
    static let addresses = [
        "xa.nhaplieu": "xa.nhaplieu@bacgiang.gov.vn", "xa.lanhdao": "xa.lanhdao@bacgiang.gov.vn",
        "sotttt": "sotttt@bacgiang.gov.vn"
    ]

    static func withMailApp(_ body: (Application) async throws -> Void) async throws {
        try await withDemoApp(adjust: { config in
            config.publicURL = URL(string: "https://baocao.bacgiang.gov.vn")
            config.smtp = SMTPSettings(host: "127.0.0.1", port: 2525, from: "baocao@bacgiang.gov.vn")
        }) { app in
            for (username, email) in addresses {
                try await sql(app).update(User.schema).set("email", to: email).where("username", .equal, username).run()
            }
            try await body(app)
        }
    }

    static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

    struct Row: Decodable, Equatable {
        let kind: String
        let recipient: String
        let subject: String
        let body: String
        let attempts: Int
        let sent_at: Int64?
        let next_attempt_at: Int64?
        let last_error: String?
    }

    static func outbox(_ app: Application) async throws -> [Row] {
        try await sql(app).raw("SELECT * FROM email_outbox ORDER BY created_at, recipient").all(decoding: Row.self)
    }

    @Test func eachWorkflowStepWritesItsEmailsInItsTransaction() async throws {
        try await Self.withMailApp { app in
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(commune.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get(path)
            // Refused (errors on the form): no status change, no email.
            _ = try await reporter.save(path, form: ["version": "0", "v[6.3.1]": "1.200", "v[6.3.2]": "1.500"])
            #expect(try await reporter.post(path + "/action", form: ["action": "ask_approval"]).status == .unprocessableEntity)
            #expect(try await Self.outbox(app).isEmpty)

            // An outbox that cannot be written undoes the step: both commit or neither does.
            _ = try await reporter.save(path, form: WorkflowTests.completeCommuneForm(version: 1))
            try await Self.sql(app).raw("ALTER TABLE email_outbox RENAME TO email_outbox_away").run()
            #expect(try await reporter.post(path + "/action", form: ["action": "ask_approval"]).status != .seeOther)
            #expect(try await app.report(unit: commune.unitCode, period: "2024-Q1").status == .draft)
            try await Self.sql(app).raw("ALTER TABLE email_outbox_away RENAME TO email_outbox").run()
            #expect(try await Self.outbox(app).isEmpty)

            // Awaiting approval: to the unit's leader, naming form, period, unit, deadline and the link.
            _ = try await reporter.get(path)
            #expect(try await reporter.post(path + "/action", form: ["action": "ask_approval"]).status == .seeOther)
            let asked = try await Self.outbox(app)
            #expect(asked.map(\.recipient) == ["xa.lanhdao@bacgiang.gov.vn"])
            let row = try #require(asked.first)
            #expect(row.kind == "awaiting_approval" && row.attempts == 0 && row.sent_at == nil)
            #expect(row.subject.hasPrefix("[BaoCao] Báo cáo chờ duyệt: ") && row.subject.contains("Quý I năm 2024"))
            let unitName = try #require(try await app.unitDirectory.tree(on: app.db, version: nil)[commune.unitCode]?.name)
            #expect(row.subject.contains(unitName) && row.body.contains(unitName))
            #expect(row.body.contains("https://baocao.bacgiang.gov.vn/reports/\(commune.id!.uuidString)"))
            #expect(row.body.range(of: #"Hạn gửi báo cáo: \d{2}/\d{2}/\d{4}\."#, options: .regularExpression) != nil)

            // Sent: to the receiving unit's reviewer. Returned: to the reporter, with the comment.
            var leader = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await leader.get(path)
            #expect(try await leader.post(path + "/action", form: ["action": "send"]).status == .seeOther)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            _ = try await reviewer.get(path)
            #expect(
                try await reviewer.post(path + "/action", form: ["action": "return", "comment": "Kiểm tra lại 6.3.1"]).status == .seeOther)
            // The three steps may share a second of created_at: compare (kind, recipient) pairs sorted, not the rows' order.
            let all = try await Self.outbox(app)
            let pairs = all.map { [$0.kind, $0.recipient] }.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(
                pairs == [
                    ["awaiting_approval", "xa.lanhdao@bacgiang.gov.vn"], ["returned", "xa.nhaplieu@bacgiang.gov.vn"],
                    ["sent", "sotttt@bacgiang.gov.vn"]
                ])
            #expect(all.first { $0.kind == "returned" }?.body.contains("Kiểm tra lại 6.3.1") == true)
        }
    }

    @Test func noSMTPHostMeansNoOutboxRows() async throws {
        try await withDemoApp { app in
            #expect(app.workflowMail == nil)
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(commune.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get(path)
            _ = try await reporter.save(path, form: WorkflowTests.completeCommuneForm(version: 0))
            #expect(try await reporter.post(path + "/action", form: ["action": "ask_approval"]).status == .seeOther)
            #expect(try await Self.outbox(app).isEmpty)
        }
    }

    @Test func aRefusingServerIsRetriedLaterAndCounted() async throws {
        try await Self.withMailApp { app in
            let mail = try #require(app.workflowMail)
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let subject = try await WorkflowMail.subject(
                of: commune, library: app.library, tree: try await app.unitDirectory.tree(on: app.db, version: nil), on: Self.sql(app))
            try await mail.notify(.reminder, subject, actor: "Sở TT&TT", comment: "Đề nghị gửi báo cáo trước hạn.", on: Self.sql(app))
            #expect(try await Self.outbox(app).map(\.recipient).sorted() == ["xa.lanhdao@bacgiang.gov.vn", "xa.nhaplieu@bacgiang.gov.vn"])

            let refusing = try await FakeSMTPServer.start(.rejectRecipient)
            func drain(_ server: FakeSMTPServer) -> OutboxDrain {
                let client = SMTPClient(settings: server.settings(), group: MultiThreadedEventLoopGroup.singleton)
                return OutboxDrain(
                    database: Self.sql(app), settings: server.settings(), clock: app.clock, logger: app.logger,
                    deliver: { try await client.send($0) })
            }
            let start = app.clock.seconds()
            #expect(try await drain(refusing).drainOnce() == .init(sent: 0, failed: 2))
            await refusing.stop()
            let failed = try await Self.outbox(app)
            #expect(failed.allSatisfy { $0.attempts == 1 && $0.sent_at == nil && ($0.last_error ?? "").contains("550") })
            #expect(failed.allSatisfy { ($0.next_attempt_at ?? 0) >= start + 60 })
            // Not due yet: nothing is tried again.
            let accepting = try await FakeSMTPServer.start(.accept)
            #expect(try await drain(accepting).drainOnce() == .init(sent: 0, failed: 0))
            app.clock.advance(by: 61)
            #expect(try await drain(accepting).drainOnce() == .init(sent: 2, failed: 0))
            await accepting.stop()
            #expect(try await Self.outbox(app).allSatisfy { $0.attempts == 2 && $0.sent_at != nil && $0.last_error == nil })
            let delivered = accepting.deliveries.map { ReceivedMail($0.data) }
            #expect(delivered.count == 2)
            #expect(
                delivered.allSatisfy {
                    $0.subject.hasPrefix("[BaoCao] Nhắc nhở gửi báo cáo: ") && $0.body.contains("Đề nghị gửi báo cáo trước hạn.")
                })
            // Sent rows are never sent again.
            app.clock.advance(by: 3600)
            #expect(try await drain(accepting).drainOnce() == .init(sent: 0, failed: 0))
        }
    }

    @Test func aRowIsClaimedByOneSenderOnly() async throws {
        try await Self.withMailApp { app in
            let sql = Self.sql(app)
            try await EmailOutbox.enqueue(
                "reminder", reportID: nil, recipient: "a@bacgiang.gov.vn", subject: "Thử", body: "Nội dung",
                now: app.clock.seconds(), on: sql)
            let id = try #require(try await EmailOutbox.due(now: app.clock.seconds(), limit: 10, on: sql).first)
            #expect(try await EmailOutbox.claim(id, token: "một", now: app.clock.seconds(), on: sql) != nil)
            #expect(try await EmailOutbox.claim(id, token: "hai", now: app.clock.seconds(), on: sql) == nil)
            // A sender that died: its claim lapses after five minutes.
            app.clock.advance(by: Double(EmailOutbox.claimLifetime) + 1)
            #expect(try await EmailOutbox.claim(id, token: "hai", now: app.clock.seconds(), on: sql) != nil)
        }
    }

    @Test func backoffGrowsAndIsBounded() {
        #expect((1...12).map(EmailOutbox.backoff(afterAttempts:)) == [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600, 21600])
    }
}
