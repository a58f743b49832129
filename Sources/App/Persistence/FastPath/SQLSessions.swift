import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Sessions in the database, in Fluent's own `_fluent_sessions` table (so
/// several instances share them), read and written with plain SQL. Every
/// signed-in request reads its session, so that read also brings the user
/// (through the `user_id` column) in the same query; Fluent's driver and
/// authenticator took two reflected model queries for it.
///
/// Written with futures rather than `async`: every signed-in request reads its
/// session, and an async driver costs a task and two thread hops for it.
struct SQLSessions: SessionDriver {
    static let table = "_fluent_sessions"

    /// How long a session lives. `created_at` and `seen_at` are whole seconds since 1970.
    struct Policy: Sendable {
        /// Without a request for this long, the session has ended.
        var idle: TimeInterval
        /// This long after sign-in the session has ended, however busy.
        var lifetime: TimeInterval
        let clock: AppClock

        /// `seen_at` is written again only once it is this old, so that a page
        /// view stays a read: the idle limit holds to within this much.
        var touchInterval: Int64 { Int64(min(idle / 16, 15 * 60)) }
    }

    let policy: Policy

    /// The user read together with the session, for `SessionUserAuthenticator`.
    struct LoadedUserKey: StorageKey { typealias Value = User }
    /// The signed-in user the session had when read (nil: nobody).
    struct ReadUserKey: StorageKey { typealias Value = UUID }
    /// The session must be written even if its data has not changed:
    /// its `seen_at` is old, or it must get a new id.
    struct WriteDueKey: StorageKey { typealias Value = Bool }
    /// Asked for by `renew`: the next write gives the session a new id.
    struct RenewKey: StorageKey { typealias Value = Bool }

    /// Gives this request's session a new id when it is written (after a
    /// password change); a sign-in gets one anyway.
    static func renew(_ request: Request) {
        request.storage[RenewKey.self] = true
        request.storage[WriteDueKey.self] = true
    }

    /// The condition a live session `s` meets at `now` (seconds).
    static func live(_ policy: Policy, now: Int64) -> SQLQueryString {
        let idleCutoff = now - Int64(policy.idle), lifetimeCutoff = now - Int64(policy.lifetime)
        return "s.seen_at >= \(bind: idleCutoff) AND s.created_at >= \(bind: lifetimeCutoff)"
    }

    func sql(_ request: Request) -> any SQLDatabase { request.db as! any SQLDatabase }

    /// The session's data as JSON text, on SQLite (text already) and PostgreSQL (jsonb) alike.
    static let dataColumn = "CAST(s.data AS TEXT) AS data"

    /// Decoded session data by its JSON text. A session's data seldom changes,
    /// and decoding it with `JSONDecoder` on every request was about 5% of a
    /// page view; the text is the key, so a change is simply another entry.
    private static let decoded = NIOLockedValueBox([String: SessionData]())

    static func sessionData(json: String) throws -> SessionData {
        if let known = decoded.withLockedValue({ $0[json] }) { return known }
        let data = try JSONDecoder().decode(SessionData.self, from: Data(json.utf8))
        decoded.withLockedValue { cache in
            // About 200 bytes an entry: dropped whole rather than kept in order.
            if cache.count >= 20_000 { cache.removeAll(keepingCapacity: true) }
            cache[json] = data
        }
        return data
    }

    /// The user a session's data names (what `req.session.authenticate` stores).
    static func userID(in data: SessionData) -> UUID? {
        // Vapor keeps it under "_" + the type name + "Session".
        data["_UserSession"].flatMap(UUID.init(uuidString:))
    }

    static func bind(_ id: UUID?) -> any SQLExpression {
        id.map { SQLBind($0) } ?? SQLLiteral.null
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        let now = policy.clock.seconds(), userID = Self.userID(in: data)
        let inserted = sql(request).insert(into: Self.table)
            .columns("id", "key", "data", "user_id", "created_at", "seen_at")
            .values(SQLBind(UUID()), SQLBind(id.string), SQLBind(data), Self.bind(userID), SQLBind(now), SQLBind(now))
            .run()
        // A sign-in clears out a batch of ended sessions: bounded work, where it is rare.
        guard userID != nil else { return inserted.map { id } }
        return inserted.flatMap { Self.purge(on: sql(request), policy, now: now, limit: 200).map { _ in id } }
    }

    /// Deletes up to `limit` ended sessions; answers how many went.
    static func purge(on sql: any SQLDatabase, _ policy: Policy, now: Int64, limit: Int) -> EventLoopFuture<Int> {
        let idleCutoff = now - Int64(policy.idle), lifetimeCutoff = now - Int64(policy.lifetime)
        // DELETE … LIMIT is not portable; a subquery is (SQLite and PostgreSQL).
        return sql.raw(
            """
            DELETE FROM _fluent_sessions WHERE id IN (SELECT id FROM _fluent_sessions \
            WHERE seen_at < \(bind: idleCutoff) OR created_at < \(bind: lifetimeCutoff) OR seen_at IS NULL LIMIT \(bind: limit)) \
            RETURNING id
            """
        ).all().map(\.count)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        // A repeat view of a data-entry page also needs the report's stamp: same query.
        let prefetch = ReportPrefetch.wanted(request)
        let now = policy.clock.seconds()
        // An ended session (idle or too old) is not found: the visitor signs in again.
        let live = Self.live(policy, now: now)
        let query: SQLQueryString =
            prefetch.map { ReportPrefetch.sessionQuery(key: sessionID.string, live: live, $0) } ?? """
                SELECT \(unsafeRaw: Self.dataColumn), s.seen_at AS session_seen_at, \(unsafeRaw: ChangeCounters.unitsColumn), u.* \
                FROM _fluent_sessions s LEFT JOIN users u ON u.id = s.user_id \
                WHERE s.key = \(bind: sessionID.string) AND \(live)
                """
        return sql(request).raw(query).first().flatMapThrowing { row in
            guard let row else { return nil }
            if let prefetch { try ReportPrefetch.keep(row, prefetch, in: request) }
            request.storage[Request.UnitsVersionKey.self] = try ChangeCounters.unitsVersion(in: row)
            if try row.decodeNil(column: "id") == false {
                request.storage[LoadedUserKey.self] = try User(row: row)
            }
            let seen = try row.decode(column: "session_seen_at", as: Int64?.self) ?? 0
            if now - seen >= policy.touchInterval { request.storage[WriteDueKey.self] = true }
            let data = try Self.sessionData(json: try row.decode(column: "data", as: String.self))
            request.storage[ReadUserKey.self] = Self.userID(in: data)
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let userID = Self.userID(in: data)
        // Whoever signs in (or becomes someone else) gets a new session id, so an
        // id planted or seen before sign-in opens nothing afterwards.
        if request.storage[RenewKey.self] == true || (userID != nil && userID != request.storage[ReadUserKey.self]) {
            return deleteSession(sessionID, for: request).flatMap { createSession(data, for: request) }
        }
        return sql(request).update(Self.table)
            .set("data", to: SQLBind(data))
            .set("user_id", to: Self.bind(userID))
            .set("seen_at", to: SQLBind(policy.clock.seconds()))
            .where("key", .equal, sessionID.string)
            .run()
            .map { sessionID }
    }

    /// Signs a user out everywhere (after a password change or reset), except
    /// in the session that made the change.
    static func endSessions(of userID: UUID, except kept: SessionID?, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let delete = sql.delete(from: table).where("user_id", .equal, userID)
        if let kept { delete.where("key", .notEqual, kept.string) }
        try await delete.run()
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        sql(request).delete(from: Self.table).where("key", .equal, sessionID.string).run()
    }
}
