import Fluent
import Foundation

/// API tokens expire. Tokens issued before this column existed get a year from
/// the day they were issued, so none is valid for ever.
struct UpdateApiTokensAddExpiresAt: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ApiToken.schema).field("expires_at", .datetime).update()
        for token in try await ApiToken.query(on: database).all() {
            token.expiresAt = (token.createdAt ?? Date()).addingTimeInterval(365 * 86_400)
            try await token.save(on: database)
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(ApiToken.schema).deleteField("expires_at").update()
    }
}
