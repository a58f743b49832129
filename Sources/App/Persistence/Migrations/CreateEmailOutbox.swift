import Fluent
import SQLKit

/// Emails waiting to leave (`EmailOutbox`). Times are whole seconds since 1970, as the session columns.
struct CreateEmailOutbox: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(EmailOutbox.table)
            .id()
            .field("kind", .string, .required)
            .field("report_id", .uuid)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .int64, .required)
            .field("attempts", .int64, .required)
            .field("next_attempt_at", .int64)
            .field("sent_at", .int64)
            .field("last_error", .string)
            .field("claimed_at", .int64)
            .field("claim_token", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS email_outbox_due ON email_outbox (sent_at, next_attempt_at)").run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(EmailOutbox.table).delete()
    }
}
