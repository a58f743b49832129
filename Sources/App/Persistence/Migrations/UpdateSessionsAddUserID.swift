import Fluent

/// The signed-in user of a session as a column of its own, so that one query
/// reads a session and its user together.
struct UpdateSessionsAddUserID: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(SQLSessions.table).field("user_id", .uuid).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(SQLSessions.table).deleteField("user_id").update()
    }
}
