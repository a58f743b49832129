import Fluent
import Vapor

/// A server others can reach must not run with the demo's password: at start,
/// every account's hash is checked against it with the password verifier.
enum DemoPasswords {
    /// Only this machine can reach a server listening here.
    static func isLoopback(_ hostname: String) -> Bool {
        let host = hostname.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The user names whose password is still the demo's, in name order.
    static func accounts(on database: any Database, verifier: AsyncPasswordHasher) async throws -> [String] {
        let users = try await User.query(on: database).sort(\.$username).all()
        return try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for (index, user) in users.enumerated() {
                let hash = user.passwordHash
                group.addTask { (index, try await verifier.verify(DemoLoader.demoPassword, created: hash)) }
            }
            var weak = Set<Int>()
            for try await (index, isDemo) in group where isDemo { weak.insert(index) }
            return users.indices.filter(weak.contains).map { users[$0].username }
        }
    }

    /// Why the server may not start, or nil. `hostname` is the address it listens on.
    static func refusal(
        hostname: String, config: AppConfig, database: any Database,
        verifier: AsyncPasswordHasher
    ) async throws -> String? {
        guard !isLoopback(hostname), !config.allowDemoPasswords else { return nil }
        let weak = try await accounts(on: database, verifier: verifier)
        guard !weak.isEmpty else { return nil }
        return """
            Không khởi động máy chủ: máy chủ lắng nghe trên \(hostname), máy khác truy cập được, nhưng \(weak.count) tài khoản \
            vẫn dùng mật khẩu mẫu “\(DemoLoader.demoPassword)”: \(weak.joined(separator: ", ")). Hãy đổi mật khẩu từng tài khoản \
            (swift run baocao users password --username TÊN --password MẬT_KHẨU_MỚI, hoặc trang Đổi mật khẩu khi chạy trên 127.0.0.1), \
            hoặc chỉ lắng nghe trên máy này (--hostname 127.0.0.1). Nếu đây là máy thử nghiệm, đặt BAOCAO_ALLOW_DEMO_PASSWORDS=1 để bỏ qua kiểm tra này.
            """
    }
}
