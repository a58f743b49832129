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
        ReportStamp(
            unitCode: unitCode, version: version, status: status.rawValue, documentsRevision: documentsRevision,
            deadline: deadline ?? "", previousID: previousStamp?.id, previousVersion: previousStamp?.version)
    }
}

/// The two requests every officer makes most, a repeat view of a data-entry
/// page and a save, need the session, its user and the report. The session
/// read (`SQLSessions`) brings all three in one query:
/// - for a repeat view of a page the cache holds, the report's stamp, so that
///   the page is served with one trip to the database and without a task
///   (`ReportController.view`);
/// - for a save, the whole report (`ReportController.save`).
enum ReportPrefetch {
    enum Wanted {
        /// A plain `GET /reports/ID` of a report whose page is cached, with the
        /// period its stamp compares against.
        case stamp(reportID: UUID, previousPeriodKey: String?)
        /// `POST /reports/ID`.
        case report(UUID)
    }

    struct Prefetched: Sendable {
        let reportID: UUID
        var stamp: ReportStamp?
        var report: Report?
    }

    struct PrefetchedKey: StorageKey { typealias Value = Prefetched }

    static func wanted(_ request: Request) -> Wanted? {
        guard request.method == .GET || request.method == .POST, request.url.query == nil else { return nil }
        let path = request.url.path
        let prefix = "/reports/"
        guard path.utf8.count == prefix.utf8.count + 36, path.hasPrefix(prefix),
            let id = UUID(uuidString: String(path.dropFirst(prefix.count)))
        else { return nil }
        if request.method == .POST { return .report(id) }
        guard let previous = request.application.reportPageCache.previousPeriodKey(ofReport: id) else { return nil }
        return .stamp(reportID: id, previousPeriodKey: previous)
    }

    /// The session `s` with its user `u` (as `SQLSessions` reads them), and the report.
    /// `live` is the condition a session that has not ended meets (`SQLSessions.live`).
    static func sessionQuery(key: String, live: SQLQueryString, _ wanted: Wanted) -> SQLQueryString {
        switch wanted {
        case .stamp(let id, let previousPeriodKey):
            // Without a previous period there is nothing to join: a key no report has.
            let previousJoin = ReportStamp.previousAcceptedJoin(previousPeriodKey ?? "")
            return """
                SELECT \(unsafeRaw: SQLSessions.dataColumn), s.seen_at AS session_seen_at, \(unsafeRaw: ChangeCounters.unitsColumn), u.*, r.unit_code AS page_unit_code, r.version AS page_version, r.status AS page_status,
                  r.documents_revision AS page_documents_revision, a.deadline AS page_deadline,
                  p.id AS page_previous_id, p.version AS page_previous_version
                FROM _fluent_sessions s LEFT JOIN users u ON u.id = s.user_id
                LEFT JOIN reports r ON r.id = \(bind: id)
                LEFT JOIN assignments a ON a.id = r.assignment_id
                \(previousJoin)
                WHERE s.key = \(bind: key) AND \(live) ORDER BY p.id LIMIT 1
                """
        case .report(let id):
            let columns = Report.columns.map { "r.\($0) AS report_\($0)" }.joined(separator: ", ")
            return """
                SELECT \(unsafeRaw: SQLSessions.dataColumn), s.seen_at AS session_seen_at, \(unsafeRaw: ChangeCounters.unitsColumn), u.*, \(unsafeRaw: columns), a.deadline AS report_deadline
                FROM _fluent_sessions s LEFT JOIN users u ON u.id = s.user_id
                LEFT JOIN reports r ON r.id = \(bind: id)
                LEFT JOIN assignments a ON a.id = r.assignment_id
                WHERE s.key = \(bind: key) AND \(live)
                """
        }
    }

    /// Keeps what the session query read of the report, if it was found.
    static func keep(_ row: any SQLRow, _ wanted: Wanted, in request: Request) throws {
        switch wanted {
        case .stamp(let id, _):
            guard let version = try row.decode(column: "page_version", as: Int?.self),
                let unitCode = try row.decode(column: "page_unit_code", as: String?.self),
                let status = try row.decode(column: "page_status", as: String?.self),
                let documentsRevision = try row.decode(column: "page_documents_revision", as: Int?.self)
            else { return }
            let stamp = ReportStamp(
                unitCode: unitCode, version: version, status: status, documentsRevision: documentsRevision,
                deadline: try row.decode(column: "page_deadline", as: String?.self) ?? "",
                previousID: try row.decode(column: "page_previous_id", as: UUID?.self),
                previousVersion: try row.decode(column: "page_previous_version", as: Int?.self))
            request.storage[PrefetchedKey.self] = Prefetched(reportID: id, stamp: stamp)
        case .report(let id):
            guard try row.decodeNil(column: "report_id") == false else { return }
            request.storage[PrefetchedKey.self] = Prefetched(reportID: id, report: try Report(row: row, prefix: "report_"))
        }
    }
}
