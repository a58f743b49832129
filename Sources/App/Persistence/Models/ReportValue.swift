import Fluent
import SQLKit
import Vapor

/// One cell of a report: the text as typed, the number it parsed to (machine
/// form, exact), the officer's note and the reviewer's comment.
final class ReportValue: Model, @unchecked Sendable {
    static let schema = "report_values"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: Report
    @Field(key: "code") var code: String
    @Field(key: "raw") var raw: String
    @OptionalField(key: "number") var number: String?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "review_comment") var reviewComment: String?

    init() {}

    init(reportID: UUID, code: String, raw: String, number: String?, note: String?) {
        self.$report.id = reportID
        self.code = code
        self.raw = raw
        self.number = number
        self.note = note
    }
}

extension ReportValue {
    /// A value read with plain SQL, marked as stored so that a later save updates it.
    convenience init(row: any SQLRow) throws {
        self.init(reportID: try row.decode(column: "report_id", as: UUID.self),
                  code: try row.decode(column: "code", as: String.self),
                  raw: try row.decode(column: "raw", as: String.self),
                  number: try row.decode(column: "number", as: String?.self),
                  note: try row.decode(column: "note", as: String?.self))
        id = try row.decode(column: "id", as: UUID.self)
        reviewComment = try row.decode(column: "review_comment", as: String?.self)
        $id.exists = true  // not _$idExists: that finds the ID by reflection
    }
}
