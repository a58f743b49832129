import Vapor

/// Lets one write transaction at a time into an SQLite database. SQLiteNIO
/// answers a locked database by retrying at once, so writers that race spin
/// on a core until the holder commits (measured: a third of the CPU of the
/// save benchmark went to that spinning). Queued here, they wait for free.
/// PostgreSQL locks rows itself and gets no gate.
actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func enter() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }

    /// Runs `body` when no other gated write is running.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }
}

extension Application {
    struct WriteGateKey: StorageKey { typealias Value = WriteGate }

    /// Set by `configure` for SQLite; nil on PostgreSQL.
    var writeGate: WriteGate? {
        get { storage[WriteGateKey.self] }
        set { storage[WriteGateKey.self] = newValue }
    }
}
