import Fluent
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
