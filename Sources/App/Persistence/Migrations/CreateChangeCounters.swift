import Fluent
import SQLKit

/// Counters that move in the same transaction as the rows they stand for, so
/// that every instance on one database can tell what it keeps in memory is
/// old (`ChangeCounters`).
struct CreateChangeCounters: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ChangeCounters.table)
            .field(ChangeCounters.nameColumn, .string, .identifier(auto: false))
            .field(ChangeCounters.valueColumn, .int64, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ChangeCounters.table).delete()
    }
}
