import Fluent
import SQLKit
import Vapor

/// Sessions in the database, in Fluent's own `_fluent_sessions` table (so
/// several instances share them), read and written with plain SQL. Fluent's
/// driver builds and reflects a model for every page view; this is the one
/// query every signed-in request makes, so it stays as small as it can.
struct SQLSessions: AsyncSessionDriver {
    static let table = "_fluent_sessions"

    func sql(_ request: Request) -> any SQLDatabase { request.db as! any SQLDatabase }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        try await sql(request).insert(into: Self.table)
            .columns("id", "key", "data")
            .values(SQLBind(UUID()), SQLBind(id.string), SQLBind(data))
            .run()
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        try await sql(request).raw("SELECT data FROM _fluent_sessions WHERE key = \(bind: sessionID.string)")
            .first()?.decode(column: "data", as: SessionData.self)
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        try await sql(request).update(Self.table).set("data", to: SQLBind(data)).where("key", .equal, sessionID.string).run()
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await sql(request).delete(from: Self.table).where("key", .equal, sessionID.string).run()
    }
}
