import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// CSRF protection for browser forms, sent in every form as `csrf` (or the
/// `X-CSRF-Token` header) and checked on every state-changing request.
/// - Signed in: a random token kept in the session (synchronizer token).
/// - Not signed in (the login form): no session row is written for a mere
///   visitor, so the token is an HMAC, under a key kept in the database (every
///   instance shares it), of a random nonce in the `baocao_csrf` cookie: a
///   signed double-submit cookie. It is accepted only while nobody is signed in.
enum CSRF {
    static let sessionKey = "csrf"
    static let nonceCookie = "baocao_csrf"

    /// A nonce made for this request, which `CSRFMiddleware` sets as a cookie.
    struct NewNonceKey: StorageKey { typealias Value = String }

    static func token(for request: Request) -> String {
        if request.auth.has(User.self) || (request.hasSession && request.session.data[sessionKey] != nil) {
            return sessionToken(for: request)
        }
        let nonce =
            request.storage[NewNonceKey.self] ?? request.cookies[nonceCookie]?.string
            ?? {
                let made = randomToken()
                request.storage[NewNonceKey.self] = made
                return made
            }()
        return visitorToken(nonce: nonce, key: request.application.csrfKey.cached)
    }

    static func sessionToken(for request: Request) -> String {
        if let existing = request.session.data[sessionKey] { return existing }
        let token = randomToken()
        request.session.data[sessionKey] = token
        return token
    }

    /// A fresh session token, at sign-in: nothing from before sign-in carries over.
    static func renewSessionToken(for request: Request) {
        request.session.data[sessionKey] = randomToken()
    }

    static func randomToken() -> String {
        [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
    }

    /// The form token of a visitor's nonce. Without the key (not loaded yet) no token matches.
    static func visitorToken(nonce: String, key: SymmetricKey?) -> String {
        guard let key, !nonce.isEmpty, nonce.utf8.count <= 100 else { return "" }
        let code = HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)
        return "v." + Data(code).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func nonceCookieValue(_ nonce: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: nonce, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

/// The key of visitors' CSRF tokens: a row of `app_secrets`, made by its
/// migration, read once and kept.
final class CSRFKey: Sendable {
    static let name = "csrf"
    private let key = NIOLockedValueBox<SymmetricKey?>(nil)

    var cached: SymmetricKey? { key.withLockedValue { $0 } }

    func load(on database: any SQLDatabase) -> EventLoopFuture<SymmetricKey?> {
        if let known = cached { return database.eventLoop.makeSucceededFuture(known) }
        return database.raw("SELECT value FROM app_secrets WHERE name = \(bind: Self.name)").first().flatMapThrowing { row in
            guard let row, let data = Data(base64Encoded: try row.decode(column: "value", as: String.self)), data.count >= 32 else {
                return nil
            }
            let loaded = SymmetricKey(data: data)
            self.key.withLockedValue { $0 = loaded }
            return loaded
        }
    }
}

extension Application {
    struct CSRFKeyKey: StorageKey { typealias Value = CSRFKey }

    var csrfKey: CSRFKey {
        if let key = storage[CSRFKeyKey.self] { return key }
        let key = CSRFKey()
        storage[CSRFKeyKey.self] = key
        return key
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Refuses POST/PUT/PATCH/DELETE whose form token does not match.
/// Written with futures: every browser request passes here, and page views
/// (GET) should not pay for a task.
struct CSRFMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Signed in: the session's token, nothing to load, no cookie to set.
        if request.auth.has(User.self) {
            guard Self.changesState(request) else { return next.respond(to: request) }
            return check(request, visitorKey: nil, next)
        }
        guard let sql = request.db as? any SQLDatabase else { return next.respond(to: request) }
        return request.application.csrfKey.load(on: sql).flatMap { key in
            let response = Self.changesState(request) ? check(request, visitorKey: key, next) : next.respond(to: request)
            return response.map { response in
                if let nonce = request.storage[CSRF.NewNonceKey.self] {
                    response.cookies[CSRF.nonceCookie] = CSRF.nonceCookieValue(nonce, secure: request.application.config.secureCookies)
                }
                return response
            }
        }
    }

    static func changesState(_ request: Request) -> Bool {
        [.POST, .PUT, .PATCH, .DELETE].contains(request.method)
    }

    func check(_ request: Request, visitorKey: SymmetricKey?, _ next: any Responder) -> EventLoopFuture<Response> {
        // A body that arrives in several chunks (an uploaded file) is streamed:
        // collect it first, or the token in it cannot be read.
        let collected: EventLoopFuture<Void> =
            request.body.data == nil
            ? request.body.collect(max: request.application.routes.defaultMaxBodySize.value).map { _ in }
            : request.eventLoop.makeSucceededVoidFuture()
        return collected.flatMap {
            let sent = Self.sentToken(request) ?? request.headers.first(name: "X-CSRF-Token") ?? ""
            var valid = false
            if request.hasSession, let expected = request.session.data[CSRF.sessionKey] { valid = CSRF.same(sent, expected) }
            // The visitor's token only while nobody is signed in: a signed-in form needs the session's.
            if !valid, let visitorKey, !request.auth.has(User.self), let nonce = request.cookies[CSRF.nonceCookie]?.string {
                valid = CSRF.same(sent, CSRF.visitorToken(nonce: nonce, key: visitorKey))
            }
            guard valid else {
                return request.eventLoop.makeFailedFuture(
                    Abort(
                        .forbidden,
                        reason: "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). Hãy tải lại trang và thử lại."))
            }
            return next.respond(to: request)
        }
    }

    /// The `csrf` field of the posted form. A plain form is scanned for that
    /// one field rather than decoded whole (the route decodes it anyway);
    /// multipart bodies (uploads) go through Vapor's decoder.
    static func sentToken(_ request: Request) -> String? {
        if let form = FormBody.of(request) { return form.first("csrf") }
        struct Token: Decodable { var csrf: String? }
        return (try? request.content.decode(Token.self))?.csrf
    }
}
