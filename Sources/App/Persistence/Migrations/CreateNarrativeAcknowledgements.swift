import Fluent

/// Findings of the narrative check an officer marked "đã kiểm tra", with their note.
/// One row per report and finding id (ids are stable across re-checks of the same sentence).
struct CreateNarrativeAcknowledgements: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(NarrativeAcknowledgement.schema)
            .id()
            .field("report_id", .uuid, .required, .references(Report.schema, "id", onDelete: .cascade))
            .field("finding_id", .string, .required)
            .field("note", .string, .required)
            .field("username", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "report_id", "finding_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(NarrativeAcknowledgement.schema).delete()
    }
}
