import Fluent
import SQLKit

/// Report audit entries keep the version they created (a stale Excel template
/// is merged against them), and administrative changes get a log of their own.
struct CreateAdminAuditAndAuditVersion: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditEntry.schema).field("version", .int).update()
        try await database.schema(AdminAuditEntry.schema)
            .id()
            .field("username", .string, .required)
            .field("at", .datetime, .required)
            .field("area", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("old_value", .string)
            .field("new_value", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS admin_audit_entries_at ON admin_audit_entries (at)").run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(AdminAuditEntry.schema).delete()
        try await database.schema(AuditEntry.schema).deleteField("version").update()
    }
}
