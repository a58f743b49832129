import Fluent

struct CreatePublishedDatasets: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(PublishedDataset.schema)
            .id()
            .field("slug", .string, .required)
            .field("form_id", .string, .required)
            .field("period_key", .string, .required)
            .field("unit_code", .string, .required)
            .field("published_at", .datetime, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema(PublishedDataset.schema).delete() }
}
