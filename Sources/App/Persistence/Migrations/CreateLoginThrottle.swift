import Fluent
import SQLKit

/// The login limiter's counters (`LoginThrottle`), one row per account and
/// per client address. Replaces `login_attempts`, one row per failure, which
/// was counted and then inserted: concurrent attempts all got through.
struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(LoginThrottle.table)
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int64, .required)
            .field("blocked_until", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS login_throttle_updated ON login_throttle (updated_at)").run()
        }
        try await database.schema("login_attempts").delete()
    }

    func revert(on database: Database) async throws {
        try await database.schema("login_attempts")
            .id()
            .field("username", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.schema(LoginThrottle.table).delete()
    }
}
