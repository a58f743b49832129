import ReportingCore
import SQLKit

/// The paged report list of the API (`GET /api/v1/reports`) in SQL: the
/// filters, who may read what (`Access.canRead`), the order, the total and
/// the slice are all the database's, so a page reads its own rows only.
///
/// The order is the one the list always had: newest period first, then by
/// unit name (the units table, which the in-memory tree is loaded from; the
/// code for a unit it lacks), then by id. Names compare by their bytes
/// (UTF-8, that is by code point, as Swift orders NFC text): `COLLATE "C"`
/// on PostgreSQL, SQLite's default elsewhere.
struct ReportListQuery {
    struct Filter {
        var periodKey: String?
        var formID: String?
        var status: ReportStatus?
        var unitCode: String?
    }

    /// Which units' reports the user may read.
    enum Readable {
        case all
        /// These units only (a reporter's or leader's own unit; a reviewer's unit and every unit below it).
        case units([String])
        /// A reviewer's subtree too large for a list of bound values: the units table walked down from this unit.
        case subtree(String)

        /// More codes than this go to the database as a walk of the tree (SQLite binds at most 32,766 values).
        static let defaultListLimit = 20_000

        static func of(_ access: Access, listLimit: Int = defaultListLimit) -> Readable {
            switch access.user.role {
            case .admin: return .all
            case .reporter, .leader: return .units([access.user.unitCode])
            case .reviewer:
                let below = access.tree.descendants(of: access.user.unitCode).map(\.code)
                return below.count < listLimit ? .units([access.user.unitCode] + below) : .subtree(access.user.unitCode)
            }
        }
    }

    let filter: Filter
    let readable: Readable

    /// `WITH` for a subtree walk (empty otherwise), and the `WHERE` clause over reports `r`.
    private var clauses: (prefix: SQLQueryString, condition: SQLQueryString) {
        let r = ReportsTable.self, u = UnitsTable.self
        var conditions: [SQLQueryString] = []
        if let key = filter.periodKey { conditions.append("r.\(ident: r.periodKey) = \(bind: key)") }
        if let form = filter.formID { conditions.append("r.\(ident: r.formID) = \(bind: form)") }
        if let status = filter.status { conditions.append("r.\(ident: r.status) = \(bind: status.rawValue)") }
        if let unit = filter.unitCode { conditions.append("r.\(ident: r.unitCode) = \(bind: unit)") }
        var with: SQLQueryString = ""
        switch readable {
        case .all: break
        case .units(let codes): conditions.append("r.\(ident: r.unitCode) IN (\(binds: codes))")
        case .subtree(let root):
            // UNION, not UNION ALL: a cycle in the table (the tree refuses one) would end rather than loop.
            with = """
                WITH RECURSIVE readable(code) AS (SELECT \(ident: u.code) FROM \(ident: u.table) WHERE \(ident: u.code) = \(bind: root) \
                UNION SELECT c.\(ident: u.code) FROM \(ident: u.table) c JOIN readable p ON c.\(ident: u.parentCode) = p.code)\u{20}
                """
            conditions.append("r.\(ident: r.unitCode) IN (SELECT code FROM readable)")
        }
        var clause: SQLQueryString = ""
        for (n, condition) in conditions.enumerated() {
            clause += n == 0 ? " WHERE " : " AND "
            clause += condition
        }
        return (with, clause)
    }

    func count(on sql: any SQLDatabase) async throws -> Int {
        let (with, clause) = clauses
        let row = try await sql.raw("\(with)SELECT CAST(COUNT(*) AS BIGINT) AS n FROM \(ident: ReportsTable.table) r\(clause)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The reports of one page, each with its assignment's deadline.
    func page(limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> [Report] {
        let r = ReportsTable.self, a = AssignmentsTable.self, u = UnitsTable.self
        let (with, clause) = clauses
        let columns = ReportsTable.columns.map { "r.\($0) AS report_\($0)" }.joined(separator: ", ")
        let collate = sql.dialect.name == "postgresql" ? " COLLATE \"C\"" : ""
        return try await sql.raw(
            """
            \(with)SELECT \(unsafeRaw: columns), a.\(ident: a.deadline) AS report_deadline FROM \(ident: r.table) r \
            JOIN \(ident: a.table) a ON a.\(ident: a.id) = r.\(ident: r.assignmentID) \
            LEFT JOIN \(ident: u.table) u ON u.\(ident: u.code) = r.\(ident: r.unitCode)\(clause) \
            ORDER BY r.\(ident: r.periodKey) DESC, COALESCE(u.\(ident: u.name), r.\(ident: r.unitCode))\(unsafeRaw: collate), r.\(ident: r.id) \
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { try Report(row: $0, prefix: "report_") }
    }
}
