import Fluent
import SQLKit
import Vapor

/// Signs in the user a session names. `SQLSessions` usually read the user
/// with the session already; otherwise (a session written before the
/// `user_id` column existed) one plain SQL read finds it.
///
/// Written with futures: as an async middleware it cost every request a task.
struct SessionUserAuthenticator: SessionAuthenticator {
    typealias User = App.User

    func authenticate(sessionID: UUID, for request: Request) -> EventLoopFuture<Void> {
        if let loaded = request.storage[SQLSessions.LoadedUserKey.self], loaded.id == sessionID {
            request.auth.login(loaded)
            return request.eventLoop.makeSucceededVoidFuture()
        }
        return (request.db as! any SQLDatabase).raw(
            """
            SELECT id, username, display_name, password_hash, role, unit_code, created_at FROM users WHERE id = \(bind: sessionID)
            """
        ).first().flatMapThrowing { row in
            if let row { request.auth.login(try User(row: row)) }
        }
    }
}

extension User {
    /// A user read with plain SQL, marked as stored so that a later save updates it.
    convenience init(row: any SQLRow) throws {
        self.init(
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            role: try row.decode(column: "role", as: Role.self),
            unitCode: try row.decode(column: "unit_code", as: String.self))
        id = try row.decode(column: "id", as: UUID.self)
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        $id.exists = true // not _$idExists: that finds the ID by reflection
    }
}
