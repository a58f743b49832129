import Fluent
import Vapor

/// An administrative change: users, units, assignments, plans, publishing,
/// tokens. Who, when, what, on which subject, from what to what.
final class AdminAuditEntry: Model, @unchecked Sendable {
    static let schema = "admin_audit_entries"

    enum Area: String, CaseIterable, Sendable {
        case users, units, assignments, plans, publishing, tokens

        var label: String {
            switch self {
            case .users: "Người dùng"
            case .units: "Đơn vị"
            case .assignments: "Giao báo cáo"
            case .plans: "Kế hoạch, chỉ tiêu"
            case .publishing: "Công bố dữ liệu mở"
            case .tokens: "Khóa API"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date
    @Field(key: "area") var area: String
    /// What was done, in Vietnamese, as the audit page shows it ("Tạo người dùng").
    @Field(key: "action") var action: String
    /// The user name, unit code, plan id … the change was about.
    @Field(key: "subject") var subject: String
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?

    init() {}

    init(
        username: String, at: Date = Date(), area: Area, action: String, subject: String,
        from oldValue: String? = nil, to newValue: String? = nil
    ) {
        self.username = username
        self.at = at
        self.area = area.rawValue
        self.action = action
        self.subject = subject
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
