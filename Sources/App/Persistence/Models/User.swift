import Fluent
import Vapor

/// What a user may do, always for the unit they belong to (and, for a
/// reviewer, the units below it).
enum Role: String, Codable, CaseIterable, Sendable {
    case reporter, leader, reviewer, admin

    var label: String {
        switch self {
        case .reporter: return "Cán bộ nhập liệu"
        case .leader: return "Lãnh đạo đơn vị"
        case .reviewer: return "Cán bộ tiếp nhận, tổng hợp"
        case .admin: return "Quản trị hệ thống"
        }
    }
}

final class User: Model, @unchecked Sendable, Authenticatable, SessionAuthenticatable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: Role
    @Field(key: "unit_code") var unitCode: String
    /// Where notifications go (`WorkflowMail`); none: in-app only.
    @OptionalField(key: "email") var email: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(username: String, displayName: String, passwordHash: String, role: Role, unitCode: String) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.unitCode = unitCode
    }

    var sessionID: UUID { id! }
}
