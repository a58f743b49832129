import Fluent
import Vapor

/// Lets one write transaction at a time into an SQLite database, and commits
/// the saves that queue up meanwhile together.
///
/// - SQLiteNIO answers a locked database by retrying at once, so writers that
///   race spin on a core until the holder commits (a third of the CPU of the
///   save benchmark went to that). Queued here, they wait for free.
/// - A durable commit costs an fsync and two round trips to SQLite's thread.
///   Saves waiting behind one another share one transaction (group commit):
///   each still claims its own version, so a stale one is refused alone, and
///   none is acknowledged before the commit that holds it.
///
/// PostgreSQL locks rows itself: there the gate only groups saves (one fsync
/// for many), and other transactions run beside it (`exclusive` false).
actor WriteGate {
    /// SQLite: every gated write waits for the one before. PostgreSQL: only saves are grouped.
    nonisolated let exclusive: Bool

    init(exclusive: Bool) {
        self.exclusive = exclusive
    }

    private enum Job {
        /// A caller running its own transaction once it is let in.
        case exclusive(CheckedContinuation<Void, Never>)
        case save(SaveWrite, any Database, CheckedContinuation<[ReportValue]?, any Error>)
    }

    private var queue: [Job] = []
    private var busy = false
    /// Commits of groups of saves, and the saves they held (the benchmark prints them).
    private(set) var groupCommits = 0
    private(set) var groupedSaves = 0
    /// Enough to empty the queue of a busy province in one commit, small
    /// enough that one commit stays short.
    private let largestBatch = 128

    /// Runs `body` (a whole transaction) when no other gated write is running.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard exclusive else { return try await body() }
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

    /// Commits one save, possibly with others queued at the same time: the
    /// cells stored now, or nil when its version was already taken (nothing
    /// of it is written).
    func commit(_ write: SaveWrite, on database: any Database) async throws -> [ReportValue]? {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(.save(write, database, continuation))
            startNext()
        }
    }

    private func enter() async {
        await withCheckedContinuation { continuation in
            queue.append(.exclusive(continuation))
            startNext()
        }
    }

    private func leave() {
        busy = false
        startNext()
    }

    private func startNext() {
        guard !busy, let first = queue.first else { return }
        busy = true
        switch first {
        case .exclusive(let continuation):
            queue.removeFirst()
            continuation.resume()
        case .save:
            // The saves queued up to the next exclusive writer, one per report:
            // a second save of a report waits for the next commit.
            var batch: [(SaveWrite, any Database, CheckedContinuation<[ReportValue]?, any Error>)] = []
            var reports: Set<UUID> = []
            var index = 0
            while batch.count < largestBatch, index < queue.count, case .save(let write, let database, let continuation) = queue[index] {
                if reports.insert(write.reportID).inserted {
                    batch.append((write, database, continuation))
                    queue.remove(at: index)
                } else {
                    index += 1
                }
            }
            Task { await self.commitBatch(batch) }
        }
    }

    private func commitBatch(_ batch: [(SaveWrite, any Database, CheckedContinuation<[ReportValue]?, any Error>)]) async {
        let writes = batch.map(\.0)
        do {
            let landed = try await batch[0].1.transaction { try await SaveWrite.run(writes, on: $0) }
            groupCommits += 1
            groupedSaves += batch.count
            for (job, ok) in zip(batch, landed) { job.2.resume(returning: ok) }
        } catch {
            // Nothing of the batch was committed. Each save alone then gets its own outcome.
            for (write, database, continuation) in batch {
                do { continuation.resume(returning: try await database.transaction { try await SaveWrite.run([write], on: $0)[0] }) } catch
                { continuation.resume(throwing: error) }
            }
        }
        leave()
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
