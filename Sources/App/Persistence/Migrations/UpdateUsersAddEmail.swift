import Fluent

/// A user may have an email address, where notifications go (`Notifications/`).
struct UpdateUsersAddEmail: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(User.schema).field("email", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(User.schema).deleteField("email").update()
    }
}
