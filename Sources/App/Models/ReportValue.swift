import Fluent
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
