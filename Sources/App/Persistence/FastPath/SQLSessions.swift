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

    /// The user read together with the session, for `SessionUserAuthenticator`.
    struct LoadedUserKey: StorageKey { typealias Value = User }

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
        return sql(request).insert(into: Self.table)
            .columns("id", "key", "data", "user_id")
            .values(SQLBind(UUID()), SQLBind(id.string), SQLBind(data), Self.bind(Self.userID(in: data)))
            .run()
            .map { id }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        // A repeat view of a data-entry page also needs the report's stamp: same query.
        let prefetch = ReportPrefetch.wanted(request)
        let query: SQLQueryString = prefetch.map { ReportPrefetch.sessionQuery(key: sessionID.string, $0) } ?? """
            SELECT \(unsafeRaw: Self.dataColumn), u.* FROM _fluent_sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.key = \(bind: sessionID.string)
            """
        return sql(request).raw(query).first().flatMapThrowing { row in
            guard let row else { return nil }
            if let prefetch { try ReportPrefetch.keep(row, prefetch, in: request) }
            if try row.decodeNil(column: "id") == false {
                request.storage[LoadedUserKey.self] = try User(row: row)
            }
            return try Self.sessionData(json: try row.decode(column: "data", as: String.self))
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        sql(request).update(Self.table)
            .set("data", to: SQLBind(data))
            .set("user_id", to: Self.bind(Self.userID(in: data)))
            .where("key", .equal, sessionID.string)
            .run()
            .map { sessionID }
    }

    /// Signs a user out everywhere (after a password change or reset), except
    /// in the session that made the change.
    static func endSessions(of userID: UUID, except kept: SessionID?, on database: any Database) async throws {
        let delete = (database as! any SQLDatabase).delete(from: table).where("user_id", .equal, userID)
        if let kept { delete.where("key", .notEqual, kept.string) }
        try await delete.run()
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        sql(request).delete(from: Self.table).where("key", .equal, sessionID.string).run()
    }
}
