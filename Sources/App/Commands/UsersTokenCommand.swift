import ArgumentParser
import Fluent
import ReportingCore
import Vapor

extension UsersCommand {
    /// `baocao users token --username X --label Y`: issues an API token.
    /// The token goes alone to standard output, so `TOKEN=$(baocao users token …)` works;
    /// the explanation goes to standard error.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Tạo mã truy cập API cho người dùng (mã chỉ in ra một lần).")

        @ArgumentParser.Option(help: "Tên đăng nhập của người dùng.") var username: String
        @ArgumentParser.Option(help: "Tên mã, để nhớ mã dùng ở đâu (ví dụ: \"Phần mềm một cửa\").") var label: String
        @ArgumentParser.Option(help: "Số ngày mã còn hiệu lực (1–365).") var days: Int = ApiTokens.validityChoices[0]

        func run() async throws {
            do {
                let token = try await ApplicationRunner.with { app -> String in
                    try await app.autoMigrate()
                    let login = username.lowercased()
                    guard let user = try await User.query(on: app.db).filter(\.$username == login).first() else {
                        throw UserFacingError("Không có người dùng “\(login)”.")
                    }
                    do {
                        let issued = try await ApiTokens.issue(for: user, label: label, days: days, issuer: "dòng lệnh", on: app.db)
                        let expiry = issued.record.expiresAt.map(VietnameseTime.format) ?? ""
                        FileHandle.standardError.write(
                            Data(
                                "Đã tạo mã truy cập API “\(issued.record.label)” cho \(login) (\(user.role.label)), hết hạn \(expiry). Mã chỉ hiển thị một lần, hãy lưu lại:\n"
                                    .utf8))
                        return issued.token
                    } catch let abort as any AbortError {
                        throw UserFacingError(abort.reason)
                    }
                }
                print(token)
            } catch let error as UserFacingError {
                FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
