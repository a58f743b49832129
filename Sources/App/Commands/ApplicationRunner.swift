import Fluent
import SQLKit
import Vapor

/// Builds a configured application for a command, and always shuts it down.
enum ApplicationRunner {
    static func with<T>(arguments: [String] = ["baocao"], _ body: (Application) async throws -> T) async throws -> T {
        let config: AppConfig
        do { config = try AppConfig.fromEnvironment() } catch { throw UserFacingError("Cấu hình sai: \(error)") }
        var environment = try Environment.detect(arguments: ["baocao"])
        environment.arguments = arguments
        let app = try await Application.make(environment)
        // Offline commands print their own results; migration chatter would bury them.
        if !arguments.contains("serve") && ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil {
            app.logger.logLevel = .warning
        }
        do {
            try await configure(app, config: config)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// A configured application with the demo province loaded, for the
    /// benchmarks: production settings, quiet logs, cheap password hashes
    /// (bcrypt's cost is not what they measure). The caller shuts it down.
    static func benchmarkDemo(config: AppConfig) async throws -> Application {
        var environment = Environment.production
        environment.arguments = ["baocao"]
        let app = try await Application.make(environment)
        app.logger.logLevel = .error
        do {
            try await configure(app, config: config)
            if case .postgres = config.database {
                // The benchmark writes its own units, users and reports: never into a database in use.
                let tables =
                    try await (try app.db.requireSQL()).raw(
                        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
                    ).first()?
                    .decode(column: "n", as: Int.self) ?? 0
                guard tables == 0 else {
                    throw UserFacingError(
                        "Phép đo cần một cơ sở dữ liệu PostgreSQL trống, nhưng DATABASE_URL đang có \(tables) bảng. Hãy tạo một CSDL mới chỉ để đo (createdb baocao_bench)."
                    )
                }
            }
            try await app.autoMigrate()
            _ = try await DemoLoader(database: app.db, library: app.library, hasher: { try Bcrypt.hash($0, cost: 4) }).load(
                adminPassword: nil)
            return app
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func hash(_ app: Application) -> @Sendable (String) throws -> String {
        { password in try Bcrypt.hash(password) }
    }
}
