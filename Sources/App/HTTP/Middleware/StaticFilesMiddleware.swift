import Vapor

/// Vapor's file middleware, asked only for paths under the public folders
/// (css/, js/, api/): a page view does not look for a file of its name.
struct StaticFilesMiddleware: Middleware {
    let files: FileMiddleware
    let prefixes: [String]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = request.url.path
        guard prefixes.contains(where: { path.hasPrefix($0) }) else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}
