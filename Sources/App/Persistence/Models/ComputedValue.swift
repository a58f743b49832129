import Foundation
import ReportingCore
import SQLKit

/// A cell filled from dossier records (issue #13): the figure as computed,
/// how many dossiers it came from, the file and when. The cell itself is an
/// ordinary `report_values` row; this mark says where its number came from,
/// and a save that changes the number needs a note for the row.
struct ComputedValue: Sendable, Equatable {
    static let schema = "computed_values"

    var code: String
    /// The figure as filled, in the text the cell got ("29.140", "97,45").
    var value: String
    /// The dossiers it was computed from ("tính từ N hồ sơ").
    var dossiers: Int
    var fileName: String
    var computedAt: Date
    var username: String

    /// The marks of one report, by code.
    static func all(ofReport reportID: UUID, on sql: any SQLDatabase) async throws -> [String: ComputedValue] {
        let rows = try await sql.raw(
            """
            SELECT code, value, dossiers, file_name, computed_at, username FROM computed_values WHERE report_id = \(bind: reportID)
            """
        ).all()
        var marks: [String: ComputedValue] = [:]
        for row in rows {
            let mark = ComputedValue(
                code: try row.decode(column: "code", as: String.self), value: try row.decode(column: "value", as: String.self),
                dossiers: try row.decode(column: "dossiers", as: Int.self),
                fileName: try row.decode(column: "file_name", as: String.self),
                computedAt: try row.decode(column: "computed_at", as: Date.self),
                username: try row.decode(column: "username", as: String.self))
            marks[mark.code] = mark
        }
        return marks
    }

    /// Replaces the report's marks with `marks`, inside the caller's transaction.
    static func replace(ofReport reportID: UUID, with marks: [ComputedValue], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: schema).where("report_id", .equal, reportID).run()
        guard !marks.isEmpty else { return }
        let insert = sql.insert(into: schema).columns(
            "id", "report_id", "code", "value", "dossiers", "file_name", "computed_at", "username")
        for mark in marks {
            insert.values(
                [
                    SQLBind(UUID()), SQLBind(reportID), SQLBind(mark.code), SQLBind(mark.value), SQLBind(mark.dossiers),
                    SQLBind(mark.fileName), SQLBind(mark.computedAt), SQLBind(mark.username)
                ] as [any SQLExpression])
        }
        try await insert.run()
    }

    /// "tính từ 1.234 hồ sơ (hoso-quy1.csv, 14/03/2024 16:30)", as the data-entry page shows it.
    var label: String {
        "tính từ \(VietnameseNumber.format(ExactNumber(dossiers))) hồ sơ (\(fileName), \(VietnameseTime.format(computedAt)))"
    }
}
