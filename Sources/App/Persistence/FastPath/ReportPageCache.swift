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
        let stamp: ReportStamp
        let viewer: [String]
        let unitsGeneration: Int

        init(stamp: ReportStamp, viewer: User, unitsGeneration: Int) {
            self.stamp = stamp
            self.viewer = [viewer.displayName, viewer.role.rawValue, viewer.unitCode]
            self.unitsGeneration = unitsGeneration
        }
    }

    private struct Entry {
        let fingerprint: Fingerprint
        /// The page split where the CSRF token goes.
        let parts: [String]
        let bytes: Int
        var lastUsed: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        /// The period before each cached report's (nil: none), for the stamp
        /// query of its next view. A report's period never changes.
        var previousPeriodKeys: [UUID: String?] = [:]
        var hits = 0
        var eventLoopHits = 0
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
        set {
            state.withLockedValue {
                $0.enabled = newValue; if !newValue { $0.entries = [:]; $0.previousPeriodKeys = [:]; $0.bytes = 0 }
            }
        }
    }

    /// Pages served from the cache (`eventLoop`: of those, the ones served
    /// without a task, from what the session read brought), and pages rendered.
    var counts: (hits: Int, eventLoopHits: Int, misses: Int) {
        state.withLockedValue { ($0.hits, $0.eventLoopHits, $0.misses) }
    }

    /// The period key to read a report's stamp with, known once a page of it was cached.
    func previousPeriodKey(ofReport id: UUID) -> String?? {
        state.withLockedValue { state in state.previousPeriodKeys[id] }
    }

    /// The cached page, with this viewer's CSRF token, if its fingerprint still matches.
    /// `onEventLoop`: asked before the task that would render it; a miss is counted once, by that task.
    func page(for key: Key, fingerprint: Fingerprint, csrf: String, onEventLoop: Bool = false) -> ByteBuffer? {
        guard let (parts, bytes) = lookUp(key, fingerprint, onEventLoop: onEventLoop) else { return nil }
        var buffer = ByteBufferAllocator().buffer(capacity: bytes + parts.count * csrf.utf8.count)
        for (n, part) in parts.enumerated() {
            if n > 0 { buffer.writeString(csrf) }
            buffer.writeString(part)
        }
        return buffer
    }

    private func lookUp(_ key: Key, _ fingerprint: Fingerprint, onEventLoop: Bool) -> ([String], Int)? {
        state.withLockedValue { state -> ([String], Int)? in
            guard state.enabled else { return nil }
            guard var entry = state.entries[key], entry.fingerprint == fingerprint else {
                if !onEventLoop { state.misses += 1 }
                return nil
            }
            state.hits += 1
            if onEventLoop { state.eventLoopHits += 1 }
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
            state.entries[key] = Entry(fingerprint: fingerprint, parts: parts, bytes: bytes, lastUsed: state.clock)
            state.bytes += bytes
            // Small next to the pages; dropped whole rather than kept in step with them.
            if state.previousPeriodKeys.count >= 100_000 { state.previousPeriodKeys = [:] }
            state.previousPeriodKeys[key.reportID] = .some(previousPeriodKey)
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
