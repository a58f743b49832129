import Fluent
import ReportingCore
import Vapor

/// The unit tree, loaded from the database and kept in memory: access checks
/// and consolidation need it on every request. Reloaded after imports.
actor UnitDirectory {
    private var cached: UnitTree?
    /// Moves at every reload, so that pages cached with unit names are dropped.
    private(set) var generation = 0

    func tree(on database: Database) async throws -> UnitTree {
        if let cached { return cached }
        let asked = generation
        let records = try await UnitRecord.query(on: database).all()
        let tree = try UnitTree(units: records.map(\.core))
        // A reload asked for while this one read the table may have come too
        // late for it: keep the tree only if none was.
        if generation == asked { cached = tree }
        return tree
    }

    func invalidate() {
        cached = nil
        generation += 1
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
