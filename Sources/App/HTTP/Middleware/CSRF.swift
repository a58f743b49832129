import Vapor

/// Synchronizer-token CSRF protection: a random token per session, sent in
/// every form as `csrf` and checked on every state-changing browser request.
enum CSRF {
    static let sessionKey = "csrf"

    static func token(for request: Request) -> String {
        if let existing = request.session.data[sessionKey] { return existing }
        let token = [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        request.session.data[sessionKey] = token
        return token
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Refuses POST/PUT/PATCH/DELETE whose form token does not match the session's.
/// Written with futures: every browser request passes here, and page views
/// (GET) should not pay for a task.
struct CSRFMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard [.POST, .PUT, .PATCH, .DELETE].contains(request.method) else { return next.respond(to: request) }
        // A body that arrives in several chunks (an uploaded file) is streamed:
        // collect it first, or the token in it cannot be read.
        let collected: EventLoopFuture<Void> = request.body.data == nil
            ? request.body.collect(max: request.application.routes.defaultMaxBodySize.value).map { _ in }
            : request.eventLoop.makeSucceededVoidFuture()
        return collected.flatMap {
            let sent = Self.sentToken(request) ?? request.headers.first(name: "X-CSRF-Token")
            guard let expected = request.session.data[CSRF.sessionKey], let sent, sent == expected else {
                return request.eventLoop.makeFailedFuture(Abort(.forbidden, reason: "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (thiếu mã CSRF). Hãy tải lại trang và thử lại."))
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
