import NIOConcurrencyHelpers
import ReportingCore
import SQLKit
import Vapor

/// Consolidated results as last computed, reused while no report of their
/// form and period has changed. Whether an entry is still good is decided by
/// a stamp read from the database on every use (as `ReportPageCache` does),
/// so several instances on one database never serve each other's stale
/// figures: the number of the period's reports and the sum of their
/// versions. Every change to a report — a save of its values, a workflow
/// step, a reopen — claims its next version in the transaction that makes
/// it, reports are never deleted, and a new one adds to the count: so the
/// stamp moves with every change and never comes back to an earlier value.
/// It is read before the values, so a change landing between the two makes
/// the entry older than its data, never the other way round. A write that
/// does not claim a version (none in the app; a test or a hand edit through
/// a model) still moves the count of accepted or sent reports, or the latest
/// `updated_at`, which a model save sets.
///
/// An entry also remembers the unit tree it was computed over; a tree
/// reloaded since (an import, a unit edited) misses.
final class ConsolidationCache: Sendable {
    struct Key: Hashable {
        let formID: String
        let periodKey: String
        let basis: ConsolidationService.Basis
    }

    /// What the database says about a form and period's reports right now.
    struct Stamp: Hashable, Sendable {
        let reports: Int
        let versions: Int
        /// Belts for a write that does not claim a version (none in the app; tests and
        /// hand edits do): the states that count, and the latest `updated_at`.
        let accepted: Int
        let sent: Int
        let latest: Date?
    }

    private struct Entry {
        let stamp: Stamp
        let units: [ReportingUnit]
        let result: ConsolidationService.Result
        let cells: Int
        var lastUsed: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var cells = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
        var enabled = true
    }

    private let state = NIOLockedValueBox(State())
    /// Values kept, across entries (units × rows): about 16 bytes each. The newest entry is always kept.
    let capacityCells: Int

    init(capacityCells: Int = 12_000_000) {
        self.capacityCells = capacityCells
    }

    /// Off, every view consolidates anew (the benchmark measures both ways).
    var isEnabled: Bool {
        get { state.withLockedValue { $0.enabled } }
        set {
            state.withLockedValue {
                $0.enabled = newValue; if !newValue { $0.entries = [:]; $0.cells = 0 }
            }
        }
    }

    var counts: (hits: Int, misses: Int) { state.withLockedValue { ($0.hits, $0.misses) } }

    /// The stamp of `formID` and `periodKey`, in one read of the index on the period's reports.
    static func stamp(formID: String, periodKey: String, on sql: any SQLDatabase) async throws -> Stamp {
        let r = ReportsTable.self
        let row = try await sql.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(\(ident: r.version)), 0) AS BIGINT) AS v, \
            CAST(COALESCE(SUM(CASE WHEN \(ident: r.status) = \(bind: ReportStatus.accepted.rawValue) THEN 1 ELSE 0 END), 0) AS BIGINT) AS a, \
            CAST(COALESCE(SUM(CASE WHEN \(ident: r.status) = \(bind: ReportStatus.sent.rawValue) THEN 1 ELSE 0 END), 0) AS BIGINT) AS s, \
            MAX(\(ident: r.updatedAt)) AS t FROM \(ident: r.table) \
            WHERE \(ident: r.formID) = \(bind: formID) AND \(ident: r.periodKey) = \(bind: periodKey)
            """
        ).first()
        guard let row else { return Stamp(reports: 0, versions: 0, accepted: 0, sent: 0, latest: nil) }
        return Stamp(
            reports: try row.decode(column: "n", as: Int.self), versions: try row.decode(column: "v", as: Int.self),
            accepted: try row.decode(column: "a", as: Int.self), sent: try row.decode(column: "s", as: Int.self),
            latest: try row.decode(column: "t", as: Date?.self))
    }

    func result(for key: Key, stamp: Stamp, tree: UnitTree) -> ConsolidationService.Result? {
        state.withLockedValue { state -> ConsolidationService.Result? in
            guard state.enabled else { return nil }
            // Arrays compare by identity first: the same loaded tree is one pointer check.
            guard var entry = state.entries[key], entry.stamp == stamp, entry.units == tree.units else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            state.clock += 1
            entry.lastUsed = state.clock
            state.entries[key] = entry
            return entry.result
        }
    }

    func store(_ result: ConsolidationService.Result, for key: Key, stamp: Stamp, tree: UnitTree) {
        let cells = max(1, tree.units.count * result.form.slotCount)
        state.withLockedValue { state in
            guard state.enabled else { return }
            if let old = state.entries[key] {
                // A slower computation of an older stamp does not replace a newer one.
                if old.stamp.versions > stamp.versions || old.stamp.reports > stamp.reports { return }
                state.cells -= old.cells
            }
            state.clock += 1
            state.entries[key] = Entry(stamp: stamp, units: tree.units, result: result, cells: cells, lastUsed: state.clock)
            state.cells += cells
            // Least recently used first, until the rest fits; the entry just stored stays.
            if state.cells > capacityCells {
                for (other, entry) in state.entries.sorted(by: { $0.value.lastUsed < $1.value.lastUsed })
                where state.cells > capacityCells && other != key {
                    state.entries[other] = nil
                    state.cells -= entry.cells
                }
            }
        }
    }
}

extension Application {
    struct ConsolidationCacheKey: StorageKey { typealias Value = ConsolidationCache }

    var consolidationCache: ConsolidationCache {
        if let existing = storage[ConsolidationCacheKey.self] { return existing }
        let cache = ConsolidationCache()
        storage[ConsolidationCacheKey.self] = cache
        return cache
    }
}

extension Request {
    var consolidationCache: ConsolidationCache { application.consolidationCache }
}
