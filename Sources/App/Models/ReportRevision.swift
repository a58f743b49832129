import Fluent
import Vapor

/// A frozen copy of an accepted report, kept when a reviewer reopens it.
final class ReportRevision: Model, @unchecked Sendable {
    static let schema = "report_revisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: Report
    @Field(key: "revision") var revision: Int
    /// JSON of the values and narrative as accepted.
    @Field(key: "snapshot") var snapshot: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(reportID: UUID, revision: Int, snapshot: String, createdAt: Date) {
        self.$report.id = reportID
        self.revision = revision
        self.snapshot = snapshot
        self.createdAt = createdAt
    }
}
