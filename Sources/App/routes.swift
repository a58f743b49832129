import Vapor

func routes(_ app: Application) throws {
    app.get("health") { _ in "ok" }
    // The ceiling for the HTTP benchmark: no database, no view.
    app.get("bench", "bare") { _ in "ok" }

    // The JSON API: bearer tokens, no cookies, so outside the CSRF group.
    try app.register(collection: ApiController())

    try app.register(collection: OpenDataController()) // open data: public, read-only, no login
    let browser = app.grouped(CSRFMiddleware())
    try browser.register(collection: AuthController())
    let signedIn = browser.grouped(User.redirectMiddleware(path: "/login"))
    try signedIn.register(collection: HomeController())
    try signedIn.register(collection: ReportController())
    try signedIn.register(collection: ExportController()) // Word/Excel/CSV/JSON out, Excel template in
    try signedIn.register(collection: ExchangeController()) // DHIS2 / ADX / SDMX out, DHIS2 in
    try signedIn.register(collection: DossierController()) // figures computed from dossier records (QĐ 766) into a draft
    try signedIn.register(collection: MonitorController())
    try signedIn.register(collection: ConsolidationController())
    try signedIn.register(collection: TargetController())
    try signedIn.register(collection: DashboardController())
    try signedIn.register(collection: AdminController())
    try signedIn.register(collection: AdminAuditController())
    try signedIn.register(collection: DocumentController())
    try signedIn.register(collection: WordImportController()) // a Word report into the draft
    try signedIn.register(collection: OfficePreviewController()) // the Word report's prose checked before download
    try signedIn.register(collection: NarrativeController()) // "đã kiểm tra" on narrative findings
    try signedIn.register(collection: TokensController())
}
