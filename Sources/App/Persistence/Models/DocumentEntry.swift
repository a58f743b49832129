import Fluent
import SQLKit
import Vapor

/// A document issued in the period (Phụ lục I): kind, number, date, issuer, summary.
final class DocumentEntry: Model, @unchecked Sendable {
    static let schema = "document_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: Report
    @Field(key: "kind") var kind: String
    @Field(key: "number") var number: String
    @OptionalField(key: "issued_on") var issuedOn: String?
    @Field(key: "issuer") var issuer: String
    @Field(key: "summary") var summary: String

    init() {}

    init(reportID: UUID, kind: String, number: String, issuedOn: String?, issuer: String, summary: String) {
        self.$report.id = reportID
        self.kind = kind
        self.number = number
        self.issuedOn = issuedOn
        self.issuer = issuer
        self.summary = summary
    }
}

extension DocumentEntry {
    /// The entries of a report, read with plain SQL: the data-entry page shows them on every view.
    static func all(ofReport reportID: UUID, on database: any Database) async throws -> [DocumentEntry] {
        try await (try database.requireSQL()).raw(
            """
            SELECT id, report_id, kind, number, issued_on, issuer, summary FROM document_entries WHERE report_id = \(bind: reportID)
            """
        ).all().map { row in
            let entry = DocumentEntry(
                reportID: try row.decode(column: "report_id", as: UUID.self),
                kind: try row.decode(column: "kind", as: String.self),
                number: try row.decode(column: "number", as: String.self),
                issuedOn: try row.decode(column: "issued_on", as: String?.self),
                issuer: try row.decode(column: "issuer", as: String.self),
                summary: try row.decode(column: "summary", as: String.self))
            entry.id = try row.decode(column: "id", as: UUID.self)
            entry.$id.exists = true // not _$idExists: that finds the ID by reflection
            return entry
        }
    }
}
