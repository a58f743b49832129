import Fluent
import ReportingCore
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The data-entry page is reused while nothing it shows has changed, and
/// rendered anew as soon as anything has (ReportPageCache).
@Suite("Data-entry page cache")
struct ReportPageCacheTests {
    struct Fixture {
        let app: Application
        let report: Report
        let path: String
        var browser: Browser

        /// Views the page and says whether it came from the cache, and whether
        /// straight from the session read (`ReportPrefetch`), without a task.
        mutating func view() async throws -> (html: String, cached: Bool, fromSessionRead: Bool) {
            let before = app.reportPageCache.counts
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            let after = app.reportPageCache.counts
            return (page.body.string, after.hits == before.hits + 1, after.eventLoopHits == before.eventLoopHits + 1)
        }
    }

    func withFixture(_ body: (inout Fixture) async throws -> Void) async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            var fixture = Fixture(
                app: app, report: report, path: "/reports/\(report.id!.uuidString)",
                browser: try await Browser.signIn(app, as: "xa.nhaplieu"))
            try await body(&fixture)
        }
    }

    @Test func aSecondViewIsTheSamePageFromTheCache() async throws {
        try await withFixture { f in
            let first = try await f.view()
            #expect(!first.cached)
            let second = try await f.view()
            #expect(second.cached)
            #expect(second.fromSessionRead)
            #expect(second.html == first.html)
        }
    }

    /// The page served straight from the session read is checked as strictly
    /// as one rendered: another commune, or a signed-out session, never gets it.
    @Test func aPageFromTheSessionReadKeepsTheAccessRules() async throws {
        try await withFixture { f in
            _ = try await f.view()
            #expect(try await f.view().fromSessionRead)
            let otherCommune = try #require(
                try await User.query(on: f.app.db).filter(\.$role == .reporter)
                    .filter(\.$unitCode != f.report.unitCode).first())
            var stranger = try await Browser.signIn(f.app, as: otherCommune.username)
            for _ in 0..<2 {
                let before = f.app.reportPageCache.counts
                let refused = try await stranger.get(f.path)
                #expect(refused.status == .forbidden)
                #expect(!refused.body.string.contains("name=\"version\""))
                #expect(f.app.reportPageCache.counts.hits == before.hits)
            }
            #expect(try await f.browser.post("/logout", form: [:]).status == .seeOther)
            let signedOut = try await f.browser.get(f.path)
            #expect(signedOut.status != .ok)
            #expect(!signedOut.body.string.contains("name=\"version\""))
        }
    }

    @Test func anotherSessionGetsItsOwnTokenAndCanSaveWithIt() async throws {
        try await withFixture { f in
            _ = try await f.view()
            var other = try await Browser.signIn(f.app, as: "xa.nhaplieu")
            let before = f.app.reportPageCache.counts.hits
            let page = try await other.get(f.path).body.string
            #expect(f.app.reportPageCache.counts.hits == before + 1)
            #expect(other.csrf != f.browser.csrf)
            #expect(page.contains("name=\"csrf\" value=\"\(other.csrf!)\""))
            #expect(!page.contains(f.browser.csrf!))
            #expect(try await other.post(f.path, form: ["version": "0", "v[6.3.1]": "42"]).status == .seeOther)
        }
    }

    @Test func aSaveShowsAtOnce() async throws {
        try await withFixture { f in
            _ = try await f.view()
            _ = try await f.view()
            _ = try await f.browser.save(f.path, form: ["version": "0", "v[6.3.1]": "4321"])
            let after = try await f.view()
            #expect(!after.cached)
            #expect(after.html.contains("value=\"4321\""))
            #expect(try await f.view().cached)
        }
    }

    @Test func aNewDocumentShowsAtOnce() async throws {
        try await withFixture { f in
            // Saved first, so that the document does not also move the status.
            _ = try await f.browser.save(f.path, form: ["version": "0", "v[6.3.1]": "10"])
            _ = try await f.view()
            #expect(try await f.view().cached)
            let added = try await f.browser.post(
                f.path + "/documents",
                form: [
                    "mode": "paste", "lines": "Kế hoạch số 12/KH-UBND ngày 15/01/2024 của UBND xã về chuyển đổi số năm 2024"
                ])
            #expect(added.status == .seeOther)
            let after = try await f.view()
            #expect(!after.cached)
            #expect(after.html.contains("12/KH-UBND"))
        }
    }

    @Test func deadlineViewerAndUnitChangesShowAtOnce() async throws {
        try await withFixture { f in
            let sql = f.app.db as! any SQLDatabase
            _ = try await f.view()
            try await sql.raw("UPDATE assignments SET deadline = '2024-03-25' WHERE id = \(bind: f.report.$assignment.id)").run()
            let deadline = try await f.view()
            #expect(!deadline.cached && deadline.html.contains("Hạn gửi 25/03/2024"))
            try await sql.raw("UPDATE users SET display_name = 'Nguyễn Văn Mới' WHERE username = 'xa.nhaplieu'").run()
            let viewer = try await f.view()
            #expect(!viewer.cached && viewer.html.contains("Nguyễn Văn Mới"))
            try await sql.raw("UPDATE units SET name = 'Xã Đổi Tên' WHERE code = \(bind: f.report.unitCode)").run()
            f.app.unitDirectory.invalidate()
            let unit = try await f.view()
            #expect(!unit.cached && unit.html.contains("Xã Đổi Tên"))
        }
    }

    /// The page warns about jumps from the previous period's accepted report:
    /// a report accepted for that period after the page was cached changes it.
    @Test func thePreviousPeriodsAcceptedReportShowsAtOnce() async throws {
        try await withFixture { f in
            _ = try await f.browser.save(f.path, form: ["version": "0", "v[6.3.1]": "500"])
            let quiet = try await f.view()
            #expect(try await f.view().cached)
            let previousKey = Period(key: f.report.periodKey)!.previous.key
            let assignment = Assignment(
                formID: f.report.formID, periodKey: previousKey, deadline: "2023-12-20",
                receiverCode: DemoLoader.provinceCode, title: "Kỳ trước")
            try await assignment.save(on: f.app.db)
            let earlier = Report(assignmentID: assignment.id!, unitCode: f.report.unitCode, formID: f.report.formID, periodKey: previousKey)
            earlier.status = .accepted
            try await earlier.save(on: f.app.db)
            try await ReportValue(reportID: earlier.id!, code: "6.3.1", raw: "2", number: "2", note: nil).save(on: f.app.db)
            let warned = try await f.view()
            #expect(!warned.cached)
            #expect(warned.html != quiet.html)
            #expect(warned.html.contains("has-warning"))
            // Reopened, it no longer counts: the page changes back.
            earlier.status = .returned
            earlier.version += 1
            try await earlier.save(on: f.app.db)
            let reopened = try await f.view()
            #expect(!reopened.cached)
            #expect(reopened.html == quiet.html)
        }
    }

    @Test func turnedOffEveryViewRenders() async throws {
        try await withFixture { f in
            f.app.reportPageCache.isEnabled = false
            _ = try await f.view()
            #expect(try await f.view().cached == false)
            f.app.reportPageCache.isEnabled = true
            _ = try await f.view()
            #expect(try await f.view().cached)
        }
    }
}
