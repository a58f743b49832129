import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("Data entry and the review workflow")
struct WorkflowTests {
    @Test func loginPageAndWrongPassword() async throws {
        try await withDemoApp { app in
            var browser = Browser(app: app)
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Đăng nhập"))
            let wrong = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": "sai-mat-khau"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            var stranger = Browser(app: app)
            let anonymous = try await stranger.get("/")
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func loginAttemptsAreLimited() async throws {
        try await withDemoApp { app in
            var browser = Browser(app: app)
            try await browser.refreshToken(path: "/login")
            for _ in 0..<AuthController.maxFailures {
                _ = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": "sai"])
            }
            let blocked = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword])
            #expect(blocked.status == .tooManyRequests)
        }
    }

    @Test func cookieIsHttpOnlyAndSameSite() async throws {
        try await withDemoApp { app in
            var browser = Browser(app: app)
            let page = try await browser.get("/login")
            let header = page.headers.first(name: .setCookie) ?? ""
            #expect(header.contains("HttpOnly"))
            #expect(header.lowercased().contains("samesite=lax"))
        }
    }

    @Test func fillWithAnErrorFixItSendReviewAccept() async throws {
        try await withDemoApp { app in
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(commune.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get(path)
            // 6.3.2 above its total 6.3.1: flagged on its row, in Vietnamese.
            let saved = try await reporter.save(path, form: ["version": "0", "v[6.3.1]": "1.200", "v[6.3.2]": "1.500"])
            #expect(saved.status == .ok)
            #expect(saved.body.string.contains("<textarea name=\"nextTasks\" rows=\"4\" >"))
            #expect(saved.body.string.contains("lớn hơn tổng của nó"))
            let blocked = try await reporter.post(path + "/action", form: ["action": "ask_approval"])
            #expect(blocked.status == .unprocessableEntity)
            #expect(try await app.report(unit: commune.unitCode, period: "2024-Q1").status == .draft)
            // Fix it, fill the rest the commune must fill, and ask the leader.
            let fixed = try await reporter.save(path, form: Self.completeCommuneForm(version: 1))
            #expect(fixed.status == .ok)
            let remaining = fixed.body.string.matches(of: /class="problem[^"]*"[^>]*>([^<]+)</).map { String($0.1) }
            #expect(fixed.body.string.contains("Không có lỗi"), "\(remaining)")
            #expect(remaining.isEmpty)
            let asked = try await reporter.post(path + "/action", form: ["action": "ask_approval"])
            #expect(asked.status == .seeOther)
            var leader = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await leader.get(path)
            #expect(try await leader.post(path + "/action", form: ["action": "send"]).status == .seeOther)
            #expect(try await app.report(unit: commune.unitCode, period: "2024-Q1").status == .sent)
            // The reviewer returns it with a comment, the unit resends, the reviewer accepts.
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            _ = try await reviewer.get(path)
            let noComment = try await reviewer.post(path + "/action", form: ["action": "return", "comment": " "])
            #expect(noComment.status == .unprocessableEntity)
            #expect(
                try await reviewer.post(path + "/action", form: ["action": "return", "comment": "Kiểm tra lại 6.3.1"]).status == .seeOther)
            #expect(try await app.report(unit: commune.unitCode, period: "2024-Q1").status == .returned)
            _ = try await leader.get(path)
            #expect(try await leader.post(path + "/action", form: ["action": "send"]).status == .seeOther)
            _ = try await reviewer.get(path)
            #expect(try await reviewer.post(path + "/action", form: ["action": "accept"]).status == .seeOther)
            let accepted = try await app.report(unit: commune.unitCode, period: "2024-Q1")
            #expect(accepted.status == .accepted)
            // Accepted is locked for the unit, narrative included.
            let locked = try await reporter.get(path).body.string
            #expect(locked.contains("<label>I. Kết quả đạt được<textarea name=\"achievements\" rows=\"5\" readonly>"))
            #expect(locked.contains("<label>IV. Kiến nghị, đề xuất<textarea name=\"proposals\" rows=\"3\" readonly>"))
            #expect(try await reporter.post(path, form: ["version": String(accepted.version), "v[6.3.1]": "1"]).status == .forbidden)
            // Reopening keeps the accepted revision readable.
            _ = try await reviewer.get(path)
            #expect(try await reviewer.post(path + "/action", form: ["action": "reopen", "comment": "Bổ sung số liệu"]).status == .seeOther)
            let reopened = try await app.report(unit: commune.unitCode, period: "2024-Q1")
            #expect(reopened.revision == 2)
            #expect(try await ReportRevision.query(on: app.db).filter(\.$report.$id == reopened.id!).count() == 1)
            let history = try await reviewer.get(path + "/history")
            #expect(history.body.string.contains("Đã tiếp nhận"))
            #expect(history.body.string.contains("6.3.2"))
            #expect(history.body.string.contains("Bản đã tiếp nhận lần 1"))
        }
    }

    /// A reopened report's accepted revision stays readable whole: its cells
    /// with their indicators, its narrative and its Phụ lục I, as accepted.
    @Test func aReopenedRevisionStaysReadableWhole() async throws {
        try await withDemoApp { app in
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(commune.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get(path)
            var form = Self.completeCommuneForm(version: 0)
            form["achievements"] = "Hoàn thành cổng dịch vụ công của xã."
            for key in ["assessment", "nextTasks", "proposals"] { form[key] = "" }
            #expect(try await reporter.save(path, form: form).status == .ok)
            #expect(
                try await reporter.post(
                    path + "/documents",
                    form: [
                        "mode": "paste", "lines": "Kế hoạch số 12/KH-UBND ngày 15/01/2024 của UBND xã về chuyển đổi số năm 2024"
                    ]
                ).status == .seeOther)
            _ = try await reporter.get(path)
            #expect(try await reporter.post(path + "/action", form: ["action": "ask_approval"]).status == .seeOther)
            var leader = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await leader.get(path)
            #expect(try await leader.post(path + "/action", form: ["action": "send"]).status == .seeOther)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            _ = try await reviewer.get(path)
            #expect(try await reviewer.post(path + "/action", form: ["action": "accept"]).status == .seeOther)
            _ = try await reviewer.get(path)
            #expect(try await reviewer.post(path + "/action", form: ["action": "reopen", "comment": "Bổ sung"]).status == .seeOther)
            // The unit changes a figure and its narrative after the reopening.
            let reopened = try await app.report(unit: commune.unitCode, period: "2024-Q1")
            _ = try await reporter.get(path)
            #expect(
                try await reporter.save(
                    path,
                    form: [
                        "version": String(reopened.version), "v[6.3.1]": "1.250",
                        "achievements": "Đã sửa.", "assessment": "", "nextTasks": "", "proposals": ""
                    ]
                ).status == .ok)
            let history = try await reviewer.get(path + "/history").body.string
            let revision = try #require(history.firstRange(of: "Bản đã tiếp nhận lần 1").map { String(history[$0.lowerBound...]) })
            #expect(revision.contains("<td>6.3.1</td><td>"))
            #expect(revision.contains("<td class=\"number\">1.200</td>"))
            #expect(!revision.contains("1.250"))
            #expect(revision.contains("I. Kết quả đạt được</h3><p class=\"narrative\">Hoàn thành cổng dịch vụ công của xã.</p>"))
            #expect(!revision.contains("Đã sửa."))
            #expect(revision.contains("Phụ lục I. Văn bản đã ban hành"))
            #expect(revision.contains("12/KH-UBND"))
            // The indicator's name from the form, not just its code.
            let name = try #require(app.library.form(commune.formID)?.indicators.first { $0.code == "6.3.1" }?.name)
            #expect(revision.contains(name.replacingOccurrences(of: "&", with: "&amp;")))
        }
    }

    /// Every row a commune fills in the 2024 e-government form, consistent.
    static func completeCommuneForm(version: Int) -> [String: String] {
        [
            "version": String(version), "v[1]": "1", "v[2]": "2", "v[3]": "100", "v[4]": "2",
            "v[5.1.3]": "100", "v[5.2]": "100", "v[5.2.3]": "100", "v[5.3.3]": "100",
            "v[6.1.1]": "28", "v[6.1.2]": "28", "v[6.2.1]": "20", "v[6.2.2]": "18",
            "v[6.3.1]": "1.200", "v[6.3.2]": "1.100", "v[6.4.1]": "300", "v[6.4.2]": "250",
            "v[6.5.1]": "91", "v[6.5.2]": "91"
        ]
    }

    @Test func staleSaveIsRefusedWithTheDiff() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var first = try await Browser.signIn(app, as: "xa.nhaplieu")
            var second = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await first.get(path)
            _ = try await second.get(path)
            #expect(try await first.post(path, form: ["version": "0", "v[6.3.1]": "100"]).status == .seeOther)
            let stale = try await second.post(path, form: ["version": "0", "v[6.3.1]": "200"])
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("đã được người khác lưu"))
            #expect(stale.body.string.contains("<td>100</td><td>200</td>"))
            let stored = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").first()
            #expect(stored?.raw == "100")
            // The page a save leads to says when the report moved on after it.
            #expect(try await second.post(path, form: ["version": "1", "v[6.3.1]": "300"]).status == .seeOther)
            let after = try await first.get(path + "?saved=1")
            #expect(after.body.string.contains("Đã lưu phiên bản 1. Sau đó báo cáo đã được lưu tiếp (nay là phiên bản 2)"))
        }
    }

    /// A workflow step writes the row it read only if no save landed since.
    @Test func aWorkflowStepNeverOverwritesASaveMadeMeanwhile() async throws {
        try await withDemoApp { app in
            let stale = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(stale.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get(path)
            _ = try await reporter.save(path, form: ["version": String(stale.version), "achievements": "Đã lưu sau", "v[6.3.1]": "5"])
            // The service's refusal is a conflict: the HTTP layer answers it with 409.
            let refusal = await #expect(throws: ServiceError.self) {
                try await app.db.transaction { try await ReportService.claimNextVersion(of: stale, on: $0) }
            }
            #expect(refusal?.kind == .conflict && refusal?.status == .conflict)
            let stored = try await app.report(unit: stale.unitCode, period: "2024-Q1")
            #expect(stored.version == stale.version + 1)
            #expect(stored.achievements == "Đã lưu sau")
            try await app.db.transaction { try await ReportService.claimNextVersion(of: stored, on: $0) }
            #expect(stored.version == stale.version + 2)
        }
    }

    /// Whatever an officer types comes back escaped in the grid, never as markup.
    @Test func typedValuesAndNotesAreEscapedInTheGrid() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await browser.get(path)
            let page = try await browser.save(path, form: ["version": "0", "v[6.3.1]": "\"><script>x</script>", "n[6.3.1]": "a & 'b' <i>"])
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(!html.contains("<script>x"))
            #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
            #expect(html.contains("value=\"a &amp; &#39;b&#39; &lt;i&gt;\""))
        }
    }

    @Test func concurrentSavesOfOneVersionLetExactlyOneThrough() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await browser.get(path)
            let first = browser
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 1...6 {
                    group.addTask {
                        var copy = first
                        return try await copy.post(path, form: ["version": "0", "v[6.3.1]": String(n * 100)]).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
            #expect(try await app.report(unit: report.unitCode, period: "2024-Q1").version == 1)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).filter(\.$action == "value").count() == 1)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let response = try await browser.post(
                "/reports/\(report.id!.uuidString)", form: ["version": "0", "v[6.3.1]": "5"], includeToken: false)
            #expect(response.status == .forbidden)
            #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).count() == 0)
            var anonymous = Browser(app: app)
            #expect(
                try await anonymous.post("/login", form: ["username": "admin", "password": "x"], includeToken: false).status == .forbidden)
        }
    }

    /// The save form is read by hand (`FormBody`): what a browser encodes,
    /// "+" for spaces and percent-escapes for Vietnamese, comes back as typed.
    @Test func aPostedFormIsReadAsTheBrowserEncodedIt() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await browser.get(path)
            func post(_ body: String) async throws -> HTTPStatus {
                var status: HTTPStatus?
                let cookie = browser.cookie!
                try await app.testing().test(
                    .POST, path,
                    beforeRequest: { request in
                        request.headers.cookie = ["baocao_session": .init(string: cookie)]
                        request.headers.contentType = .urlEncodedForm
                        request.body = ByteBuffer(string: "csrf=\(Browser.escape(browser.csrf!))&" + body)
                    }, afterResponse: { status = $0.status })
                return status!
            }
            #expect(try await post("version=0&v%5B6.3.1%5D=%7E") == .seeOther) // a change to take the version on
            #expect(
                try await post(
                    "version=1&v%5Bx%5D&v%5B6.3.1%5D=+1.234+&n%5B6.3.1%5D=Ghi+ch%C3%BA+c%E1%BB%A7a+x%C3%A3+%2B+1"
                        + "&achievements=K%E1%BA%BFt+qu%E1%BA%A3%0D%0Ad%C3%B2ng+2&assessment=&nextTasks=&proposals=")
                    == .unprocessableEntity)
            #expect(
                try await post(
                    "version=1&v%5B6.3.1%5D=+1.234+&n%5B6.3.1%5D=Ghi+ch%C3%BA+c%E1%BB%A7a+x%C3%A3+%2B+1"
                        + "&achievements=K%E1%BA%BFt+qu%E1%BA%A3%0D%0Ad%C3%B2ng+2&assessment=&nextTasks=&proposals=") == .seeOther)
            let cell = try #require(
                try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").first())
            #expect(cell.raw == "1.234")
            #expect(cell.number == "1234")
            #expect(cell.note == "Ghi chú của xã + 1")
            let saved = try await app.report(unit: report.unitCode, period: "2024-Q1")
            #expect(saved.achievements == "Kết quả\r\ndòng 2")
            #expect(saved.version == 2)
            // Not percent-encoding, or no version: refused, nothing written.
            #expect(try await post("version=2&v%5B6.3.1%5D=%ZZ") == .badRequest)
            #expect(try await post("version=2&v%5B6.3.1%5D=%FF%FE") == .badRequest) // not UTF-8
            #expect(try await post("version=2&v%5B6.3.1%5D=5%2") == .badRequest)
            #expect(try await post("v%5B6.3.1%5D=5") == .badRequest)
            #expect(try await app.report(unit: report.unitCode, period: "2024-Q1").version == 2)
            #expect(
                try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").first()?.raw
                    == "1.234")
        }
    }

    @Test func badInputChangesNothing() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await browser.get(path)
            let unknown = try await browser.post(path, form: ["version": "0", "v[6.3.1]": "5", "v[99.9]": "1"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("99.9"))
            let huge = try await browser.post(path, form: ["version": "0", "v[6.3.1]": String(repeating: "9", count: 3_000_000)])
            #expect(huge.status == .payloadTooLarge)
            let malformed = try await browser.post(path, form: ["version": "abc"])
            #expect(malformed.status == .badRequest)
            #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).count() == 0)
            // A malformed number is saved as typed but flagged, never guessed.
            let typed = try await browser.save(path, form: ["version": "0", "v[6.3.1]": "97.1"])
            #expect(typed.body.string.contains("không rõ nghĩa"))
        }
    }
}
