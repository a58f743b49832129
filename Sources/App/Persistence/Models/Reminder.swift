import Fluent
import Vapor

/// An in-app reminder to a unit that has not sent its report.
final class Reminder: Model, @unchecked Sendable {
    static let schema = "reminders"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "report_id") var reportID: UUID
    @Field(key: "message") var message: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "sender") var sender: String

    init() {}

    init(unitCode: String, reportID: UUID, message: String, createdAt: Date, sender: String) {
        self.unitCode = unitCode
        self.reportID = reportID
        self.message = message
        self.createdAt = createdAt
        self.sender = sender
    }
}
