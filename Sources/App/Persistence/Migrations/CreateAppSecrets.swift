import Fluent
import Foundation
import SQLKit

/// Secrets every instance of the application shares, made once, at random:
/// the key of visitors' CSRF tokens (`CSRF`).
struct CreateAppSecrets: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("app_secrets")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        let key = Data([UInt8].random(count: 32)).base64EncodedString()
        try await sql.raw("INSERT INTO app_secrets (name, value) VALUES (\(bind: CSRFKey.name), \(bind: key))").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema("app_secrets").delete()
    }
}
