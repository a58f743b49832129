import Fluent
import FluentPostgresDriver
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

/// Runs a test against a fresh application with the demo province loaded:
/// in-memory SQLite by default, PostgreSQL when DATABASE_URL is set (CI).
func withDemoApp(adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void) async throws {
    let usesPostgres = ProcessInfo.processInfo.environment["DATABASE_URL"].map { !$0.isEmpty } ?? false
    // One PostgreSQL database serves the whole suite: its tests take turns.
    if usesPostgres { await PostgresTurn.shared.acquire() }
    defer { if usesPostgres { Task { await PostgresTurn.shared.release() } } }
    let app = try await Application.make(.testing)
    // Refusals are what many tests check: keep the log to real errors.
    app.logger.logLevel = .error
    do {
        var config = try AppConfig.fromEnvironment(testing: true)
        config.loadDemo = false
        adjust(&config)
        try await configure(app, config: config)
        if case .postgres = config.database {
            // A clean schema for every test: the suite shares one server.
            try await app.autoRevert()
        }
        try await app.autoMigrate()
        // Cheap hashing in tests: bcrypt's cost is not what is under test.
        app.passwords.use(.plaintext)
        _ = try await DemoLoader(database: app.db, library: app.library, hasher: { $0 }).load(adminPassword: nil)
        try await body(app)
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// A signed-in browser: keeps the session cookie, the login form's CSRF cookie and the CSRF token.
struct Browser {
    let app: Application
    var cookie: String?
    var csrfCookie: String?
    var csrf: String?

    /// The cookies a browser would send back.
    var cookies: HTTPCookies {
        var cookies = HTTPCookies()
        if let cookie { cookies["baocao_session"] = .init(string: cookie) }
        if let csrfCookie { cookies[CSRF.nonceCookie] = .init(string: csrfCookie) }
        return cookies
    }

    static func signIn(_ app: Application, as username: String, password: String = DemoLoader.demoPassword) async throws -> Browser {
        var browser = Browser(app: app)
        try await browser.refreshToken(path: "/login")
        let response = try await browser.post("/login", form: ["username": username, "password": password])
        #expect(response.status == .seeOther, "login as \(username): \(response.status)")
        // As a browser does: follow the redirect, which brings the signed-in session's own CSRF token.
        if response.status == .seeOther, let location = response.headers.first(name: .location) {
            try await browser.refreshToken(path: location)
        }
        return browser
    }

    mutating func remember(_ response: TestingHTTPResponse) {
        if let value = response.headers.setCookie?["baocao_session"]?.string { cookie = value }
        if let value = response.headers.setCookie?[CSRF.nonceCookie]?.string { csrfCookie = value }
        if let token = response.body.string.firstMatch(of: /name="csrf" value="([^"]+)"/) { csrf = String(token.1) }
    }

    mutating func refreshToken(path: String = "/") async throws {
        _ = try await get(path)
    }

    @discardableResult
    mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        var captured: TestingHTTPResponse?
        let cookies = self.cookies
        try await app.testing().test(
            .GET, path,
            beforeRequest: { request in
                request.headers.cookie = cookies
            }, afterResponse: { response in captured = response })
        remember(captured!)
        return captured!
    }

    @discardableResult
    mutating func post(_ path: String, form: [String: String], includeToken: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if includeToken, let csrf { fields["csrf"] = csrf }
        var captured: TestingHTTPResponse?
        let cookies = self.cookies
        let body = fields.map { "\(Browser.escape($0.key))=\(Browser.escape($0.value))" }.joined(separator: "&")
        try await app.testing().test(
            .POST, path,
            beforeRequest: { request in
                request.headers.cookie = cookies
                request.headers.contentType = .urlEncodedForm
                request.body = ByteBuffer(string: body)
            }, afterResponse: { response in captured = response })
        remember(captured!)
        return captured!
    }

    /// Saves the data-entry form as a browser does: the POST answers 303 (Post/Redirect/Get)
    /// and the browser follows it; a refused save (409, 4xx) is returned as it is.
    @discardableResult
    mutating func save(_ path: String, form: [String: String]) async throws -> TestingHTTPResponse {
        let posted = try await post(path, form: form)
        guard posted.status == .seeOther, let location = posted.headers.first(name: .location) else { return posted }
        #expect(location.hasPrefix(path + "?saved="), "\(location)")
        return try await get(location)
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }
}

extension Application {
    /// The demo report of a unit for a period (egov-2024).
    func report(unit: String, period: String) async throws -> Report {
        try #require(try await Report.query(on: db).filter(\.$unitCode == unit).filter(\.$periodKey == period).first())
    }

    func unitCode(named fragment: String) async throws -> String {
        try #require(try await UnitRecord.query(on: db).all().first { $0.name.contains(fragment) }).code
    }

    /// The demo's first unit of a kind: the one whose users the demo creates.
    func unitCode(kind: UnitKind) async throws -> String {
        try #require(try DemoLoader.units().first { $0.kind == kind }).code
    }
}

/// A first-come, first-served lock for tests that share one PostgreSQL database.
actor PostgresTurn {
    static let shared = PostgresTurn()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
