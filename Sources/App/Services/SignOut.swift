import Fluent
import Vapor

/// Ending a user's access: their sessions (but the one given) and, after a
/// password change or reset, their API tokens too, since whoever knew the old
/// password may have made one. In the caller's transaction.
enum SignOut {
    static func everywhere(_ userID: UUID, except kept: SessionID?, revokeTokens: Bool, on database: any Database) async throws {
        try await SQLSessions.endSessions(of: userID, except: kept, on: database)
        if revokeTokens {
            try await ApiToken.query(on: database).filter(\.$user.$id == userID).delete()
        }
    }

    /// A new password, from the user, an administrator or the command line:
    /// stored, every other session ended, every token revoked, a login block lifted.
    /// `actor`: who set it, for the audit trail (the user, an administrator, or the command line); nil leaves no entry (tests).
    static func setPassword(
        _ user: User, hash: String, keeping kept: SessionID?, by actor: String? = nil,
        on database: any Database
    ) async throws {
        let userID = try user.requireID(), username = user.username
        user.passwordHash = hash
        try await database.transaction { db in
            try await user.save(on: db)
            if let actor {
                try await AdminAuditLog.record(
                    .users, actor == username ? "Đổi mật khẩu" : "Đặt lại mật khẩu", subject: username, by: actor,
                    to: "các phiên khác đã kết thúc, khóa API đã thu hồi", on: db)
            }
            try await everywhere(userID, except: kept, revokeTokens: true, on: db)
            try await LoginThrottle.clear(username: username, on: db)
        }
    }
}
