import Fluent
import SQLKit
import Vapor

/// One cell of a report: the text as typed, the number it parsed to (machine
/// form, exact), the officer's note and the reviewer's comment.
final class ReportValue: Model, @unchecked Sendable {
    static let schema = ReportValuesTable.table

    @ID(key: .id) var id: UUID?
    @Parent(key: .string(ReportValuesTable.reportID)) var report: Report
    @Field(key: .string(ReportValuesTable.code)) var code: String
    @Field(key: .string(ReportValuesTable.raw)) var raw: String
    @OptionalField(key: .string(ReportValuesTable.number)) var number: String?
    @OptionalField(key: .string(ReportValuesTable.note)) var note: String?
    @OptionalField(key: .string(ReportValuesTable.reviewComment)) var reviewComment: String?

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
        self.init(
            reportID: try row.decode(column: ReportValuesTable.reportID, as: UUID.self),
            code: try row.decode(column: ReportValuesTable.code, as: String.self),
            raw: try row.decode(column: ReportValuesTable.raw, as: String.self),
            number: try row.decode(column: ReportValuesTable.number, as: String?.self),
            note: try row.decode(column: ReportValuesTable.note, as: String?.self))
        id = try row.decode(column: ReportValuesTable.id, as: UUID.self)
        reviewComment = try row.decode(column: ReportValuesTable.reviewComment, as: String?.self)
        $id.exists = true // not _$idExists: that finds the ID by reflection
    }
}
