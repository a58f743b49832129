import Fluent
import ReportingCore
import Vapor

/// Users: create, and reset a password.
extension AdminController {
    struct UsersPage: Encodable {
        struct Row: Encodable {
            let id: String
            let username: String
            let name: String
            let role: String
            let unit: String
            let email: String
        }
        struct Input: Encodable {
            var username = ""
            var name = ""
            var role = Role.reporter.rawValue
            var unitCode = ""
            var email = ""
        }
        let layout: LayoutContext
        let users: [Row]
        let roles: [SelectOption]
        let units: [SelectOption]
        let input: Input
        let errors: [String]
        let message: String?
    }

    struct NewUserForm: Content {
        var username: String?
        var name: String?
        var role: String?
        var unitCode: String?
        var password: String?
        var email: String?
    }

    struct EmailForm: Content {
        var email: String?
    }

    struct PasswordForm: Content {
        var password: String?
    }

    func usersPage(req: Request) async throws -> Response {
        var message: String?
        if let username = req.query[String.self, at: "created"],
            try await User.query(on: req.db).filter(\.$username == username).first() != nil
        {
            message = "Đã tạo người dùng \(username)."
        } else if let username = req.query[String.self, at: "reset"],
            try await User.query(on: req.db).filter(\.$username == username).first() != nil
        {
            message = "Đã đặt lại mật khẩu cho \(username)."
        } else if let username = req.query[String.self, at: "email"],
            try await User.query(on: req.db).filter(\.$username == username).first() != nil
        {
            message = "Đã lưu địa chỉ thư của \(username)."
        }
        return try await renderUsers(req, input: .init(), errors: [], message: message)
    }

    func renderUsers(_ req: Request, input: UsersPage.Input, errors: [String], message: String?) async throws -> Response {
        let tree = try await req.unitTree()
        let order = Dictionary(Self.treeOrder(tree).enumerated().map { ($1.unit.code, $0) }, uniquingKeysWith: { first, _ in first })
        let users = try await User.query(on: req.db).all()
            .sorted { (order[$0.unitCode] ?? Int.max, $0.username) < (order[$1.unitCode] ?? Int.max, $1.username) }
        let page = UsersPage(
            layout: try await .make(req, title: "Người dùng"),
            users: users.map {
                .init(
                    id: $0.id!.uuidString, username: $0.username, name: $0.displayName, role: $0.role.label,
                    unit: tree[$0.unitCode]?.name ?? $0.unitCode, email: $0.email ?? "")
            },
            roles: Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.role) },
            units: Self.unitOptions(tree, selected: input.unitCode), input: input, errors: errors, message: message)
        return try await render(req, "admin-users", page, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func createUser(req: Request) async throws -> Response {
        let posted: NewUserForm
        do { posted = try req.content.decode(NewUserForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của biểu mẫu người dùng.")
        }
        var input = UsersPage.Input()
        input.username = (posted.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        input.name = (posted.name ?? "").trimmingCharacters(in: .whitespaces)
        input.role = posted.role ?? ""
        input.unitCode = posted.unitCode ?? ""
        input.email = (posted.email ?? "").trimmingCharacters(in: .whitespaces)
        let password = posted.password ?? ""
        var errors: [String] = []
        if input.username.range(of: #"^[a-z0-9][a-z0-9._-]{2,39}$"#, options: .regularExpression) == nil {
            errors.append("Tên đăng nhập phải dài 3–40 ký tự, chỉ gồm chữ thường không dấu, chữ số và các dấu . _ - (ví dụ xa.nhaplieu).")
        } else if try await User.query(on: req.db).filter(\.$username == input.username).first() != nil {
            errors.append("Tên đăng nhập “\(input.username)” đã có người dùng.")
        }
        if input.name.isEmpty { errors.append("Chưa nhập họ tên.") }
        if input.name.count > 200 { errors.append("Họ tên quá dài (tối đa 200 ký tự).") }
        let role = Role(rawValue: input.role)
        if role == nil { errors.append("Vai trò “\(input.role)” không hợp lệ.") }
        if try await req.unitTree()[input.unitCode] == nil {
            errors.append(input.unitCode.isEmpty ? "Chưa chọn đơn vị." : "Không có đơn vị mã “\(input.unitCode)”.")
        }
        if password.count < 8 { errors.append("Mật khẩu phải có ít nhất 8 ký tự.") }
        var email: String?
        do { email = try EmailAddress.normalized(input.email, field: "Địa chỉ thư") } catch { errors.append("\(error)") }
        if password.count > 200 { errors.append("Mật khẩu quá dài (tối đa 200 ký tự).") }
        guard errors.isEmpty, let role else {
            return try await renderUsers(req, input: input, errors: errors, message: nil)
        }
        let hash = try await req.password.async.hash(password)
        let admin = try req.requireUser().username
        let created = User(username: input.username, displayName: input.name, passwordHash: hash, role: role, unitCode: input.unitCode)
        created.email = email
        let summary = "\(input.name), \(role.rawValue), đơn vị \(input.unitCode)"
        try await req.db.transaction { db in
            try await created.save(on: db)
            try await AdminAuditLog.record(.users, "Tạo người dùng", subject: created.username, by: admin, to: summary, on: db)
        }
        return req.redirect(to: "/admin/users?created=\(input.username)")
    }

    func resetPassword(req: Request) async throws -> Response {
        guard let id = req.parameters.get("userID").flatMap(UUID.init(uuidString:)), let user = try await User.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "Không tìm thấy người dùng.")
        }
        let password = (try? req.content.decode(PasswordForm.self))?.password ?? ""
        guard password.count >= 8, password.count <= 200 else {
            return try await renderUsers(
                req, input: .init(),
                errors: [
                    password.count < 8
                        ? "Mật khẩu mới cho \(user.username) phải có ít nhất 8 ký tự. Mật khẩu chưa được đổi."
                        : "Mật khẩu mới cho \(user.username) quá dài (tối đa 200 ký tự). Mật khẩu chưa được đổi."
                ], message: nil)
        }
        let username = user.username
        // A reset also lifts a lock-out from failed logins, signs the user out everywhere and revokes their API tokens.
        try await SignOut.setPassword(
            user, hash: try await req.password.async.hash(password), keeping: nil,
            by: try req.requireUser().username, on: req.db)
        return req.redirect(to: "/admin/users?reset=\(username)")
    }

    /// Sets or clears (empty) a user's email address, where notifications go.
    func setEmail(req: Request) async throws -> Response {
        guard let id = req.parameters.get("userID").flatMap(UUID.init(uuidString:)), let user = try await User.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "Không tìm thấy người dùng.")
        }
        let email: String?
        do {
            email = try EmailAddress.normalized((try? req.content.decode(EmailForm.self))?.email, field: "Địa chỉ thư của \(user.username)")
        } catch { return try await renderUsers(req, input: .init(), errors: ["\(error) Địa chỉ chưa được lưu."], message: nil) }
        let admin = try req.requireUser().username
        user.email = email
        try await req.db.transaction { db in
            try await user.save(on: db)
            try await AdminAuditLog.record(.users, "Đổi địa chỉ thư", subject: user.username, by: admin, to: email ?? "(không có)", on: db)
        }
        return req.redirect(to: "/admin/users?email=\(user.username)")
    }
}
