import Foundation

/// Where and how notification emails leave (BAOCAO_SMTP_*; read by `AppConfig`).
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain SMTP (a relay on the same host or network).
        case none
        /// RFC 3207: the session is upgraded to TLS before anything else is said.
        case starttls
    }

    public var host: String
    public var port: Int
    /// The envelope and header sender, e.g. baocao@tinh.gov.vn.
    public var from: String
    public var username: String?
    public var password: String?
    public var security: Security
    /// Every step (connect, each reply) must finish within this.
    public var timeout: TimeInterval = 30
    /// Trusted roots for STARTTLS as a PEM file; the system's when nil.
    public var caFile: String? = nil
    /// The name this client gives in EHLO.
    public var heloName: String = "baocao.localdomain"

    public init(host: String, port: Int, from: String, username: String? = nil, password: String? = nil, security: Security = .none) {
        self.host = host
        self.port = port
        self.from = from
        self.username = username
        self.password = password
        self.security = security
    }

    /// 127.0.0.1, ::1, localhost: a relay on this machine, where credentials never cross a network.
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower.hasPrefix("127.") || lower == "::1" || lower == "[::1]"
    }
}
