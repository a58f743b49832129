import Fluent

struct CreateUnits: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(UnitRecord.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_code", .string)
            .field("retired_on", .string)
            .field("successor_codes", .string, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema(UnitRecord.schema).delete() }
}
