import ArgumentParser
import Fluent
import ReportingCore
import Vapor

/// `baocao users create`.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Quản lý người dùng.", subcommands: [Create.self, Password.self, Token.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Tạo người dùng.")

        @ArgumentParser.Option(help: "Tên đăng nhập.") var username: String
        @ArgumentParser.Option(help: "Họ tên hiển thị.") var name: String
        @ArgumentParser.Option(help: "Vai trò: reporter, leader, reviewer, admin.") var role: String
        @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
        @ArgumentParser.Option(help: "Mật khẩu (ít nhất 8 ký tự).") var password: String
        @ArgumentParser.Option(help: "Thư điện tử nhận thông báo (không bắt buộc).") var email: String?

        func run() async throws {
            do {
                guard let role = Role(rawValue: role) else {
                    throw UserFacingError("Vai trò “\(role)” không hợp lệ: reporter, leader, reviewer hoặc admin.")
                }
                guard password.count >= 8 else { throw UserFacingError("Mật khẩu phải có ít nhất 8 ký tự.") }
                let address: String?
                do { address = try EmailAddress.normalized(email, field: "--email") } catch { throw UserFacingError("\(error)") }
                try await ApplicationRunner.with { app in
                    try await app.autoMigrate()
                    guard try await UnitRecord.query(on: app.db).filter(\.$code == unit).first() != nil else {
                        throw UserFacingError("Không có đơn vị mã “\(unit)”.")
                    }
                    let login = username.lowercased()
                    guard try await User.query(on: app.db).filter(\.$username == login).first() == nil else {
                        throw UserFacingError("Tên đăng nhập “\(login)” đã có.")
                    }
                    let hash = try Bcrypt.hash(password)
                    try await app.db.transaction { db in
                        let user = User(username: login, displayName: name, passwordHash: hash, role: role, unitCode: unit)
                        user.email = address
                        try await user.save(on: db)
                        try await AdminAuditLog.record(
                            .users, "Tạo người dùng", subject: login, by: "dòng lệnh",
                            to: "\(name), \(role.rawValue), đơn vị \(unit)", on: db)
                    }
                    print("Đã tạo người dùng \(login) (\(role.label)).")
                }
            } catch let error as UserFacingError {
                FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}

/// `baocao units import FILE`.
struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "units", abstract: "Quản lý đơn vị.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Nhập cây đơn vị từ CSV (code,name,kind,parent_code) hoặc JSON của gói vietnam-provinces.")

        @ArgumentParser.Argument(help: "Tệp CSV hoặc JSON.") var file: String
        @ArgumentParser.Option(help: "Với JSON: mã đơn vị gốc (cả nước) để gắn các tỉnh vào; để trống thì các tỉnh là gốc.") var root:
            String?

        func run() async throws {
            do {
                guard let data = FileManager.default.contents(atPath: file) else { throw UserFacingError("Không mở được tệp “\(file)”.") }
                let parsed: [ReportingUnit]
                if file.lowercased().hasSuffix(".json") {
                    parsed = try UnitImporter.parseProvincesJSON(
                        data, root: root.map { ReportingUnit(code: $0, name: "Việt Nam", kind: .other) })
                } else {
                    parsed = try UnitImporter.parseCSV(String(decoding: data, as: UTF8.self))
                }
                try await ApplicationRunner.with { app in
                    try await app.autoMigrate()
                    let count = try await UnitImporter.save(parsed, by: "dòng lệnh", on: app.db)
                    print("Đã nhập \(count) đơn vị mới (\(parsed.count - count) đơn vị đã có, bỏ qua).")
                }
            } catch let error as UnitImporter.ImportError {
                FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
                throw ExitCode(2)
            } catch let error as UserFacingError {
                FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
