import ArgumentParser
import Fluent
import Vapor

extension UsersCommand {
    /// `baocao users password --username X --password Y`: sets a new password,
    /// as an administrator's reset does: every session of the user ends, every
    /// API token is revoked, a login block is lifted.
    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "password",
            abstract: "Đặt mật khẩu mới cho người dùng (đăng xuất mọi phiên và thu hồi mọi mã truy cập API của người đó).")

        @ArgumentParser.Option(help: "Tên đăng nhập của người dùng.") var username: String
        @ArgumentParser.Option(help: "Mật khẩu mới (8–200 ký tự).") var password: String

        func run() async throws {
            do {
                guard password.count >= 8, password.count <= 200 else {
                    throw UserFacingError("Mật khẩu mới phải dài từ 8 đến 200 ký tự (đang là \(password.count) ký tự).")
                }
                guard password != DemoLoader.demoPassword else {
                    throw UserFacingError("Không dùng mật khẩu mẫu “\(DemoLoader.demoPassword)”: hãy chọn mật khẩu khác.")
                }
                try await ApplicationRunner.with { app in
                    try await app.autoMigrate()
                    let login = username.lowercased()
                    guard let user = try await User.query(on: app.db).filter(\.$username == login).first() else {
                        throw UserFacingError("Không có người dùng “\(login)”.")
                    }
                    try await SignOut.setPassword(user, hash: try Bcrypt.hash(password), keeping: nil, by: "dòng lệnh", on: app.db)
                    print("Đã đặt mật khẩu mới cho \(login); mọi phiên đăng nhập và mã truy cập API của người này đã bị thu hồi.")
                }
            } catch let error as UserFacingError {
                FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
