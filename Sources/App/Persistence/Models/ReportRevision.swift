import Fluent
import Vapor

/// A frozen copy of an accepted report, kept when a reviewer reopens it.
final class ReportRevision: Model, @unchecked Sendable {
    static let schema = "report_revisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: Report
    @Field(key: "revision") var revision: Int
    /// JSON of the report as accepted (`Snapshot`).
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

extension ReportRevision {
    /// What a reopened report looked like when it was accepted: its cells as
    /// typed, its narrative and its Phụ lục I. Revisions kept before Phụ lục I
    /// was included have no `documents`.
    struct Snapshot: Codable {
        struct Document: Codable {
            let kind: String
            let number: String
            let issuedOn: String?
            let issuer: String
            let summary: String
        }

        let values: [String: String]
        let narrative: ReportService.Narrative
        let documents: [Document]?
    }

    var decodedSnapshot: Snapshot? { try? JSONDecoder().decode(Snapshot.self, from: Data(snapshot.utf8)) }
}
