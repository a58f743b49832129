import Fluent
import Foundation
import SQLKit

/// The report page's cache knows a report by its versions; Phụ lục I and the
/// narrative marks are not part of the version, so a change to them moves
/// this counter, in the transaction that makes the change.
enum DocumentsRevision {
    static func bump(_ reportID: UUID, on db: any Database) async throws {
        let r = ReportsTable.self
        try await db.requireSQL().raw(
            "UPDATE \(ident: r.table) SET \(ident: r.documentsRevision) = \(ident: r.documentsRevision) + 1 WHERE \(ident: r.id) = \(bind: reportID)"
        ).run()
    }
}
