import Fluent
import SQLKit

/// The index the consolidated views read through: a form and period's
/// reports with their status, version and update time, so that the cache's stamp (count
/// and sum of versions) is read from the index alone and the values join
/// starts from the period's reports, not from every report.
struct CreateConsolidationIndexes: AsyncMigration {
    static let name = "reports_form_period_status"

    func prepare(on database: Database) async throws {
        let r = ReportsTable.self
        try await (try database.requireSQL()).raw(
            """
            CREATE INDEX IF NOT EXISTS \(ident: Self.name) ON \(ident: r.table) \
            (\(ident: r.formID), \(ident: r.periodKey), \(ident: r.status), \(ident: r.version), \(ident: r.updatedAt))
            """
        ).run()
    }

    func revert(on database: Database) async throws {
        try await (try database.requireSQL()).raw("DROP INDEX IF EXISTS \(ident: Self.name)").run()
    }
}
