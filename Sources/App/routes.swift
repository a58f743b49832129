import Vapor

func routes(_ app: Application) throws {
    app.get("health") { _ in "ok" }
    // The ceiling for the HTTP benchmark: no database, no view.
    app.get("bench", "bare") { _ in "ok" }

    let browser = app.grouped(CSRFMiddleware())
    try browser.register(collection: AuthController())
    let signedIn = browser.grouped(User.redirectMiddleware(path: "/login"))
    try signedIn.register(collection: HomeController())
    try signedIn.register(collection: ReportController())
    try signedIn.register(collection: MonitorController())
}
