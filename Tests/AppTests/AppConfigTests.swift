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
        // Never the demo on PostgreSQL unless asked for.
        #expect(config.loadDemo == false)
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://bc:mk@db.tinh.vn/baocao", "BAOCAO_DEMO": "1"]).loadDemo)
    }

    @Test func httpsSessionsAndTheDemoPasswordGuard() throws {
        let plain = try AppConfig.fromEnvironment([:])
        #expect(!plain.secureCookies && !plain.servedOverHTTPS && !plain.allowDemoPasswords && !plain.trustForwardedFor)
        #expect(plain.sessionIdleTimeout == 8 * 3600 && plain.sessionLifetime == 7 * 86_400)
        #expect(try AppConfig.fromEnvironment(["BAOCAO_PUBLIC_URL": "https://baocao.bacgiang.gov.vn"]).servedOverHTTPS)
        #expect(try AppConfig.fromEnvironment(["BAOCAO_PUBLIC_URL": "http://10.0.0.5:8080"]).servedOverHTTPS == false)
        #expect(try AppConfig.fromEnvironment(["BAOCAO_SECURE_COOKIES": "1"]).servedOverHTTPS)
        let set = try AppConfig.fromEnvironment(["BAOCAO_SESSION_IDLE_MINUTES": "30", "BAOCAO_SESSION_MAX_DAYS": "2",
                                                 "BAOCAO_ALLOW_DEMO_PASSWORDS": "1", "BAOCAO_TRUST_PROXY": "1"])
        #expect(set.sessionIdleTimeout == 1800 && set.sessionLifetime == 2 * 86_400 && set.allowDemoPasswords && set.trustForwardedFor)
    }

    @Test(arguments: [
        (["DATABASE_URL": "mysql://x@y/z"], "DATABASE_URL không hợp lệ"),
        (["BAOCAO_DB_CONNECTIONS": "0"], "BAOCAO_DB_CONNECTIONS=0 không hợp lệ"),
        (["BAOCAO_DB_CONNECTIONS": "nhiều"], "từ 1 đến 64"),
        (["BAOCAO_DEMO": "có"], "BAOCAO_DEMO=có không hợp lệ"),
        (["BAOCAO_ADMIN_PASSWORD": "ngan"], "ít nhất 8 ký tự"),
        (["BAOCAO_PUBLIC_URL": "baocao.tinh.vn"], "BAOCAO_PUBLIC_URL không hợp lệ"),
        (["BAOCAO_SESSION_IDLE_MINUTES": "1"], "từ 5 đến 10080"),
        (["BAOCAO_SESSION_MAX_DAYS": "bảy"], "BAOCAO_SESSION_MAX_DAYS=bảy không hợp lệ"),
        (["BAOCAO_ALLOW_DEMO_PASSWORDS": "có"], "BAOCAO_ALLOW_DEMO_PASSWORDS=có không hợp lệ"),
    ])
    func badValuesSayWhatToFix(environment: [String: String], message: String) {
        #expect {
            _ = try AppConfig.fromEnvironment(environment)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }
}
