import Fluent
import Foundation

/// A narrative finding marked "đã kiểm tra" on a report, with the officer's note.
final class NarrativeAcknowledgement: Model, @unchecked Sendable {
    static let schema = "narrative_acknowledgements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: Report
    @Field(key: "finding_id") var findingID: String
    /// May be empty: the mark alone says the figures were checked.
    @Field(key: "note") var note: String
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date

    init() {}

    init(reportID: UUID, findingID: String, note: String, username: String, at: Date) {
        self.$report.id = reportID
        self.findingID = findingID
        self.note = note
        self.username = username
        self.at = at
    }
}
