import Fluent
import Foundation
import ReportingCore

/// Reads a unit tree from CSV (code,name,kind,parent_code) or from the JSON
/// of the `vietnam-provinces` package, and writes it in one transaction.
enum UnitImporter {
    struct ImportError: Error, CustomStringConvertible {
        let description: String
    }

    /// The parsing itself lives in ReportingCore (`UnitFile`), where it is fuzzed.
    static func parseCSV(_ text: String) throws -> [ReportingUnit] {
        do { return try UnitFile.parseCSV(text) } catch { throw ImportError(description: error.description) }
    }

    static func parseProvincesJSON(_ data: Data, root: ReportingUnit?) throws -> [ReportingUnit] {
        do { return try UnitFile.parseProvincesJSON(data, root: root) } catch { throw ImportError(description: error.description) }
    }

    /// Validates the whole tree (with the units already stored) and writes it, or nothing.
    static func save(_ units: [ReportingUnit], by username: String, on database: Database) async throws -> Int {
        let existing = try await UnitRecord.query(on: database).all().map(\.core)
        let existingCodes = Set(existing.map(\.code))
        let fresh = units.filter { !existingCodes.contains($0.code) }
        do { _ = try UnitTree(units: existing + fresh) } catch { throw ImportError(description: error.message) }
        try await database.transaction { db in
            for unit in fresh { try await UnitRecord(unit).save(on: db) }
            if !fresh.isEmpty {
                try await ChangeCounters.bump(ChangeCounters.units, on: db)
                try await AdminAuditLog.record(
                    .units, "Nhập danh sách đơn vị", subject: "\(fresh.count) đơn vị", by: username,
                    to: fresh.map(\.code).joined(separator: ", "), on: db)
            }
        }
        return fresh.count
    }
}
