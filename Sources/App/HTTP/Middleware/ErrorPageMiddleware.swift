import Vapor

/// Errors met by a person in a browser become a Vietnamese page that says
/// what happened and leads back home; programs (the API, or any client that
/// does not ask for HTML) keep Vapor's JSON `{"error": true, "reason": …}`.
///
/// Written with futures: every request passes here, and only the error path
/// needs a task (to render the page).
struct ErrorPageMiddleware: Middleware {
    struct Page: Encodable {
        let title: String
        let reason: String
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            guard wantsHTML(request) else { return request.eventLoop.makeFailedFuture(error) }
            return request.eventLoop.makeFutureWithTask { try await page(for: error, request) }
        }
    }

    func page(for error: any Error, _ request: Request) async throws -> Response {
        let abort = error as? any AbortError
        let status = abort?.status ?? .internalServerError
        // Only reasons we wrote ourselves are shown; anything else stays in the log.
        let reason =
            status == .internalServerError || abort == nil
            ? "Hệ thống gặp sự cố khi xử lý yêu cầu. Hãy thử lại; nếu vẫn lỗi, báo cho quản trị hệ thống."
            : abort?.reason ?? "Yêu cầu không hợp lệ."
        if status == .internalServerError { request.logger.report(error: error) }
        let response = try await request.view.render("error", Page(title: Self.title(status), reason: reason)).encodeResponse(for: request)
        response.status = status
        return response
    }

    func wantsHTML(_ request: Request) -> Bool {
        !request.url.path.hasPrefix("/api/")
            && (request.headers.first(name: .accept)?.contains("text/html") ?? false)
    }

    static func title(_ status: HTTPStatus) -> String {
        switch status.code {
        case 400: return "Yêu cầu không hợp lệ"
        case 401: return "Cần đăng nhập"
        case 403: return "Không có quyền truy cập"
        case 404: return "Không tìm thấy trang"
        case 409: return "Dữ liệu đã thay đổi"
        case 413: return "Dữ liệu gửi lên quá lớn"
        case 415, 422: return "Dữ liệu chưa hợp lệ"
        case 429: return "Quá nhiều lần thử"
        default: return "Lỗi hệ thống"
        }
    }
}
