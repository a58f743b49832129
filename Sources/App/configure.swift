import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import ReportingCore
import SQLKit
import Vapor

/// Sets up the database, migrations, sessions, views and routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    app.library = try FormLibrary.builtIn(adding: config.extraFormsDirectory.map { URL(fileURLWithPath: $0) })

    switch config.database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
        app.writeGate = WriteGate(exclusive: true)
    case .sqliteFile(let path):
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        app.writeGate = WriteGate(exclusive: true)
        // WAL: readers never wait for a writer, and a commit costs one fsync.
        // The setting is kept in the file; synchronous stays FULL (durable).
        if let sql = app.db as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
    case .postgres(let url):
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: config.postgresConnectionsPerLoop), as: .psql)
        // Saves still commit in groups: one fsync for many.
        app.writeGate = WriteGate(exclusive: false)
    }

    app.migrations.add(CreateUnits())
    app.migrations.add(CreateUsers())
    app.migrations.add(CreateReports())
    app.migrations.add(CreatePublishedDatasets())
    app.migrations.add(CreateTargetResults())
    app.migrations.add(CreateStoredPlans())
    app.migrations.add(SessionRecord.migration)
    app.migrations.add(UpdateSessionsAddUserID())
    app.migrations.add(UpdateReportsAddDocumentsRevision())
    app.migrations.add(CreateLookupIndexes())
    app.migrations.add(UpdateApiTokensAddExpiresAt())
    app.migrations.add(CreateAdminAuditAndAuditVersion())
    app.migrations.add(UpdateSessionsAddTimes())
    app.migrations.add(CreateAppSecrets())
    app.migrations.add(CreateLoginThrottle())
    app.migrations.add(CreateChangeCounters())
    app.migrations.add(CreateConsolidationIndexes())
    app.migrations.add(UpdateUsersAddEmail())
    app.migrations.add(CreateEmailOutbox())
    app.migrations.add(CreateComputedValues())
    app.migrations.add(CreateNarrativeAcknowledgements())

    // Made here, before any request, so no two requests race to make them.
    let clock = AppClock()
    app.storage[Application.ClockKey.self] = clock
    app.storage[Application.CSRFKeyKey.self] = CSRFKey()
    let sessionPolicy = SQLSessions.Policy(idle: config.sessionIdleTimeout, lifetime: config.sessionLifetime, clock: clock)
    app.sessions.use { _ in WriteOnChangeSessions(base: SQLSessions(policy: sessionPolicy)) }
    app.sessions.configuration.cookieName = "baocao_session"
    // Sent again with every answer: the browser forgets it after the idle time, as the server does.
    let cookieAge = Int(config.sessionIdleTimeout)
    app.sessions.configuration.cookieFactory = { sessionID in
        HTTPCookies.Value(
            string: sessionID.string, maxAge: cookieAge, path: "/",
            isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    app.routes.defaultMaxBodySize = "2mb"

    app.views.use(.leaf)
    // Templates ship inside the binary's bundle and never change while it
    // runs: parse each once, in every environment.
    app.leaf.cache.isEnabled = true
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
            sandboxDirectory: viewsDirectory(app),
            viewDirectory: viewsDirectory(app)))
    // Outermost first: every response, error pages included, gets the security headers.
    app.middleware.use(SecurityHeadersMiddleware(https: config.servedOverHTTPS, errors: .default(environment: app.environment)))
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(BodySizeLimitMiddleware(maxBytes: 2 * 1024 * 1024))
    app.middleware.use(StaticFilesMiddleware(files: FileMiddleware(publicDirectory: publicDirectory(app)), prefixes: staticPrefixes(app)))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SessionUserAuthenticator())

    // Made here, before any request, so no two requests race to make them.
    app.storage[Application.ReportPageCacheKey.self] = ReportPageCache()
    app.storage[Application.UnitDirectoryKey.self] = UnitDirectory()
    app.storage[Application.ConsolidationCacheKey.self] = ConsolidationCache()
    try routes(app)
}

/// Views and static files ship inside the package, so the app runs from any directory.
func viewsDirectory(_ app: Application) -> String {
    Bundle.module.resourceURL!.appendingPathComponent("Views").path + "/"
}

func publicDirectory(_ app: Application) -> String {
    Bundle.module.resourceURL!.appendingPathComponent("Public").path + "/"
}

/// "/css/", "/js/", …: the folders of the public directory, and its top-level files.
func staticPrefixes(_ app: Application) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: publicDirectory(app))) ?? []
    return names.map { name in
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: publicDirectory(app) + name, isDirectory: &isDirectory)
        return "/" + name + (isDirectory.boolValue ? "/" : "")
    }
}
