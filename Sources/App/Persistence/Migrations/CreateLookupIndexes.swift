import Fluent
import SQLKit

/// Indexes for the lookups every page view or save makes: a unit's report of
/// a period (the previous period's, for warnings), a report's documents and
/// audit trail, and a user's sessions (ended when the password changes).
struct CreateLookupIndexes: AsyncMigration {
    static let indexes = [
        ("reports_unit_form_period", "reports (unit_code, form_id, period_key)"),
        ("document_entries_report", "document_entries (report_id)"),
        ("audit_entries_report", "audit_entries (report_id)"),
        ("sessions_user", "_fluent_sessions (user_id)")
    ]

    func prepare(on database: Database) async throws {
        let sql = try database.requireSQL()
        for (name, target) in Self.indexes {
            try await sql.raw("CREATE INDEX IF NOT EXISTS \(unsafeRaw: name) ON \(unsafeRaw: target)").run()
        }
    }

    func revert(on database: Database) async throws {
        let sql = try database.requireSQL()
        for (name, _) in Self.indexes {
            try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: name)").run()
        }
    }
}
