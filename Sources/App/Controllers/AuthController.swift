import Fluent
import Vapor

/// Login with a password, logout, change password. Failed logins are limited
/// per user name over a window, counted in the database.
struct AuthController: RouteCollection {
    static let maxFailures = 5
    static let window: TimeInterval = 15 * 60

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
        let since = Date().addingTimeInterval(-Self.window)
        let failures = try await LoginAttempt.query(on: req.db).filter(\.$username == username).filter(\.$at > since).count()
        func fail(_ message: String, status: HTTPStatus) async throws -> Response {
            let view = try await req.view.render("login", LoginPage(csrf: CSRF.token(for: req), error: message, username: username))
            let response = try await view.encodeResponse(for: req)
            response.status = status
            return response
        }
        if failures >= Self.maxFailures {
            return try await fail("Đăng nhập sai quá \(Self.maxFailures) lần. Hãy thử lại sau 15 phút hoặc liên hệ quản trị hệ thống.", status: .tooManyRequests)
        }
        guard let user = try await User.query(on: req.db).filter(\.$username == username).first(),
              try await req.password.async.verify(credentials.password, created: user.passwordHash) else {
            try await LoginAttempt(username: username, at: Date()).save(on: req.db)
            return try await fail("Tên đăng nhập hoặc mật khẩu không đúng.", status: .unauthorized)
        }
        try await LoginAttempt.query(on: req.db).filter(\.$username == username).delete()
        req.auth.login(user)
        req.session.authenticate(user)
        return req.redirect(to: "/")
    }

    func logout(req: Request) async throws -> Response {
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
        try await req.view.render("password", PasswordPage(csrf: CSRF.token(for: req), layout: try await .make(req, title: "Đổi mật khẩu"), error: nil, done: false))
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
        } else if change.new != change.confirm {
            error = "Hai lần nhập mật khẩu mới không khớp."
        }
        if error == nil {
            user.passwordHash = try await req.password.async.hash(change.new)
            let userID = try user.requireID(), kept = req.session.id
            try await req.db.transaction { db in
                try await user.save(on: db)
                // Whoever knew the old password is signed out everywhere else.
                try await SQLSessions.endSessions(of: userID, except: kept, on: db)
            }
        }
        let view = try await req.view.render("password", PasswordPage(csrf: CSRF.token(for: req), layout: try await .make(req, title: "Đổi mật khẩu"), error: error, done: error == nil))
        let response = try await view.encodeResponse(for: req)
        response.status = error == nil ? .ok : .unprocessableEntity
        return response
    }
}
