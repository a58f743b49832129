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
        let config = try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://bc:mk@db.tinh.vn:5432/baocao", "BAOCAO_DB_CONNECTIONS": "8"]
        )
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
        let set = try AppConfig.fromEnvironment([
            "BAOCAO_SESSION_IDLE_MINUTES": "30", "BAOCAO_SESSION_MAX_DAYS": "2",
            "BAOCAO_ALLOW_DEMO_PASSWORDS": "1", "BAOCAO_TRUST_PROXY": "1"
        ])
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
        (["BAOCAO_SMTP_FROM": "baocao@tinh.gov.vn"], "BAOCAO_SMTP_FROM đã đặt nhưng thiếu BAOCAO_SMTP_HOST"),
        (smtp(["BAOCAO_SMTP_PORT": "70000"]), "BAOCAO_SMTP_PORT=70000 không hợp lệ"),
        (smtp(["BAOCAO_SMTP_PORT": "hai lăm"]), "số cổng từ 1 đến 65535"),
        (smtp(["BAOCAO_SMTP_TLS": "ssl"]), "BAOCAO_SMTP_TLS=ssl không hợp lệ: dùng none (không mã hoá) hoặc starttls"),
        (smtp(["BAOCAO_SMTP_FROM": ""]), "Thiếu BAOCAO_SMTP_FROM"),
        (smtp(["BAOCAO_SMTP_FROM": "Báo cáo <bc@tinh.gov.vn>"]), "không phải là địa chỉ thư hợp lệ"),
        (smtp(["BAOCAO_SMTP_HOST": "mail tinh"]), "BAOCAO_SMTP_HOST=mail tinh không hợp lệ"),
        (smtp(["BAOCAO_PUBLIC_URL": ""]), "cần BAOCAO_PUBLIC_URL"),
        (smtp(["BAOCAO_SMTP_USER": "baocao"]), "BAOCAO_SMTP_USER đã đặt nhưng thiếu BAOCAO_SMTP_PASSWORD"),
        (smtp(["BAOCAO_SMTP_USER": "baocao", "BAOCAO_SMTP_PASSWORD": "bí-mật"]), "BAOCAO_SMTP_USER cần BAOCAO_SMTP_TLS=starttls"),
        (smtp(["BAOCAO_SMTP_USER": "bao\r\ncao", "BAOCAO_SMTP_PASSWORD": "x", "BAOCAO_SMTP_TLS": "starttls"]), "ký tự điều khiển"),
        (smtp(["BAOCAO_SMTP_TIMEOUT_SECONDS": "0"]), "BAOCAO_SMTP_TIMEOUT_SECONDS=0 không hợp lệ"),
        (smtp(["BAOCAO_SMTP_CA_FILE": "/khong/co/tep.pem"]), "BAOCAO_SMTP_CA_FILE=/khong/co/tep.pem không đọc được")
    ])
    func badValuesSayWhatToFix(environment: [String: String], message: String) {
        #expect {
            _ = try AppConfig.fromEnvironment(environment)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    /// A valid email configuration, changed by `changes`.
    static func smtp(_ changes: [String: String]) -> [String: String] {
        [
            "BAOCAO_SMTP_HOST": "mail.bacgiang.gov.vn", "BAOCAO_SMTP_FROM": "baocao@bacgiang.gov.vn",
            "BAOCAO_PUBLIC_URL": "https://baocao.bacgiang.gov.vn"
        ].merging(changes) { $1 }
    }

    @Test func emailIsOffWithoutAHostAndReadWhole() throws {
        #expect(try AppConfig.fromEnvironment([:]).smtp == nil)
        let plain = try #require(try AppConfig.fromEnvironment(Self.smtp([:])).smtp)
        #expect(plain.host == "mail.bacgiang.gov.vn" && plain.port == 25 && plain.security == .none && plain.username == nil)
        #expect(plain.from == "baocao@bacgiang.gov.vn" && plain.timeout == 30)
        let secure = try #require(
            try AppConfig.fromEnvironment(
                Self.smtp([
                    "BAOCAO_SMTP_TLS": "STARTTLS", "BAOCAO_SMTP_USER": "baocao", "BAOCAO_SMTP_PASSWORD": "bí mật",
                    "BAOCAO_SMTP_TIMEOUT_SECONDS": "10"
                ])
            ).smtp)
        #expect(secure.port == 587 && secure.security == .starttls && secure.username == "baocao" && secure.password == "bí mật")
        #expect(secure.timeout == 10)
        #expect(try AppConfig.fromEnvironment(Self.smtp(["BAOCAO_SMTP_PORT": "2525"])).smtp?.port == 2525)
        // A relay on this machine may take a password in the clear.
        let local = try AppConfig.fromEnvironment(
            Self.smtp(["BAOCAO_SMTP_HOST": "127.0.0.1", "BAOCAO_SMTP_USER": "u", "BAOCAO_SMTP_PASSWORD": "p"]))
        #expect(local.smtp?.username == "u")
    }
}
