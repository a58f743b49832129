import Fluent
import Vapor

/// Who changed what in a report, when, from what to what: every value, note,
/// narrative part, review comment, document and state change.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    /// What changed; the raw values are stored.
    enum Action: String, CaseIterable, Sendable {
        case value, note, narrative, status, document
        case reviewComment = "review_comment"
        /// A finding of the narrative check marked "đã kiểm tra".
        case narrativeCheck = "narrative_check"

        /// The history and audit pages' word for it.
        var label: String {
            switch self {
            case .value: "Sửa số liệu"
            case .note: "Sửa ghi chú"
            case .narrative: "Sửa phần thuyết minh"
            case .status: "Đổi trạng thái"
            case .document: "Sửa Phụ lục I (văn bản)"
            case .reviewComment: "Ý kiến thẩm định"
            case .narrativeCheck: "Đánh dấu đã kiểm tra số liệu thuyết minh"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "report_id") var reportID: UUID
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @OptionalField(key: "code") var code: String?
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?
    /// The report version the change created; nil for entries written before it was kept.
    @OptionalField(key: "version") var version: Int?

    init() {}

    init(
        reportID: UUID, username: String, at: Date, action: String, code: String? = nil, oldValue: String? = nil,
        newValue: String? = nil, version: Int? = nil
    ) {
        self.reportID = reportID
        self.username = username
        self.at = at
        self.action = action
        self.code = code
        self.oldValue = oldValue
        self.newValue = newValue
        self.version = version
    }
}
