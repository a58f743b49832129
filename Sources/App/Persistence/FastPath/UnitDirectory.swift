import Fluent
import NIOConcurrencyHelpers
import ReportingCore
import Vapor

/// The unit tree, loaded from the database and kept in memory: access checks
/// and consolidation need it on every request. Reloaded after imports.
final class UnitDirectory: Sendable {
    struct Loaded: Sendable {
        var tree: UnitTree?
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

    func tree(on database: Database) async throws -> UnitTree {
        let known = current
        if let tree = known.tree { return tree }
        let records = try await UnitRecord.query(on: database).all()
        let tree = try UnitTree(units: records.map(\.core))
        // A reload asked for while this one read the table may have come too
        // late for it: keep the tree only if none was.
        loaded.withLockedValue { if $0.generation == known.generation { $0.tree = tree } }
        return tree
    }

    func invalidate() {
        loaded.withLockedValue {
            $0.tree = nil
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
    func unitTree() async throws -> UnitTree { try await application.unitDirectory.tree(on: db) }
}
