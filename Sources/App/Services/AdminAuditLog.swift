import Fluent
import Foundation
import SQLKit

/// The audit trail of administrative changes, and the search over both
/// trails (reports' and administration's) that the audit page shows.
enum AdminAuditLog {
    /// Records one administrative change in the caller's transaction.
    static func record(
        _ area: AdminAuditEntry.Area, _ action: String, subject: String, by username: String,
        from: String? = nil, to: String? = nil, on db: any Database
    ) async throws {
        try await AdminAuditEntry(username: username, area: area, action: action, subject: subject, from: from, to: to).save(on: db)
    }

    /// What the audit page asks for; empty fields match everything.
    struct Query: Sendable {
        var username = ""
        /// An `AdminAuditEntry.Area` raw value, "reports" for the reports' trail, or empty for all.
        var area = ""
        /// Matched against subject, code, unit and both values.
        var text = ""
        var from: Date? = nil
        /// Exclusive.
        var until: Date? = nil
        var limit = 200
    }

    /// One line of the audit page, from either trail.
    struct Line: Sendable {
        let at: Date
        let username: String
        let area: String
        let action: String
        let subject: String
        let from: String?
        let to: String?
        /// The report the change was made in, for a link.
        let reportID: UUID?
    }

    /// The newest lines first, at most `query.limit`, filtered in SQL.
    static func search(_ query: Query, on db: any Database) async throws -> [Line] {
        let limit = min(max(query.limit, 1), 1_000)
        let username = query.username.trimmingCharacters(in: .whitespaces).lowercased()
        let text = query.text.trimmingCharacters(in: .whitespaces)
        var lines: [Line] = []
        if query.area.isEmpty || query.area == "reports" {
            var builder = AuditEntry.query(on: db).sort(\.$at, .descending).limit(limit)
            if !username.isEmpty { builder = builder.filter(\.$username == username) }
            if let from = query.from { builder = builder.filter(\.$at >= from) }
            if let until = query.until { builder = builder.filter(\.$at < until) }
            if !text.isEmpty {
                builder = builder.group(.or) { or in
                    or.filter(\.$code ~~ text).filter(\.$oldValue ~~ text).filter(\.$newValue ~~ text)
                }
            }
            for entry in try await builder.all() {
                let action = AuditEntry.Action(rawValue: entry.action)
                func shown(_ value: String?) -> String? {
                    action == .status ? value.flatMap { ReportStatus(rawValue: $0)?.label } ?? value : value
                }
                lines.append(
                    Line(
                        at: entry.at, username: entry.username, area: "Báo cáo", action: action?.label ?? entry.action,
                        subject: entry.code ?? "", from: shown(entry.oldValue), to: shown(entry.newValue), reportID: entry.reportID))
            }
        }
        if query.area != "reports" {
            var builder = AdminAuditEntry.query(on: db).sort(\.$at, .descending).limit(limit)
            if let area = AdminAuditEntry.Area(rawValue: query.area) { builder = builder.filter(\.$area == area.rawValue) }
            if !username.isEmpty { builder = builder.filter(\.$username == username) }
            if let from = query.from { builder = builder.filter(\.$at >= from) }
            if let until = query.until { builder = builder.filter(\.$at < until) }
            if !text.isEmpty {
                builder = builder.group(.or) { or in
                    or.filter(\.$subject ~~ text).filter(\.$action ~~ text).filter(\.$oldValue ~~ text).filter(\.$newValue ~~ text)
                }
            }
            for entry in try await builder.all() {
                lines.append(
                    Line(
                        at: entry.at, username: entry.username, area: AdminAuditEntry.Area(rawValue: entry.area)?.label ?? entry.area,
                        action: entry.action, subject: entry.subject, from: entry.oldValue, to: entry.newValue, reportID: nil))
            }
        }
        return Array(lines.sorted { $0.at > $1.at }.prefix(limit))
    }
}
