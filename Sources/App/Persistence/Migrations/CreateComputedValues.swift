import Fluent
import SQLKit

/// The marks of cells filled from dossier records (`ComputedValue`), one row
/// per report and code; they go with the report (deleted with it).
struct CreateComputedValues: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ComputedValue.schema)
            .id()
            .field("report_id", .uuid, .required, .references("reports", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("value", .string, .required)
            .field("dossiers", .int64, .required)
            .field("file_name", .string, .required)
            .field("computed_at", .datetime, .required)
            .field("username", .string, .required)
            .unique(on: "report_id", "code")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ComputedValue.schema).delete()
    }
}
