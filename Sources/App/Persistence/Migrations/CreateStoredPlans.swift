import Fluent

struct CreateStoredPlans: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(StoredPlan.schema)
            .id()
            .field("plan_id", .string, .required)
            .field("yaml", .string, .required)
            .unique(on: "plan_id")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema(StoredPlan.schema).delete() }
}
