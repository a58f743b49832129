import Fluent
import NIOConcurrencyHelpers
import ReportingCore
import Vapor

/// The unit tree, loaded from the database and kept in memory: access checks
/// and consolidation need it on every request. Kept with the units counter
/// it was read at (`ChangeCounters`), and read again when the database's
/// counter has moved: a unit renamed or imported through another instance,
/// or by the command line, shows on the next request here too.
final class UnitDirectory: Sendable {
    struct Loaded: Sendable {
        var tree: UnitTree?
        /// The database's units counter when `tree` was read.
        var version: Int64?
        /// Moves at every reload, so that pages cached with unit names are dropped.
        var generation = 0
    }

    /// Behind a lock rather than in an actor: read on every request, and a
    /// repeat page view is served on the event loop without a task
    /// (`ReportController.view`).
    private let loaded = NIOLockedValueBox(Loaded())

    /// The tree as last loaded (nil until loaded, and after a reload is asked for) and its generation.
    var current: Loaded { loaded.withLockedValue { $0 } }
    var generation: Int { current.generation }

    /// The tree as of the database's units counter `version` (read here when
    /// the caller's query did not bring it).
    func tree(on database: Database, version: Int64? = nil) async throws -> UnitTree {
        let wanted: Int64
        if let version { wanted = version } else { wanted = try await ChangeCounters.value(ChangeCounters.units, on: database) }
        let known = current
        if let tree = known.tree, known.version == wanted { return tree }
        if known.tree != nil { invalidate() }
        let started = current
        // The counter is read before the rows: a change in between leaves an
        // older number with newer rows, which only costs one more reload.
        let version = try await ChangeCounters.value(ChangeCounters.units, on: database)
        let records = try await UnitRecord.query(on: database).all()
        let tree = try UnitTree(units: records.map(\.core))
        // A reload asked for while this one read the table may have come too
        // late for it: keep the tree only if none was.
        loaded.withLockedValue {
            if $0.generation == started.generation { ($0.tree, $0.version) = (tree, version) }
        }
        return tree
    }

    func invalidate() {
        loaded.withLockedValue {
            $0.tree = nil
            $0.version = nil
            $0.generation += 1
        }
    }
}

extension Application {
    struct UnitDirectoryKey: StorageKey { typealias Value = UnitDirectory }
    var unitDirectory: UnitDirectory {
        if let existing = storage[UnitDirectoryKey.self] { return existing }
        let directory = UnitDirectory()
        storage[UnitDirectoryKey.self] = directory
        return directory
    }
}

extension Request {
    /// The units counter the session read brought (`SQLSessions`), if it ran.
    struct UnitsVersionKey: StorageKey { typealias Value = Int64 }

    func unitTree() async throws -> UnitTree {
        try await application.unitDirectory.tree(on: db, version: storage[UnitsVersionKey.self])
    }
}
