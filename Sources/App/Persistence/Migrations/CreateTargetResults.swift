import Fluent

struct CreateTargetResults: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(TargetResult.schema)
            .id()
            .field("plan_id", .string, .required)
            .field("target_code", .string, .required)
            .field("unit_code", .string, .required)
            .field("period_key", .string, .required)
            .field("value", .string, .required)
            .unique(on: "plan_id", "target_code", "unit_code", "period_key")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema(TargetResult.schema).delete() }
}
