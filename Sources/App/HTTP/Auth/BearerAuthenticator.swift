import Fluent
import ReportingCore
import Vapor

/// Authenticates JSON API requests by `Authorization: Bearer <token>` only.
///
/// The session authenticator runs globally, so a browser cookie would also
/// sign a user in here. The API must not trust cookies (it has no CSRF
/// protection), so the cookie's user is set aside for the request and put
/// back afterwards: the session is neither used nor changed, and a token
/// never turns into a session cookie.
struct BearerAuthenticator: AsyncMiddleware {
    static let challenge: HTTPHeaders = ["WWW-Authenticate": "Bearer realm=\"BaoCao API\""]

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let sessionUser = request.auth.get(User.self)
        request.auth.logout(User.self)
        defer {
            request.auth.logout(User.self)
            if let sessionUser { request.auth.login(sessionUser) }
        }
        guard let header = request.headers.first(name: .authorization), !header.isEmpty else {
            throw Abort(
                .unauthorized, headers: Self.challenge,
                reason: "Thiếu mã truy cập API. Gửi tiêu đề “Authorization: Bearer <mã>”; tạo mã tại trang Mã truy cập API (/tokens).")
        }
        guard let bearer = request.headers.bearerAuthorization,
            let record = try await ApiTokens.record(forToken: bearer.token, on: request.db)
        else {
            throw Abort(
                .unauthorized, headers: Self.challenge,
                reason: "Mã truy cập API không hợp lệ hoặc đã bị thu hồi. Tạo mã mới tại trang Mã truy cập API (/tokens).")
        }
        if record.hasExpired() {
            throw Abort(
                .unauthorized, headers: Self.challenge,
                reason:
                    "Mã truy cập API “\(record.label)” đã hết hạn từ \(record.expiresAt.map(VietnameseTime.format) ?? ""). Tạo mã mới tại trang Mã truy cập API (/tokens)."
            )
        }
        let user = record.user
        // ReportService and Access read the user from here, as for web pages.
        request.auth.login(user)
        let response = try await next.respond(to: request)
        // A user's reports: no shared cache may keep them.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// Issuing and checking API tokens. The token is shown once; only its
/// SHA-256 is stored, so a leaked database does not leak usable tokens.
enum ApiTokens {
    static let prefix = "bc_"
    static let maxLabelLength = 100

    /// A new random token: 32 bytes (256 bits), URL-safe.
    static func generate() -> String {
        prefix
            + [UInt8].random(count: 32).base64
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "=", with: "")
    }

    /// How long a token may be valid, in days: what the tokens page offers, the default first.
    static let validityChoices = [90, 30, 180, 365]

    /// Checks the label and the validity, stores a new token for `user` and returns it in clear, once.
    /// `issuer`: who issued it when not the user themself (the command line).
    static func issue(
        for user: User, label rawLabel: String, days: Int = validityChoices[0], issuer: String? = nil,
        on database: Database
    ) async throws -> (token: String, record: ApiToken) {
        guard (1...365).contains(days) else {
            throw Abort(.unprocessableEntity, reason: "Thời hạn của mã truy cập phải từ 1 đến 365 ngày (đang là \(days)).")
        }
        let label = rawLabel.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty else {
            throw Abort(
                .unprocessableEntity, reason: "Hãy đặt tên cho mã truy cập (ví dụ: “Phần mềm một cửa”) để sau này biết mã nào dùng ở đâu.")
        }
        guard label.count <= maxLabelLength else {
            throw Abort(.unprocessableEntity, reason: "Tên mã truy cập quá dài (tối đa \(maxLabelLength) ký tự).")
        }
        let token = generate()
        let record = ApiToken(
            userID: try user.requireID(), tokenHash: ApiToken.hash(token), label: label,
            expiresAt: Date().addingTimeInterval(Double(days) * 86_400))
        try await database.transaction { db in
            try await record.save(on: db)
            try await AdminAuditLog.record(
                .tokens, "Cấp khóa API", subject: user.username, by: issuer ?? user.username,
                to: "\(label), hết hạn sau \(days) ngày", on: db)
        }
        return (token, record)
    }

    /// The stored token, with its user, expired or not (the caller says which).
    static func record(forToken token: String, on database: Database) async throws -> ApiToken? {
        guard token.hasPrefix(prefix), token.count < 200 else { return nil }
        return try await ApiToken.query(on: database).filter(\.$tokenHash == ApiToken.hash(token)).with(\.$user).first()
    }
}
