import Fluent
import Vapor

/// "Báo cáo thống kê CQĐT Quý I/2024, all departments and communes, hạn 20/03/2024".
final class Assignment: Model, @unchecked Sendable {
    static let schema = "assignments"

    @ID(key: .id) var id: UUID?
    @Field(key: "form_id") var formID: String
    @Field(key: "period_key") var periodKey: String
    @Field(key: "deadline") var deadline: String
    /// The unit that receives and reviews the reports.
    @Field(key: "receiver_code") var receiverCode: String
    @Field(key: "title") var title: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(formID: String, periodKey: String, deadline: String, receiverCode: String, title: String) {
        self.formID = formID
        self.periodKey = periodKey
        self.deadline = deadline
        self.receiverCode = receiverCode
        self.title = title
    }
}
