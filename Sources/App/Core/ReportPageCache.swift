import NIOConcurrencyHelpers
import Vapor

/// Data-entry pages as last rendered for a viewer, reused while nothing they
/// show has changed (the way Rails keys fragment caches on a record's
/// version). Whether an entry is still good is decided by a fingerprint read
/// from the database with the report on every view, so several instances
/// never serve each other's stale pages: the report's version (its values,
/// status, narrative and comments), its Phụ lục I revision, its deadline,
/// the accepted report of the previous period its warnings compare against,
/// the viewer's name, role and unit, and the unit tree's generation.
///
/// Pages carrying a one-off message or a refused input are never cached.
/// The viewer's CSRF token is not part of an entry: it is put back in at
/// each view, so two sessions of one user share the entry.
final class ReportPageCache: Sendable {
    struct Key: Hashable {
        let reportID: UUID
        let userID: UUID
    }

    struct Fingerprint: Hashable {
        let version: Int
        let status: String
        let documentsRevision: Int
        let deadline: String
        let previousID: UUID?
        let previousVersion: Int?
        let viewer: [String]
        let unitsGeneration: Int
    }

    private struct Entry {
        let fingerprint: Fingerprint
        /// The period before the report's, for the fingerprint query of the next view.
        let previousPeriodKey: String?
        /// The page split where the CSRF token goes.
        let parts: [String]
        let bytes: Int
        var lastUsed: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
        var enabled = true
    }

    private let state = NIOLockedValueBox(State())
    /// About 1,400 pages of 60 rows.
    let capacityBytes: Int

    init(capacityBytes: Int = 64 * 1024 * 1024) {
        self.capacityBytes = capacityBytes
    }

    /// Off, every view renders anew (the benchmark measures both ways).
    var isEnabled: Bool {
        get { state.withLockedValue { $0.enabled } }
        set { state.withLockedValue { $0.enabled = newValue; if !newValue { $0.entries = [:]; $0.bytes = 0 } } }
    }

    var counts: (hits: Int, misses: Int) { state.withLockedValue { ($0.hits, $0.misses) } }

    /// The period key to ask the fingerprint with, known once the page was cached.
    func previousPeriodKey(for key: Key) -> String?? {
        state.withLockedValue { state in state.entries[key].map { $0.previousPeriodKey } }
    }

    /// The cached page, with this viewer's CSRF token, if its fingerprint still matches.
    func page(for key: Key, fingerprint: Fingerprint, csrf: String) -> ByteBuffer? {
        guard let (parts, bytes) = lookUp(key, fingerprint) else { return nil }
        var buffer = ByteBufferAllocator().buffer(capacity: bytes + parts.count * csrf.utf8.count)
        for (n, part) in parts.enumerated() {
            if n > 0 { buffer.writeString(csrf) }
            buffer.writeString(part)
        }
        return buffer
    }

    private func lookUp(_ key: Key, _ fingerprint: Fingerprint) -> ([String], Int)? {
        state.withLockedValue { state -> ([String], Int)? in
            guard state.enabled else { return nil }
            guard var entry = state.entries[key], entry.fingerprint == fingerprint else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            state.clock += 1
            entry.lastUsed = state.clock
            state.entries[key] = entry
            return (entry.parts, entry.bytes)
        }
    }

    func store(_ html: String, for key: Key, fingerprint: Fingerprint, previousPeriodKey: String?, csrf: String) {
        let parts = html.components(separatedBy: csrf)
        let bytes = html.utf8.count
        state.withLockedValue { state in
            guard state.enabled, bytes <= capacityBytes / 8 else { return }
            if let old = state.entries[key] { state.bytes -= old.bytes }
            state.clock += 1
            state.entries[key] = Entry(fingerprint: fingerprint, previousPeriodKey: previousPeriodKey, parts: parts, bytes: bytes, lastUsed: state.clock)
            state.bytes += bytes
            // Least recently used first, until the rest fits.
            if state.bytes > capacityBytes {
                for (key, entry) in state.entries.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }) where state.bytes > capacityBytes {
                    state.entries[key] = nil
                    state.bytes -= entry.bytes
                }
            }
        }
    }
}

extension Application {
    struct ReportPageCacheKey: StorageKey { typealias Value = ReportPageCache }

    var reportPageCache: ReportPageCache {
        if let existing = storage[ReportPageCacheKey.self] { return existing }
        let cache = ReportPageCache()
        storage[ReportPageCacheKey.self] = cache
        return cache
    }
}
