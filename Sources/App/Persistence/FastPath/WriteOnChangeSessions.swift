import Fluent
import Vapor

/// Sessions stored in the database (so several instances share them), but
/// written only when their data changes. Vapor's middleware asks the driver
/// to save the session after every request; with SQLite that is a durable
/// write (an fsync) per page view, and it was most of a page's cost.
struct WriteOnChangeSessions: SessionDriver {
    let base: any SessionDriver

    struct ReadSnapshot: StorageKey { typealias Value = [String: String] }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        // An unknown cookie with nothing to keep: no record is needed.
        if data.snapshot.isEmpty {
            return request.eventLoop.makeSucceededFuture(SessionID(string: [UInt8].random(count: 32).base64))
        }
        return base.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        base.readSession(sessionID, for: request).map { data in
            if let data { request.storage[ReadSnapshot.self] = data.snapshot }
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        // Unchanged and not due for a write (a stale `seen_at`, a new id): nothing to write.
        if let read = request.storage[ReadSnapshot.self], read == data.snapshot, request.storage[SQLSessions.WriteDueKey.self] != true {
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}
