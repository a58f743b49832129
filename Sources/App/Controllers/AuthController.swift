import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Login with a password, logout, change password. Failed logins are limited
/// per account and per client address (`LoginThrottle`).
struct AuthController: RouteCollection {
    static let maxFailures = LoginThrottle.freePerAccount

    /// A hash of a random password, made with the application's hasher: an
    /// unknown user name is checked against it, so that it takes as long to
    /// refuse as a known one.
    final class DummyHash: Sendable {
        private let hash = NIOLockedValueBox<String?>(nil)

        func get(_ req: Request) async throws -> String {
            if let known = hash.withLockedValue({ $0 }) { return known }
            let made = try await req.password.async.hash(CSRF.randomToken())
            hash.withLockedValue { $0 = made }
            return made
        }
    }

    let dummyHash = DummyHash()

    func boot(routes: RoutesBuilder) throws {
        routes.get("login", use: loginPage)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        let signedIn = routes.grouped(User.redirectMiddleware(path: "/login"))
        signedIn.get("password", use: passwordPage)
        signedIn.post("password", use: changePassword)
    }

    struct LoginPage: Encodable {
        let csrf: String
        let error: String?
        let username: String?
    }

    func loginPage(req: Request) async throws -> View {
        try await req.view.render("login", LoginPage(csrf: CSRF.token(for: req), error: nil, username: nil))
    }

    struct Credentials: Content {
        var username: String
        var password: String
    }

    func login(req: Request) async throws -> Response {
        let credentials = try req.content.decode(Credentials.self)
        let username = credentials.username.trimmingCharacters(in: .whitespaces).lowercased()
        func fail(_ message: String, status: HTTPStatus) async throws -> Response {
            let view = try await req.view.render("login", LoginPage(csrf: CSRF.token(for: req), error: message, username: username))
            let response = try await view.encodeResponse(for: req)
            response.status = status
            return response
        }
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let now = req.application.clock.seconds()
        let account = LoginThrottle.accountKey(username), address = LoginThrottle.addressKey(req)
        // Counted before the password is checked: concurrent attempts cannot all get through.
        if case .blocked(let until) = try await LoginThrottle.claim(address, free: LoginThrottle.freePerAddress, now: now, on: sql) {
            return try await fail(
                "Máy này đã đăng nhập sai quá nhiều lần. Hãy thử lại sau \(LoginThrottle.wait(until: until, now: now)).",
                status: .tooManyRequests)
        }
        if case .blocked(let until) = try await LoginThrottle.claim(account, free: LoginThrottle.freePerAccount, now: now, on: sql) {
            // Nothing was checked: the address is not charged for it.
            try await LoginThrottle.refund(address, free: LoginThrottle.freePerAddress, on: sql)
            return try await fail(
                "Tài khoản này vừa bị đăng nhập sai nhiều lần nên tạm khóa. Hãy thử lại sau "
                    + "\(LoginThrottle.wait(until: until, now: now)), hoặc nhờ quản trị hệ thống đặt lại mật khẩu.",
                status: .tooManyRequests)
        }
        let user = try await User.query(on: req.db).filter(\.$username == username).first()
        // An unknown name is checked against a dummy hash: the answer takes as long.
        var hash = user?.passwordHash ?? ""
        if user == nil { hash = try await dummyHash.get(req) }
        let verified = try await req.password.async.verify(credentials.password, created: hash)
        guard let user, verified else {
            try await LoginThrottle.purge(now: now, limit: 50, on: sql)
            return try await fail("Tên đăng nhập hoặc mật khẩu không đúng.", status: .unauthorized)
        }
        try await LoginThrottle.succeeded(account: account, address: address, on: sql)
        // Nothing from before sign-in carries over: new data, a new CSRF token, a new session id.
        req.session.data = SessionData()
        CSRF.renewSessionToken(for: req)
        SQLSessions.renew(req)
        req.auth.login(user)
        req.session.authenticate(user)
        return req.redirect(to: "/")
    }

    func logout(req: Request) async throws -> Response {
        // Signing out signs out everywhere and revokes the user's API tokens (issue 9): a program that must
        // keep working across sign-outs gets a token of an account of its own.
        if let user = req.auth.get(User.self), let userID = user.id {
            try await SignOut.everywhere(userID, except: nil, revokeTokens: true, on: req.db)
        }
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    struct PasswordPage: Encodable {
        let csrf: String
        let layout: LayoutContext
        let error: String?
        let done: Bool
    }

    func passwordPage(req: Request) async throws -> View {
        try await req.view.render(
            "password",
            PasswordPage(csrf: CSRF.token(for: req), layout: try await .make(req, title: "Đổi mật khẩu"), error: nil, done: false))
    }

    struct PasswordChange: Content {
        var current: String
        var new: String
        var confirm: String
    }

    func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let change = try req.content.decode(PasswordChange.self)
        var error: String?
        if !(try await req.password.async.verify(change.current, created: user.passwordHash)) {
            error = "Mật khẩu hiện tại không đúng."
        } else if change.new.count < 8 {
            error = "Mật khẩu mới phải có ít nhất 8 ký tự."
        } else if change.new.count > 200 {
            error = "Mật khẩu mới quá dài (tối đa 200 ký tự)."
        } else if change.new != change.confirm {
            error = "Hai lần nhập mật khẩu mới không khớp."
        }
        if error == nil {
            // Whoever knew the old password is signed out everywhere else, and their tokens revoked;
            // this session goes on under a new id.
            try await SignOut.setPassword(
                user, hash: try await req.password.async.hash(change.new), keeping: req.session.id,
                by: user.username, on: req.db)
            SQLSessions.renew(req)
        }
        let view = try await req.view.render(
            "password",
            PasswordPage(csrf: CSRF.token(for: req), layout: try await .make(req, title: "Đổi mật khẩu"), error: error, done: error == nil))
        let response = try await view.encodeResponse(for: req)
        response.status = error == nil ? .ok : .unprocessableEntity
        return response
    }
}
