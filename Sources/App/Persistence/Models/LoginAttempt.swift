import Fluent
import Vapor

/// A failed login, kept in the database so that the limit holds across
/// several application instances.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "at") var at: Date

    init() {}

    init(username: String, at: Date) {
        self.username = username
        self.at = at
    }
}
