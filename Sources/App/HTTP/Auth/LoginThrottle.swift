import Fluent
import SQLKit
import Vapor

/// The login limiter: counters per account and per client address, in the
/// database (so several instances share them), changed by one atomic
/// statement each. An attempt is counted *before* its password is checked,
/// and a counter that reaches its limit blocks the next attempts in that same
/// statement: of 20 concurrent wrong passwords only the first `free` are
/// checked at all. A block starts at 30 seconds and doubles with each further
/// failure, up to 5 minutes, so nobody can lock a colleague out for longer
/// than that after their last try; a streak is forgotten after 15 minutes
/// without a failure. A sign-in clears its account's counter.
enum LoginThrottle {
    static let table = "login_throttle"
    /// Failures a streak may have before each further attempt waits.
    static let freePerAccount = 5
    /// Higher per address: an office may sit behind one address.
    static let freePerAddress = 20
    static let window: Int64 = 15 * 60
    static let longestBlock: Int64 = 5 * 60

    /// The block after the `failures`-th failure of a streak, in seconds (0: none).
    static func block(afterFailure failures: Int64, free: Int) -> Int64 {
        let beyond = failures - Int64(free)
        guard beyond >= 0 else { return 0 }
        return beyond >= 4 ? longestBlock : min(30 << beyond, longestBlock)
    }

    enum Claim: Equatable {
        case allowed
        case blocked(until: Int64)
    }

    static func accountKey(_ username: String) -> String { "u:" + String(username.prefix(100)) }

    static func addressKey(_ request: Request) -> String {
        var address = request.remoteAddress?.ipAddress ?? "-"
        if request.application.config.trustForwardedFor,
            let last = request.headers[.xForwardedFor].last?.split(separator: ",").last
        {
            address = last.trimmingCharacters(in: .whitespaces)
        }
        return "a:" + String(address.prefix(64))
    }

    /// Counts an attempt under `key`, unless the key is blocked.
    static func claim(_ key: String, free: Int, now: Int64, on sql: any SQLDatabase) async throws -> Claim {
        // Our own integers, inlined; only the key is bound.
        let stale = now - window
        let next = "(CASE WHEN login_throttle.updated_at < \(stale) THEN 1 ELSE login_throttle.failures + 1 END)"
        var ladder = "CASE"
        for beyond in stride(from: 4, through: 0, by: -1) {
            let failures = Int64(free + beyond)
            ladder += " WHEN \(next) \(beyond == 4 ? ">=" : "=") \(failures) THEN \(now + block(afterFailure: failures, free: free))"
        }
        ladder += " ELSE 0 END"
        let first = block(afterFailure: 1, free: free)
        let row = try await sql.raw(
            """
            INSERT INTO login_throttle (key, failures, blocked_until, updated_at) \
            VALUES (\(bind: key), 1, \(unsafeRaw: String(first == 0 ? 0 : now + first)), \(unsafeRaw: String(now))) \
            ON CONFLICT (key) DO UPDATE SET failures = \(unsafeRaw: next), blocked_until = \(unsafeRaw: ladder), \
            updated_at = \(unsafeRaw: String(now)) WHERE login_throttle.blocked_until <= \(unsafeRaw: String(now)) \
            RETURNING failures
            """
        ).first()
        if row != nil { return .allowed }
        let until = try await sql.raw("SELECT blocked_until FROM login_throttle WHERE key = \(bind: key)").first()?
            .decode(column: "blocked_until", as: Int64.self)
        return .blocked(until: until ?? now)
    }

    /// A sign-in: the account's streak ends; the address's attempt was no failure.
    static func succeeded(account: String, address: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: account)").run()
        try await refund(address, free: freePerAddress, on: sql)
    }

    /// Takes back an attempt counted under `key` whose password was not checked
    /// (refused by its other counter) or was right. Its block, if it made one, goes too.
    static func refund(_ key: String, free: Int, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE login_throttle SET failures = failures - 1, \
            blocked_until = CASE WHEN failures - 1 < \(unsafeRaw: String(free)) THEN 0 ELSE blocked_until END \
            WHERE key = \(bind: key) AND failures > 0
            """
        ).run()
    }

    /// Lifts an account's block (an administrator's password reset).
    static func clear(username: String, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: accountKey(username))").run()
    }

    /// Deletes up to `limit` counters nobody needs any more; answers how many went.
    @discardableResult
    static func purge(now: Int64, limit: Int, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw(
            """
            DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle \
            WHERE updated_at < \(bind: now - window) AND blocked_until <= \(bind: now) LIMIT \(bind: limit)) RETURNING key
            """
        ).all().count
    }

    /// "45 giây", "3 phút": how long until `until`.
    static func wait(until: Int64, now: Int64) -> String {
        let seconds = max(until - now, 1)
        return seconds < 90 ? "\(seconds) giây" : "\((seconds + 59) / 60) phút"
    }
}
