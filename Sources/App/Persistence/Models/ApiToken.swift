import Fluent
import Vapor

/// A per-user API token; only its SHA-256 is stored.
final class ApiToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "label") var label: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// After this instant the token is refused; a new one must be made.
    @OptionalField(key: "expires_at") var expiresAt: Date?

    init() {}

    init(userID: UUID, tokenHash: String, label: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.label = label
        self.expiresAt = expiresAt
    }

    func hasExpired(at now: Date = Date()) -> Bool { expiresAt.map { $0 <= now } ?? false }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }
}
