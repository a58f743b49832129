import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Sessions live in the database with their user, and end when the password changes.
@Suite("Sessions")
struct SessionTests {
    func sessionUserID(_ app: Application, _ browser: Browser) async throws -> UUID? {
        try await (app.db as! any SQLDatabase).raw("SELECT user_id FROM _fluent_sessions WHERE key = \(bind: browser.cookie!)")
            .first()?.decode(column: "user_id", as: UUID?.self)
    }

    func isSignedIn(_ browser: inout Browser) async throws -> Bool {
        let home = try await browser.get("/")
        return home.status == .ok && home.body.string.contains("Đăng xuất")
    }

    @Test func aSessionKeepsItsUserAndStillWorksWithoutTheColumn() async throws {
        try await withDemoApp { app in
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            #expect(try await sessionUserID(app, browser) == user.id)
            #expect(try await isSignedIn(&browser))
            // A session written before the column existed has none: it signs in all the same.
            try await (app.db as! any SQLDatabase).raw("UPDATE _fluent_sessions SET user_id = NULL WHERE key = \(bind: browser.cookie!)")
                .run()
            #expect(try await isSignedIn(&browser))
        }
    }

    @Test func changingThePasswordSignsOutEveryOtherSession() async throws {
        try await withDemoApp { app in
            var here = try await Browser.signIn(app, as: "xa.nhaplieu")
            var elsewhere = try await Browser.signIn(app, as: "xa.nhaplieu")
            var someoneElse = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await here.get("/password")
            let changed = try await here.post(
                "/password", form: ["current": DemoLoader.demoPassword, "new": "mat-khau-moi-2024", "confirm": "mat-khau-moi-2024"])
            #expect(changed.status == .ok)
            #expect(try await isSignedIn(&here))
            #expect(try await isSignedIn(&elsewhere) == false)
            #expect(try await isSignedIn(&someoneElse))
        }
    }

    @Test func anAdministratorsResetSignsTheUserOutEverywhere() async throws {
        try await withDemoApp { app in
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/users")
            let reset = try await admin.post("/admin/users/\(user.id!.uuidString)/password", form: ["password": "dat-lai-2024-x"])
            #expect(reset.status == .seeOther)
            #expect(try await isSignedIn(&reporter) == false)
            #expect(try await isSignedIn(&admin))
        }
    }
}
