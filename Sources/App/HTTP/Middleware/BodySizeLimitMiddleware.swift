import Vapor

/// Refuses oversized bodies with 413 before anything reads them.
struct BodySizeLimitMiddleware: Middleware {
    let maxBytes: Int

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let declared = request.headers.first(name: .contentLength).flatMap(Int.init) ?? 0
        let buffered = request.body.data?.readableBytes ?? 0
        if max(declared, buffered) > maxBytes {
            return request.eventLoop.makeFailedFuture(
                Abort(.payloadTooLarge, reason: "Dữ liệu gửi lên quá lớn (tối đa \(maxBytes / 1024 / 1024) MB)."))
        }
        return next.respond(to: request)
    }
}
