import ArgumentParser
import Fluent
import SQLKit
import Vapor

/// `baocao serve`: migrates, loads the demo province on first start, serves.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Chạy máy chủ web (tự tạo CSDL, nạp dữ liệu mẫu lần đầu).")

    @ArgumentParser.Option(help: "Địa chỉ lắng nghe.") var hostname: String = "127.0.0.1"
    @ArgumentParser.Option(help: "Cổng.") var port: Int = 8080

    func run() async throws {
        try await ApplicationRunner.with(arguments: ["baocao", "serve", "--hostname", hostname, "--port", String(port)]) { app in
            let prepared = try await DatabasePreparation.prepare(app, loadDemo: app.config.loadDemo)
            if let demo = prepared.demo {
                say("Đã nạp dữ liệu mẫu tỉnh Bắc Giang: \(demo.units) đơn vị.")
                demo.lines.forEach(say)
                say(DemoLoader.adminLine(configured: app.config.adminPassword != nil))
                say(
                    "Các tài khoản khác (mật khẩu \(DemoLoader.demoPassword)): "
                        + demo.users.filter { $0.0 != "admin" }.map { "\($0.0) (\($0.1))" }.joined(separator: ", "))
            }
            if let refusal = try await DemoPasswords.refusal(
                hostname: hostname, config: app.config, database: app.db,
                verifier: app.password.async)
            {
                FileHandle.standardError.write(Data("Lỗi: \(refusal)\n".utf8))
                throw ExitCode(2)
            }
            try await ServeCommand.purgeEnded(app)
            if let smtp = app.config.smtp {
                // Notification emails leave from the outbox while the server runs.
                app.lifecycle.use(OutboxSender())
                say("Thư thông báo gửi qua máy chủ thư \(smtp.host):\(smtp.port).")
            }
            say("BaoCao đang chạy tại http://\(hostname):\(port)/")
            try await app.execute()
        }
    }

    /// Ended sessions and stale login counters, cleared at start in bounded batches.
    static func purgeEnded(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        let policy = SQLSessions.Policy(idle: app.config.sessionIdleTimeout, lifetime: app.config.sessionLifetime, clock: app.clock)
        let now = app.clock.seconds()
        var rounds = 0
        while rounds < 1_000, try await SQLSessions.purge(on: sql, policy, now: now, limit: 500).get() == 500 { rounds += 1 }
        rounds = 0
        while rounds < 1_000, try await LoginThrottle.purge(now: now, limit: 500, on: sql) == 500 { rounds += 1 }
    }
}

/// `baocao migrate`: creates or updates the database schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Tạo hoặc cập nhật cấu trúc cơ sở dữ liệu.")

    func run() async throws {
        try await ApplicationRunner.with { app in
            _ = try await DatabasePreparation.prepare(app, loadDemo: false)
            say("Đã cập nhật cấu trúc cơ sở dữ liệu.")
        }
    }
}

/// `baocao demo`: loads the demo province into an empty database.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Nạp dữ liệu mẫu (tỉnh Bắc Giang) vào cơ sở dữ liệu trống.")

    func run() async throws {
        try await ApplicationRunner.with { app in
            try await app.autoMigrate()
            guard try await UnitRecord.query(on: app.db).count() == 0 else {
                throw UserFacingError("Cơ sở dữ liệu đã có đơn vị; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống.")
            }
            let (units, lines, _) = try await Self.load(app)
            say("Đã nạp \(units) đơn vị. " + DemoLoader.adminLine(configured: app.config.adminPassword != nil))
            lines.forEach(say)
        }
    }

    /// The living province, or the tests' fixture when BAOCAO_DEMO_FIXTURE=1: units, summary lines, accounts.
    static func load(_ app: Application) async throws -> (Int, [String], [(String, String)]) {
        if app.config.demoFixture {
            let summary = try await DemoLoader(database: app.db, library: app.library, hasher: ApplicationRunner.hash(app))
                .load(adminPassword: app.config.adminPassword)
            return (summary.units, [], summary.users)
        }
        let summary = try await DemoProvince(database: app.db, library: app.library, hasher: ApplicationRunner.hash(app))
            .load(adminPassword: app.config.adminPassword)
        return (summary.units, summary.lines, summary.users)
    }
}

/// Writes a line at once, unbuffered, so it shows before the server's own logs.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
