import Fluent
import ReportingCore
import Vapor

/// The signed-in user's API tokens: list, create (shown once), revoke.
/// A browser page like the others: session and CSRF token.
struct TokensController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let tokens = routes.grouped("tokens")
        tokens.get(use: page)
        tokens.post(use: create)
        tokens.post(":tokenID", "revoke", use: revoke)
    }

    struct Page: Encodable {
        struct Row: Encodable {
            let id: String
            let label: String
            let createdAt: String
            let expiresAt: String
            let expired: Bool
        }
        struct Choice: Encodable {
            let days: Int
            let label: String
        }
        let layout: LayoutContext
        let tokens: [Row]
        let validity: [Choice]
        let newToken: String?
        let newLabel: String?
        let message: String?
        let error: String?
    }

    func render(
        _ req: Request, status: HTTPStatus = .ok, newToken: (String, String)? = nil,
        message: String? = nil, error: String? = nil
    ) async throws -> Response {
        let user = try req.requireUser()
        let tokens = try await ApiToken.query(on: req.db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt).all()
        let page = Page(
            layout: try await .make(req, title: "Mã truy cập API"),
            tokens: tokens.map {
                Page.Row(
                    id: $0.id?.uuidString ?? "", label: $0.label,
                    createdAt: $0.createdAt.map(VietnameseTime.format) ?? "",
                    expiresAt: $0.expiresAt.map(VietnameseTime.format) ?? "", expired: $0.hasExpired())
            },
            validity: ApiTokens.validityChoices.map { Page.Choice(days: $0, label: "\($0) ngày") },
            newToken: newToken?.0, newLabel: newToken?.1, message: message, error: error)
        let response = try await req.view.render("tokens", page).encodeResponse(for: req)
        response.status = status
        // The new token is in this page: no cache may keep it.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func page(req: Request) async throws -> Response {
        try await render(req)
    }

    struct CreateForm: Content {
        var label: String?
        var days: Int?
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = (try? req.content.decode(CreateForm.self)) ?? CreateForm(label: nil, days: nil)
        do {
            let (token, record) = try await ApiTokens.issue(
                for: user, label: form.label ?? "",
                days: form.days ?? ApiTokens.validityChoices[0], on: req.db)
            return try await render(req, status: .created, newToken: (token, record.label))
        } catch let abort as any AbortError where abort.status == .unprocessableEntity {
            return try await render(req, status: .unprocessableEntity, error: abort.reason)
        }
    }

    func revoke(req: Request) async throws -> Response {
        let user = try req.requireUser()
        // Only one's own tokens: someone else's token id is simply not found.
        guard let id = req.parameters.get("tokenID").flatMap(UUID.init(uuidString:)),
            let token = try await ApiToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else {
            return try await render(req, status: .notFound, error: "Không tìm thấy mã truy cập này (có thể đã bị thu hồi).")
        }
        try await req.db.transaction { db in
            try await token.delete(on: db)
            try await AdminAuditLog.record(
                .tokens, "Thu hồi khóa API", subject: user.username, by: user.username, from: token.label, on: db)
        }
        return try await render(req, message: "Đã thu hồi mã “\(token.label)”. Phần mềm nào còn dùng mã này sẽ không truy cập được nữa.")
    }
}
