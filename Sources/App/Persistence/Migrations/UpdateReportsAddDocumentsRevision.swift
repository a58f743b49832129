import Fluent
import SQLKit

/// A counter of changes to a report's Phụ lục I (its documents), which do not
/// move the report's version: the data-entry page's cache is keyed on both.
struct UpdateReportsAddDocumentsRevision: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Report.schema)
            .field("documents_revision", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Report.schema).deleteField("documents_revision").update()
    }
}
