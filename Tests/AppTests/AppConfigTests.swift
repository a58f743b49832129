import Foundation
import Testing
@testable import App

/// Settings come from the environment, read in one place; a bad value stops
/// start-up with a message that says what to fix.
@Suite("Configuration")
struct AppConfigTests {
    @Test func defaultsRunOnSQLiteInTheDataFolder() throws {
        let config = try AppConfig.fromEnvironment([:])
        #expect(config.database == .sqliteFile("./data/baocao.sqlite"))
        #expect(config.loadDemo)
        #expect(config.postgresConnectionsPerLoop == 4)
        #expect(try AppConfig.fromEnvironment(["BAOCAO_DATA_DIR": "/srv/baocao"]).database == .sqliteFile("/srv/baocao/baocao.sqlite"))
    }

    @Test func postgresAndItsConnections() throws {
        let config = try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://bc:mk@db.tinh.vn:5432/baocao", "BAOCAO_DB_CONNECTIONS": "8"])
        #expect(config.database == .postgres(URL(string: "postgres://bc:mk@db.tinh.vn:5432/baocao")!))
        #expect(config.postgresConnectionsPerLoop == 8)
    }

    @Test(arguments: [
        (["DATABASE_URL": "mysql://x@y/z"], "DATABASE_URL không hợp lệ"),
        (["BAOCAO_DB_CONNECTIONS": "0"], "BAOCAO_DB_CONNECTIONS=0 không hợp lệ"),
        (["BAOCAO_DB_CONNECTIONS": "nhiều"], "từ 1 đến 64"),
        (["BAOCAO_DEMO": "có"], "BAOCAO_DEMO=có không hợp lệ"),
        (["BAOCAO_ADMIN_PASSWORD": "ngan"], "ít nhất 8 ký tự"),
    ])
    func badValuesSayWhatToFix(environment: [String: String], message: String) {
        #expect {
            _ = try AppConfig.fromEnvironment(environment)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }
}
