import Fluent
import Vapor

/// Who changed what, when, from what to what: every value and state change.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "report_id") var reportID: UUID
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @OptionalField(key: "code") var code: String?
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?

    init() {}

    init(reportID: UUID, username: String, at: Date, action: String, code: String? = nil, oldValue: String? = nil, newValue: String? = nil) {
        self.reportID = reportID
        self.username = username
        self.at = at
        self.action = action
        self.code = code
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
