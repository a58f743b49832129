import Vapor

// The middlewares every request passes (this one, the body limit, static
// files) are written with futures: as async middlewares each cost every
// request a task and two thread hops.

/// Headers every page gets: no framing, no sniffing, only our own assets;
/// HSTS when served over HTTPS. What a signed-in user or an API token gets
/// (pages, exports, downloads), and any answer that sets a cookie, is
/// `no-store`: no cache keeps it. Static files never reach the session
/// middleware, so nobody is signed in for them and they keep their caching.
struct SecurityHeadersMiddleware: Middleware {
    var https = false
    /// Errors no page was made for (a client that does not ask for HTML) become
    /// answers here, as Vapor's outer error middleware would, so that they get the headers too.
    let errors: ErrorMiddleware

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        errors.respond(to: request, chainingTo: next).map { response in
            if request.auth.has(User.self) || request.headers.contains(name: .authorization) || response.headers.contains(name: .setCookie)
            {
                response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            }
            if https { response.headers.replaceOrAdd(name: .strictTransportSecurity, value: "max-age=31536000") }
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy", value: "default-src 'self'; img-src 'self' data:; style-src 'self'")
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
            return response
        }
    }
}
