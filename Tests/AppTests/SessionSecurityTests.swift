import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Attacks on sessions and credentials: a planted session id, tokens after a
/// password change, a burst of wrong passwords, sessions that never end,
/// rows written for visitors, caches that keep signed-in pages.
@Suite("Session security")
struct SessionSecurityTests {
    /// Plain comparison, like `.plaintext`, counting the checks.
    final class CountingHasher: PasswordHasher {
        let verifications = NIOLockedValueBox(0)
        let digests = NIOLockedValueBox<[String]>([])

        func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] { Array(password) }

        func verify<Password: DataProtocol, Digest: DataProtocol>(_ password: Password, created digest: Digest) throws -> Bool {
            verifications.withLockedValue { $0 += 1 }
            digests.withLockedValue { $0.append(String(decoding: Array(digest), as: UTF8.self)) }
            return Array(password) == Array(digest)
        }
    }

    func rows(_ app: Application, _ table: String) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM \(unsafeRaw: table)").first()?
            .decode(column: "n", as: Int.self) ?? -1
    }

    func isSignedIn(_ browser: inout Browser) async throws -> Bool {
        let home = try await browser.get("/")
        return home.status == .ok && home.body.string.contains("Đăng xuất")
    }

    func bearer(_ app: Application, _ token: String) async throws -> HTTPStatus {
        var status: HTTPStatus = .ok
        try await app.testing().test(.GET, "/api/v1/forms", headers: ["Authorization": "Bearer \(token)"]) { status = $0.status }
        return status
    }

    @Test func aVisitorWritesNoSessionRowAndTheLoginFormStillNeedsItsToken() async throws {
        try await withDemoApp { app in
            #expect(try await rows(app, "_fluent_sessions") == 0)
            var visitor = Browser(app: app)
            for _ in 0..<3 { #expect(try await visitor.get("/login").status == .ok) }
            #expect(try await rows(app, "_fluent_sessions") == 0)
            #expect(visitor.csrfCookie != nil)
            // Without the token, with another visitor's token, or without the cookie: refused.
            let form = ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword]
            #expect(try await visitor.post("/login", form: form, includeToken: false).status == .forbidden)
            var other = Browser(app: app)
            _ = try await other.get("/login")
            #expect(other.csrf != visitor.csrf)
            var mixed = visitor
            mixed.csrf = other.csrf
            #expect(try await mixed.post("/login", form: form).status == .forbidden)
            var cookieless = visitor
            cookieless.csrfCookie = nil
            #expect(try await cookieless.post("/login", form: form).status == .forbidden)
            #expect(try await rows(app, "_fluent_sessions") == 0)
            // With both, the login works and writes the one row.
            #expect(try await visitor.post("/login", form: form).status == .seeOther)
            #expect(try await rows(app, "_fluent_sessions") == 1)
            #expect(try await isSignedIn(&visitor))
        }
    }

    @Test func aSessionIDPlantedBeforeLoginOpensNothingAfterwards() async throws {
        try await withDemoApp { app in
            // The attacker's own signed-in session, planted in the victim's browser.
            let attacker = try await Browser.signIn(app, as: "huyen.nhaplieu")
            let planted = try #require(attacker.cookie)
            var victim = Browser(app: app)
            victim.cookie = planted
            _ = try await victim.get("/login")
            var login = try await victim.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword])
            #expect(login.status == .seeOther)
            #expect(victim.cookie != planted)
            #expect(try await isSignedIn(&victim))
            var replay = Browser(app: app)
            replay.cookie = planted
            #expect(try await isSignedIn(&replay) == false)
            // An id the attacker made up (or saw on the login page) is never stored, so it opens nothing either.
            var second = Browser(app: app)
            second.cookie = "do-ke-tan-cong-dat-san"
            _ = try await second.get("/login")
            login = try await second.post("/login", form: ["username": "xa.lanhdao", "password": DemoLoader.demoPassword])
            #expect(login.status == .seeOther)
            #expect(second.cookie != "do-ke-tan-cong-dat-san")
            var guess = Browser(app: app)
            guess.cookie = "do-ke-tan-cong-dat-san"
            #expect(try await isSignedIn(&guess) == false)
            // The session cookie is HttpOnly, SameSite=Lax, and not Secure over plain HTTP.
            let header = login.headers[.setCookie].first { $0.hasPrefix("baocao_session=") } ?? ""
            #expect(header.contains("HttpOnly") && header.lowercased().contains("samesite=lax") && !header.contains("Secure"))
        }
    }

    @Test func passwordChangeResetAndLogoutEndSessionsAndTheFirstTwoRevokeTokens() async throws {
        try await withDemoApp { app in
            let reporter = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            var token = try await ApiTokens.issue(for: reporter, label: "Một cửa", on: app.db).token
            #expect(try await bearer(app, token) == .ok)
            var here = try await Browser.signIn(app, as: "xa.nhaplieu")
            let before = here.cookie
            var elsewhere = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await here.get("/password")
            let changed = try await here.post(
                "/password", form: ["current": DemoLoader.demoPassword, "new": "mat-khau-moi-2024", "confirm": "mat-khau-moi-2024"])
            #expect(changed.status == .ok)
            #expect(here.cookie != before)
            #expect(try await isSignedIn(&here))
            #expect(try await isSignedIn(&elsewhere) == false)
            #expect(try await bearer(app, token) == .unauthorized)

            // An administrator's reset: every session and every token of the user.
            token = try await ApiTokens.issue(for: reporter, label: "Một cửa 2", on: app.db).token
            #expect(try await bearer(app, token) == .ok)
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/users")
            #expect(
                try await admin.post("/admin/users/\(reporter.id!.uuidString)/password", form: ["password": "dat-lai-2024-x"]).status
                    == .seeOther)
            #expect(try await isSignedIn(&here) == false)
            #expect(try await bearer(app, token) == .unauthorized)

            // Logout ends the user's other sessions too, and revokes the user's tokens (issue 9).
            token = try await ApiTokens.issue(for: reporter, label: "Một cửa 3", on: app.db).token
            var office = try await Browser.signIn(app, as: "xa.nhaplieu", password: "dat-lai-2024-x")
            var home = try await Browser.signIn(app, as: "xa.nhaplieu", password: "dat-lai-2024-x")
            var colleague = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await office.get("/")
            #expect(try await office.post("/logout", form: [:]).status == .seeOther)
            #expect(try await isSignedIn(&office) == false)
            #expect(try await isSignedIn(&home) == false)
            #expect(try await isSignedIn(&colleague))
            #expect(try await bearer(app, token) == .unauthorized)
        }
    }

    @Test func twentyConcurrentWrongPasswordsGetFiveChecks() async throws {
        try await withDemoApp { app in
            let hasher = CountingHasher()
            app.passwords.use { _ in hasher }
            var browser = Browser(app: app)
            try await browser.refreshToken(path: "/login")
            let attacker = browser
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        var copy = attacker
                        return try await copy.post("/login", form: ["username": "xa.nhaplieu", "password": "sai-\(n)"]).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(hasher.verifications.withLockedValue { $0 } == AuthController.maxFailures)
            #expect(statuses.filter { $0 == .unauthorized }.count == AuthController.maxFailures)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 20 - AuthController.maxFailures)
            // Even the right password waits, unchecked, while the account is blocked…
            let blocked = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("tạm khóa"))
            #expect(hasher.verifications.withLockedValue { $0 } == AuthController.maxFailures)
            // …but not for long: 30 seconds after the fifth failure it is let through.
            app.clock.advance(by: 31)
            let wrongAgain = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": "sai"])
            #expect(wrongAgain.status == .unauthorized)
            // The next block is twice as long.
            app.clock.advance(by: 31)
            #expect(
                try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword]).status
                    == .tooManyRequests)
            app.clock.advance(by: 30)
            #expect(
                try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword]).status == .seeOther
            )
            // Signed in, the streak is over: a colleague's account was never touched.
            _ = try await Browser.signIn(app, as: "xa.lanhdao")
        }
    }

    @Test func oneAddressIsLimitedAcrossAccounts() async throws {
        try await withDemoApp { app in
            let hasher = CountingHasher()
            app.passwords.use { _ in hasher }
            var browser = Browser(app: app)
            try await browser.refreshToken(path: "/login")
            for n in 0..<LoginThrottle.freePerAddress {
                let wrong = try await browser.post("/login", form: ["username": "khong.co.\(n)", "password": "sai"])
                #expect(wrong.status == .unauthorized)
            }
            let blocked = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.string.contains("Máy này"))
            #expect(hasher.verifications.withLockedValue { $0 } == LoginThrottle.freePerAddress)
            app.clock.advance(by: 31)
            #expect(
                try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword]).status == .seeOther
            )
        }
    }

    @Test func anUnknownNameIsCheckedAgainstADummyHashLikeAKnownOne() async throws {
        try await withDemoApp { app in
            let hasher = CountingHasher()
            app.passwords.use { _ in hasher }
            var browser = Browser(app: app)
            try await browser.refreshToken(path: "/login")
            let unknown = try await browser.post("/login", form: ["username": "khong.ai.ca", "password": "sai-mat-khau"])
            let known = try await browser.post("/login", form: ["username": "xa.nhaplieu", "password": "sai-mat-khau"])
            #expect(unknown.status == .unauthorized && known.status == .unauthorized)
            #expect(unknown.body.string.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(hasher.verifications.withLockedValue { $0 } == 2)
            let digests = hasher.digests.withLockedValue { $0 }
            #expect(digests.count == 2 && digests[0].count >= 32 && digests[1] == DemoLoader.demoPassword)
        }
    }

    @Test func sessionsEndWhenIdleAndAfterTheirLifetime() async throws {
        try await withDemoApp(adjust: { $0.sessionLifetime = 86_400 }) { app in
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            // Used every 7 hours it stays open (each use counts)…
            for _ in 0..<3 {
                app.clock.advance(by: 7 * 3600)
                #expect(try await isSignedIn(&browser))
            }
            // …until a day after sign-in, however busy.
            app.clock.advance(by: 4 * 3600)
            #expect(try await isSignedIn(&browser) == false)

            var idle = try await Browser.signIn(app, as: "xa.lanhdao")
            let idleKey = try #require(idle.cookie)
            app.clock.advance(by: 8 * 3600 + 1)
            #expect(try await isSignedIn(&idle) == false)
            // Ended rows go at the next sign-in: the first went when xa.lanhdao signed in, this one now.
            let keys: () async throws -> [String] = {
                try await (app.db as! any SQLDatabase).raw("SELECT key FROM _fluent_sessions").all().map {
                    try $0.decode(column: "key", as: String.self)
                }
            }
            #expect(try await keys() == [idleKey])
            let last = try await Browser.signIn(app, as: "sotttt")
            #expect(try await keys() == [try #require(last.cookie)])
        }
    }

    @Test func aPageViewWritesNothingUntilItsSessionIsDueForATouch() async throws {
        try await withDemoApp { app in
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await browser.get("/")
            let seen: () async throws -> Int64 = {
                try await (app.db as! any SQLDatabase).raw("SELECT seen_at FROM _fluent_sessions").first()?
                    .decode(column: "seen_at", as: Int64.self) ?? 0
            }
            let first = try await seen()
            app.clock.advance(by: 60)
            _ = try await browser.get("/")
            #expect(try await seen() == first)
            app.clock.advance(by: 15 * 60)
            _ = try await browser.get("/")
            #expect(try await seen() > first)
        }
    }

    @Test func signedInPagesAndDownloadsAreNotStoredStaticFilesAre() async throws {
        try await withDemoApp { app in
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            for path in [
                "/", "/password", "/tokens", "/reports/\(report.id!.uuidString)",
                "/reports/\(report.id!.uuidString)/export.csv", "/reports/\(report.id!.uuidString)/template.xlsx", "/khong-co"
            ] {
                let response = try await browser.get(path)
                #expect(response.headers.first(name: .cacheControl) == "no-store", "\(path): \(response.status)")
            }
            var visitor = Browser(app: app)
            let login = try await visitor.get("/login")
            #expect(login.headers.first(name: .cacheControl) == "no-store")
            let css = try await browser.get("/css/app.css")
            #expect(css.status == .ok)
            #expect(css.headers.first(name: .cacheControl) != "no-store")
            #expect(css.headers.first(name: .strictTransportSecurity) == nil)
        }
    }

    @Test func overHTTPSCookiesAreSecureAndHSTSIsSent() async throws {
        try await withDemoApp(adjust: { $0.secureCookies = true }) { app in
            var visitor = Browser(app: app)
            let page = try await visitor.get("/login")
            #expect(page.headers.first(name: .strictTransportSecurity)?.hasPrefix("max-age=") == true)
            #expect(page.headers[.setCookie].contains { $0.hasPrefix(CSRF.nonceCookie + "=") && $0.contains("Secure") })
            let login = try await visitor.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword])
            #expect(login.headers[.setCookie].contains { $0.hasPrefix("baocao_session=") && $0.contains("Secure") })
        }
    }

    @Test func aServerOthersCanReachRefusesToStartWithDemoPasswords() async throws {
        try await withDemoApp { app in
            let config = app.config
            let refusal = try #require(
                try await DemoPasswords.refusal(
                    hostname: "0.0.0.0", config: config, database: app.db,
                    verifier: app.password.async))
            for name in ["admin", "sotttt", "xa.nhaplieu", "huyen.lanhdao", "BAOCAO_ALLOW_DEMO_PASSWORDS", "users password"] {
                #expect(refusal.contains(name), "\(name)")
            }
            for loopback in ["127.0.0.1", "::1", "[::1]", "localhost"] {
                #expect(
                    try await DemoPasswords.refusal(hostname: loopback, config: config, database: app.db, verifier: app.password.async)
                        == nil)
            }
            var allowed = config
            allowed.allowDemoPasswords = true
            #expect(
                try await DemoPasswords.refusal(hostname: "0.0.0.0", config: allowed, database: app.db, verifier: app.password.async) == nil
            )
            // One account changed: it is no longer named; all changed: the server starts.
            let users = try await User.query(on: app.db).all()
            let admin = try #require(users.first { $0.username == "admin" })
            try await SignOut.setPassword(admin, hash: "mat-khau-rieng-2024", keeping: nil, on: app.db)
            let fewer = try #require(
                try await DemoPasswords.refusal(
                    hostname: "10.0.0.5", config: config, database: app.db,
                    verifier: app.password.async))
            #expect(!fewer.contains("admin,") && fewer.contains("sotttt"))
            for user in users where user.username != "admin" {
                try await SignOut.setPassword(user, hash: "mat-khau-rieng-\(user.username)", keeping: nil, on: app.db)
            }
            #expect(
                try await DemoPasswords.refusal(hostname: "0.0.0.0", config: config, database: app.db, verifier: app.password.async) == nil)
        }
    }
}
