import Vapor

/// Lets only administrators through; everyone else gets 403.
struct AdminOnlyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard let user = request.auth.get(User.self), user.role == .admin else {
            throw Abort(.forbidden, reason: "Chỉ quản trị hệ thống mới dùng được trang này.")
        }
        return try await next.respond(to: request)
    }
}
