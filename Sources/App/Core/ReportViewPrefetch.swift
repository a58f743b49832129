import SQLKit
import Vapor

/// What a data-entry page shows that can change, as read from the database
/// with the report. With the viewer, it is what `ReportPageCache` keys a page on.
struct ReportStamp: Hashable, Sendable {
    let unitCode: String
    let version: Int
    let status: String
    let documentsRevision: Int
    let deadline: String
    /// The accepted report of the previous period, which the page's warnings compare against.
    let previousID: UUID?
    let previousVersion: Int?

    /// The accepted report of the period `previousPeriodKey` for the same unit
    /// and form as report `r`, joined as `p`: every query of a stamp uses it.
    static func previousAcceptedJoin(_ previousPeriodKey: String) -> SQLQueryString {
        """
        LEFT JOIN reports p ON p.unit_code = r.unit_code AND p.form_id = r.form_id \
        AND p.period_key = \(bind: previousPeriodKey) AND p.status = \(bind: ReportStatus.accepted.rawValue)
        """
    }
}

extension Report {
    /// Read with its deadline and, when asked for, its previous period (`ReportService.find`).
    var stamp: ReportStamp {
        ReportStamp(unitCode: unitCode, version: version, status: status.rawValue, documentsRevision: documentsRevision,
                    deadline: deadline ?? "", previousID: previousStamp?.id, previousVersion: previousStamp?.version)
    }
}

/// A repeat view of a data-entry page needs the session, its user and the
/// report's stamp, and nothing else when the page is cached. The session read
/// (`SQLSessions`) brings all three in one query when the request is such a
/// view of a report the page cache knows, so that the page is served with one
/// trip to the database and without a task (`ReportController.view`).
enum ReportViewPrefetch {
    struct Wanted {
        let reportID: UUID
        let previousPeriodKey: String?
    }

    struct Prefetched {
        let reportID: UUID
        let stamp: ReportStamp
    }

    struct PrefetchedKey: StorageKey { typealias Value = Prefetched }

    /// A plain `GET /reports/ID` (no message to show) of a report whose page is cached.
    static func wanted(_ request: Request) -> Wanted? {
        guard request.method == .GET, request.url.query == nil else { return nil }
        let path = request.url.path
        let prefix = "/reports/"
        guard path.utf8.count == prefix.utf8.count + 36, path.hasPrefix(prefix),
              let id = UUID(uuidString: String(path.dropFirst(prefix.count))),
              let previous = request.application.reportPageCache.previousPeriodKey(ofReport: id) else { return nil }
        return Wanted(reportID: id, previousPeriodKey: previous)
    }

    /// The session `s` with its user `u` (as `SQLSessions` reads them) and the report's stamp.
    static func sessionQuery(key: String, _ wanted: Wanted) -> SQLQueryString {
        // Without a previous period there is nothing to join: a key no report has.
        let previousJoin = ReportStamp.previousAcceptedJoin(wanted.previousPeriodKey ?? "")
        return """
            SELECT s.data, u.*, r.unit_code AS page_unit_code, r.version AS page_version, r.status AS page_status,
              r.documents_revision AS page_documents_revision, a.deadline AS page_deadline,
              p.id AS page_previous_id, p.version AS page_previous_version
            FROM _fluent_sessions s LEFT JOIN users u ON u.id = s.user_id
            LEFT JOIN reports r ON r.id = \(bind: wanted.reportID)
            LEFT JOIN assignments a ON a.id = r.assignment_id
            \(previousJoin)
            WHERE s.key = \(bind: key) ORDER BY p.id LIMIT 1
            """
    }

    /// Keeps the stamp the session query read, if the report was found.
    static func keep(_ row: any SQLRow, _ wanted: Wanted, in request: Request) throws {
        guard let version = try row.decode(column: "page_version", as: Int?.self),
              let unitCode = try row.decode(column: "page_unit_code", as: String?.self),
              let status = try row.decode(column: "page_status", as: String?.self),
              let documentsRevision = try row.decode(column: "page_documents_revision", as: Int?.self) else { return }
        let stamp = ReportStamp(unitCode: unitCode, version: version, status: status, documentsRevision: documentsRevision,
                                deadline: try row.decode(column: "page_deadline", as: String?.self) ?? "",
                                previousID: try row.decode(column: "page_previous_id", as: UUID?.self),
                                previousVersion: try row.decode(column: "page_previous_version", as: Int?.self))
        request.storage[PrefetchedKey.self] = Prefetched(reportID: wanted.reportID, stamp: stamp)
    }
}
