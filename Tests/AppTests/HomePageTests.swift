import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Each demo role's home page and header menu through HTTP: the work queue's
/// sections and counts, the menu's links answering, the calm form.
@Suite("Home page and menu per role")
struct HomePageTests {
    @Test func everyMenuLinkOfEveryRoleAnswers() async throws {
        try await withDemoApp { app in
            for user in ["admin", "sotttt", "tinh.nhaplieu", "xa.nhaplieu", "xa.lanhdao", "huyen.nhaplieu", "huyen.lanhdao"] {
                var browser = try await Browser.signIn(app, as: user)
                let home = try await browser.get("/")
                #expect(home.status == .ok)
                let html = home.body.string
                #expect(html.contains("<nav class=\"menu\" aria-label=\"Chức năng\">"), "\(user)")
                let links = html.matches(of: /data-menu="[a-zA-Z]+"/).count
                #expect(links >= 3, "\(user): \(links) menu links")
                for path in html.matches(of: /<a href="([^"#]+)[^"]*" data-menu=/).map({ String($0.1) }) {
                    let status = try await browser.get(path).status
                    #expect(status == .ok, "\(user): menu link \(path) → \(status)")
                }
            }
        }
    }

    @Test func theHomePageSaysWhatNeedsEachRoleNow() async throws {
        try await withDemoApp { app in
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let own = try await Report.query(on: app.db).filter(\.$unitCode == (try await app.unitCode(kind: .commune))).all()
            let toEnter = own.filter { $0.status == .notStarted || $0.status == .draft }.count
            let page = try await reporter.get("/").body.string
            #expect(page.contains("data-work=\"can-nhap\"><span class=\"count\">\(toEnter)</span>"), "\(toEnter) to enter")
            #expect(page.contains("id=\"bi-tra-lai\""))
            #expect(!page.contains("id=\"cho-tiep-nhan\""))

            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let reviewing = try await reviewer.get("/").body.string
            #expect(reviewing.contains("id=\"cho-tiep-nhan\"") && reviewing.contains("id=\"qua-han\""))
            #expect(!reviewing.contains("id=\"can-nhap\""))

            var leader = try await Browser.signIn(app, as: "xa.lanhdao")
            #expect(try await leader.get("/").body.string.contains("id=\"cho-duyet\""))
        }
    }

    @Test func monitoringIsForReviewersAndAdministrators() async throws {
        try await withDemoApp { app in
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let page = try await reviewer.get("/monitor")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("/assignments/"))
            var admin = try await Browser.signIn(app, as: "admin")
            #expect(try await admin.get("/monitor").status == .ok)
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await reporter.get("/monitor").status == .forbidden)
        }
    }

    @Test func anUntouchedReportIsCalmButCannotBeSent() async throws {
        try await withDemoApp { app in
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let html = try await reporter.get("/reports/\(commune.id!)").body.string
            #expect(!html.contains("Chưa nhập chỉ tiêu bắt buộc"))
            #expect(!html.contains("has-error"))
            #expect(html.contains("<p class=\"summary\">0 lỗi"))
            #expect(html.contains("chỉ tiêu bắt buộc chưa nhập"))
            // Sending still refuses, naming the missing rows.
            let refused = try await reporter.post("/reports/\(commune.id!)/action", form: ["action": "ask_approval"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Chưa nhập chỉ tiêu bắt buộc"))
        }
    }
}
