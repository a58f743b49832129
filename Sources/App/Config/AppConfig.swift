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

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       testing: Bool = false) throws -> AppConfig {
        let dataDirectory = environment["BAOCAO_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        var database: Database = testing ? .sqliteMemory : .sqliteFile(dataDirectory + "/baocao.sqlite")
        if let raw = environment["DATABASE_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), ["postgres", "postgresql"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigError(description: "DATABASE_URL không hợp lệ: “\(raw)”. Dạng đúng: postgres://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl")
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
        var config = AppConfig(database: database, dataDirectory: dataDirectory,
                               loadDemo: try flag("BAOCAO_DEMO", default: !testing),
                               adminPassword: password,
                               secureCookies: try flag("BAOCAO_SECURE_COOKIES", default: false),
                               extraFormsDirectory: try formsDirectory(environment["BAOCAO_FORMS_DIR"]))
        if let raw = environment["BAOCAO_DB_CONNECTIONS"], !raw.isEmpty {
            guard let count = Int(raw), (1...64).contains(count) else {
                throw ConfigError(description: "BAOCAO_DB_CONNECTIONS=\(raw) không hợp lệ: số kết nối PostgreSQL cho mỗi lõi, từ 1 đến 64.")
            }
            config.postgresConnectionsPerLoop = count
        }
        return config
    }
}

extension Application {
    struct ConfigKey: StorageKey { typealias Value = AppConfig }
    public var config: AppConfig {
        get { storage[ConfigKey.self]! }
        set { storage[ConfigKey.self] = newValue }
    }
}
