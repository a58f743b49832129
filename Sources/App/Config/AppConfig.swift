import Foundation
import Vapor

/// Every setting the application reads from the environment, read here once.
/// A bad value stops start-up with a message that says what to fix.
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(URL)
    }

    public var database: Database
    public var dataDirectory: String
    public var loadDemo: Bool
    public var adminPassword: String?
    public var secureCookies: Bool
    /// A folder of the province's own form and plan files, added to the built-in ones.
    public var extraFormsDirectory: String?
    /// PostgreSQL connections per event loop (one loop per core). Saves wait
    /// for their commit's fsync on a connection; with one, they queue.
    public var postgresConnectionsPerLoop: Int = 4
    /// The address users type (BAOCAO_PUBLIC_URL); an https one turns on secure cookies and HSTS.
    public var publicURL: URL? = nil
    /// Start on a non-loopback address even while an account still has the demo password.
    public var allowDemoPasswords: Bool = false
    /// Load the tests' small fixture province (`DemoLoader`) instead of the living demo
    /// (`DemoProvince`): for the scripted checks that work on its reports (BAOCAO_DEMO_FIXTURE=1).
    public var demoFixture: Bool = false
    /// A session ends after this long without a request, and this long after sign-in whatever happens.
    public var sessionIdleTimeout: TimeInterval = 8 * 3600
    public var sessionLifetime: TimeInterval = 7 * 86_400
    /// Behind a reverse proxy: the client's address is the last one of X-Forwarded-For (for the login limiter).
    public var trustForwardedFor: Bool = false
    /// Notification emails (BAOCAO_SMTP_*); nil when BAOCAO_SMTP_HOST is unset: in-app reminders only.
    public var smtp: SMTPSettings? = nil

    /// Served over HTTPS (BAOCAO_SECURE_COOKIES, or an https BAOCAO_PUBLIC_URL): secure cookies and HSTS.
    public var servedOverHTTPS: Bool { secureCookies }

    public struct ConfigError: Error, CustomStringConvertible {
        public let description: String
    }

    static func formsDirectory(_ raw: String?) throws -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: raw, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(description: "BAOCAO_FORMS_DIR=\(raw) không phải là một thư mục.")
        }
        return raw
    }

    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        testing: Bool = false
    ) throws -> AppConfig {
        let dataDirectory = environment["BAOCAO_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        var database: Database = testing ? .sqliteMemory : .sqliteFile(dataDirectory + "/baocao.sqlite")
        if let raw = environment["DATABASE_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), ["postgres", "postgresql"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigError(
                    description: "DATABASE_URL không hợp lệ: “\(raw)”. Dạng đúng: postgres://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl")
            }
            database = .postgres(url)
        }
        func flag(_ name: String, default value: Bool) throws -> Bool {
            guard let raw = environment[name], !raw.isEmpty else { return value }
            switch raw.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigError(description: "\(name)=\(raw) không hợp lệ: dùng 1 hoặc 0.")
            }
        }
        let password = environment["BAOCAO_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let password, password.count < 8 {
            throw ConfigError(description: "BAOCAO_ADMIN_PASSWORD phải có ít nhất 8 ký tự.")
        }
        var publicURL: URL?
        if let raw = environment["BAOCAO_PUBLIC_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ConfigError(description: "BAOCAO_PUBLIC_URL không hợp lệ: “\(raw)”. Dạng đúng: https://baocao.tinh.gov.vn")
            }
            publicURL = url
        }
        // The demo is for a first look on the embedded SQLite file; on PostgreSQL
        // (production) it loads only when asked for with BAOCAO_DEMO=1.
        var demoByDefault = false
        if !testing, case .sqliteFile = database { demoByDefault = true }
        var config = AppConfig(
            database: database, dataDirectory: dataDirectory,
            loadDemo: try flag("BAOCAO_DEMO", default: demoByDefault),
            adminPassword: password,
            secureCookies: try flag("BAOCAO_SECURE_COOKIES", default: publicURL?.scheme?.lowercased() == "https"),
            extraFormsDirectory: try formsDirectory(environment["BAOCAO_FORMS_DIR"]))
        config.publicURL = publicURL
        config.allowDemoPasswords = try flag("BAOCAO_ALLOW_DEMO_PASSWORDS", default: false)
        config.demoFixture = try flag("BAOCAO_DEMO_FIXTURE", default: false)
        config.trustForwardedFor = try flag("BAOCAO_TRUST_PROXY", default: false)
        func number(_ name: String, in range: ClosedRange<Int>, unit: String) throws -> Int? {
            guard let raw = environment[name], !raw.isEmpty else { return nil }
            guard let value = Int(raw), range.contains(value) else {
                throw ConfigError(description: "\(name)=\(raw) không hợp lệ: số \(unit), từ \(range.lowerBound) đến \(range.upperBound).")
            }
            return value
        }
        if let minutes = try number("BAOCAO_SESSION_IDLE_MINUTES", in: 5...10_080, unit: "phút") {
            config.sessionIdleTimeout = TimeInterval(minutes) * 60
        }
        if let days = try number("BAOCAO_SESSION_MAX_DAYS", in: 1...90, unit: "ngày") {
            config.sessionLifetime = TimeInterval(days) * 86_400
        }
        if let raw = environment["BAOCAO_DB_CONNECTIONS"], !raw.isEmpty {
            guard let count = Int(raw), (1...64).contains(count) else {
                throw ConfigError(description: "BAOCAO_DB_CONNECTIONS=\(raw) không hợp lệ: số kết nối PostgreSQL cho mỗi lõi, từ 1 đến 64.")
            }
            config.postgresConnectionsPerLoop = count
        }
        config.smtp = try smtp(environment, publicURL: publicURL)
        return config
    }

    /// BAOCAO_SMTP_HOST, _PORT, _FROM, _USER, _PASSWORD, _TLS (none|starttls), _CA_FILE, _TIMEOUT_SECONDS.
    static func smtp(_ environment: [String: String], publicURL: URL?) throws -> SMTPSettings? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("BAOCAO_SMTP_HOST") else {
            for name in ["BAOCAO_SMTP_FROM", "BAOCAO_SMTP_USER", "BAOCAO_SMTP_PASSWORD", "BAOCAO_SMTP_PORT", "BAOCAO_SMTP_TLS"]
            where value(name) != nil {
                throw ConfigError(
                    description:
                        "\(name) đã đặt nhưng thiếu BAOCAO_SMTP_HOST (máy chủ thư). Hãy đặt BAOCAO_SMTP_HOST, hoặc bỏ \(name) nếu không gửi thư."
                )
            }
            return nil
        }
        guard host.utf8.count <= 253, host.range(of: #"^[A-Za-z0-9.:\-\[\]]+$"#, options: .regularExpression) != nil else {
            throw ConfigError(
                description: "BAOCAO_SMTP_HOST=\(MailMessage.oneLine(host)) không hợp lệ: tên máy hoặc địa chỉ IP, ví dụ mail.tinh.gov.vn.")
        }
        var security = SMTPSettings.Security.none
        if let raw = value("BAOCAO_SMTP_TLS") {
            guard let parsed = SMTPSettings.Security(rawValue: raw.lowercased()) else {
                throw ConfigError(description: "BAOCAO_SMTP_TLS=\(raw) không hợp lệ: dùng none (không mã hoá) hoặc starttls.")
            }
            security = parsed
        }
        var port = security == .starttls ? 587 : 25
        if let raw = value("BAOCAO_SMTP_PORT") {
            guard let parsed = Int(raw), (1...65_535).contains(parsed) else {
                throw ConfigError(description: "BAOCAO_SMTP_PORT=\(raw) không hợp lệ: số cổng từ 1 đến 65535 (thường là 25 hoặc 587).")
            }
            port = parsed
        }
        guard let from = value("BAOCAO_SMTP_FROM") else {
            throw ConfigError(description: "Thiếu BAOCAO_SMTP_FROM: địa chỉ gửi thư thông báo, ví dụ baocao@tinh.gov.vn.")
        }
        guard EmailAddress.isValid(from) else {
            throw ConfigError(
                description: "BAOCAO_SMTP_FROM=\(MailMessage.oneLine(from)) không phải là địa chỉ thư hợp lệ. Ví dụ: baocao@tinh.gov.vn.")
        }
        guard publicURL != nil else {
            throw ConfigError(
                description:
                    "Gửi thư thông báo cần BAOCAO_PUBLIC_URL (địa chỉ trang BaoCao, ví dụ https://baocao.tinh.gov.vn) để thư có đường dẫn tới báo cáo."
            )
        }
        let user = value("BAOCAO_SMTP_USER"), password = value("BAOCAO_SMTP_PASSWORD")
        if (user == nil) != (password == nil) {
            throw ConfigError(
                description: user == nil
                    ? "BAOCAO_SMTP_PASSWORD đã đặt nhưng thiếu BAOCAO_SMTP_USER."
                    : "BAOCAO_SMTP_USER đã đặt nhưng thiếu BAOCAO_SMTP_PASSWORD.")
        }
        for (name, text) in [("BAOCAO_SMTP_USER", user), ("BAOCAO_SMTP_PASSWORD", password)] {
            if let text, text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || text.utf8.count > 500 {
                throw ConfigError(
                    description: "\(name) không hợp lệ: không được chứa ký tự điều khiển (xuống dòng) và dài tối đa 500 byte.")
            }
        }
        if user != nil, security == .none, !SMTPSettings.isLoopback(host) {
            throw ConfigError(
                description: "BAOCAO_SMTP_USER cần BAOCAO_SMTP_TLS=starttls: không gửi mật khẩu thư không mã hoá tới \(host).")
        }
        var settings = SMTPSettings(host: host, port: port, from: from, username: user, password: password, security: security)
        if let raw = value("BAOCAO_SMTP_CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: raw) else {
                throw ConfigError(description: "BAOCAO_SMTP_CA_FILE=\(raw) không đọc được: cần tệp PEM chứng chỉ gốc của máy chủ thư.")
            }
            settings.caFile = raw
        }
        if let raw = value("BAOCAO_SMTP_TIMEOUT_SECONDS") {
            guard let seconds = Int(raw), (1...600).contains(seconds) else {
                throw ConfigError(description: "BAOCAO_SMTP_TIMEOUT_SECONDS=\(raw) không hợp lệ: số giây từ 1 đến 600.")
            }
            settings.timeout = TimeInterval(seconds)
        }
        return settings
    }
}

extension Application {
    struct ConfigKey: StorageKey { typealias Value = AppConfig }
    public var config: AppConfig {
        get { storage[ConfigKey.self]! }
        set { storage[ConfigKey.self] = newValue }
    }
}
