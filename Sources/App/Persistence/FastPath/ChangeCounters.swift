import Fluent
import SQLKit

/// A number per kind of shared data, moved in the same transaction that
/// changes it. What an instance keeps in memory (the unit tree) is kept with
/// the number it was read at, and read again when the database's number
/// differs: several instances on one database never serve an old tree for
/// longer than one request.
enum ChangeCounters {
    static let table = "change_counters"
    static let nameColumn: FieldKey = "name"
    static let valueColumn: FieldKey = "value"

    /// The unit tree: names, retirements, successors, imports.
    static let units = "units"

    /// One more on `name`, inside the caller's transaction.
    static func bump(_ name: String, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            INSERT INTO change_counters (name, value) VALUES (\(bind: name), 1) \
            ON CONFLICT (name) DO UPDATE SET value = change_counters.value + 1
            """
        ).run()
    }

    static func value(_ name: String, on database: any Database) async throws -> Int64 {
        guard let sql = database as? any SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT value FROM change_counters WHERE name = \(bind: name)").first()
        return try row?.decode(column: "value", as: Int64.self) ?? 0
    }

    /// The units counter as a column of another query (the session read), so
    /// that a request learns it without a trip of its own. Never NULL.
    static let unitsColumn = "COALESCE((SELECT value FROM change_counters WHERE name = 'units'), 0) AS units_version"

    /// Reads `unitsColumn` from a row of such a query.
    static func unitsVersion(in row: any SQLRow) throws -> Int64 {
        try row.decode(column: "units_version", as: Int64.self)
    }
}
