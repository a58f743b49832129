import Foundation
import SQLKit

/// The outbox: a notification is a row written in the transaction of the
/// change it tells about, so both commit or neither does; `OutboxDrain`
/// sends the rows later and retries until the server takes them.
enum EmailOutbox {
    static let table = "email_outbox"
    /// A claim older than this is a sender that died: another may take the row.
    static let claimLifetime: Int64 = 5 * 60
    /// After this many failures a row is kept, with its last error, but no longer tried.
    static let maxAttempts = 10

    struct Row: Sendable, Equatable {
        let id: UUID
        let recipient: String
        let subject: String
        let body: String
        let attempts: Int
    }

    static func enqueue(
        _ kind: String, reportID: UUID?, recipient: String, subject: String, body: String,
        now: Int64, on sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: table)
            .columns("id", "kind", "report_id", "recipient", "subject", "body", "created_at", "attempts", "next_attempt_at")
            .values(
                SQLBind(UUID()), SQLBind(kind), reportID.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null,
                SQLBind(recipient), SQLBind(subject), SQLBind(body), SQLBind(now), SQLBind(0), SQLBind(now)
            )
            .run()
    }

    /// Rows due now that this sender could claim, oldest first.
    static func due(now: Int64, limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.raw(
            """
            SELECT id FROM email_outbox
            WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at <= \(bind: now)
              AND (claimed_at IS NULL OR claimed_at < \(bind: now - claimLifetime))
            ORDER BY next_attempt_at, created_at LIMIT \(unsafeRaw: String(max(1, min(limit, 500))))
            """
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Takes one row for this sender: the UPDATE succeeds for one sender only,
    /// whichever instance of the app it runs in.
    static func claim(_ id: UUID, token: String, now: Int64, on sql: any SQLDatabase) async throws -> Row? {
        let rows = try await sql.raw(
            """
            UPDATE email_outbox SET claimed_at = \(bind: now), claim_token = \(bind: token)
            WHERE id = \(bind: id) AND sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < \(bind: now - claimLifetime))
            RETURNING id, recipient, subject, body, attempts
            """
        ).all()
        guard let row = rows.first else { return nil }
        return Row(
            id: try row.decode(column: "id", as: UUID.self), recipient: try row.decode(column: "recipient", as: String.self),
            subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self),
            attempts: try row.decode(column: "attempts", as: Int.self))
    }

    static func markSent(_ id: UUID, token: String, now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE email_outbox SET sent_at = \(bind: now), attempts = attempts + 1, claimed_at = NULL, claim_token = NULL, last_error = NULL
            WHERE id = \(bind: id) AND claim_token = \(bind: token)
            """
        ).run()
    }

    /// Counts the failure and sets the next try: 1, 2, 4 … minutes, at most 6 hours; none after `maxAttempts`.
    static func markFailed(_ row: Row, error: String, token: String, now: Int64, on sql: any SQLDatabase) async throws {
        let attempts = row.attempts + 1
        let next: any SQLExpression = attempts >= maxAttempts ? SQLLiteral.null : SQLBind(now + backoff(afterAttempts: attempts))
        try await sql.raw(
            """
            UPDATE email_outbox SET attempts = \(bind: attempts), next_attempt_at = \(next), last_error = \(bind: String(error.prefix(1_000))),
              claimed_at = NULL, claim_token = NULL
            WHERE id = \(bind: row.id) AND claim_token = \(bind: token)
            """
        ).run()
    }

    static func backoff(afterAttempts attempts: Int) -> Int64 {
        let exponent = max(0, min(attempts - 1, 20))
        return min(60 << Int64(exponent), 6 * 3600)
    }
}
