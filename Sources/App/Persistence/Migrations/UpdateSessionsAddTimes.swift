import Fluent
import Foundation
import SQLKit

/// When a session began and when it was last used (whole seconds since 1970),
/// so that it ends after its idle time and its lifetime. Sessions from before
/// start their clocks at the upgrade. Indexed for the purge of ended sessions.
struct UpdateSessionsAddTimes: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(SQLSessions.table).field("created_at", .int64).update()
        try await database.schema(SQLSessions.table).field("seen_at", .int64).update()
        guard let sql = database as? any SQLDatabase else { return }
        let now = Int64(Date().timeIntervalSince1970)
        try await sql.raw("UPDATE _fluent_sessions SET created_at = \(bind: now), seen_at = \(bind: now)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS sessions_seen ON _fluent_sessions (seen_at)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS sessions_created ON _fluent_sessions (created_at)").run()
    }

    func revert(on database: Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.raw("DROP INDEX IF EXISTS sessions_seen").run()
            try await sql.raw("DROP INDEX IF EXISTS sessions_created").run()
        }
        try await database.schema(SQLSessions.table).deleteField("seen_at").update()
        try await database.schema(SQLSessions.table).deleteField("created_at").update()
    }
}
