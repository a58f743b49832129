import Fluent
import SQLKit
import Vapor

/// Where a unit's report stands in the workflow.
enum ReportStatus: String, Codable, CaseIterable, Sendable {
    case notStarted = "not_started"
    case draft
    case awaitingApproval = "awaiting_approval"
    case sent, returned, accepted

    var label: String {
        switch self {
        case .notStarted: return "Chưa nhập"
        case .draft: return "Đang nhập"
        case .awaitingApproval: return "Chờ duyệt"
        case .sent: return "Đã gửi"
        case .returned: return "Trả lại"
        case .accepted: return "Đã tiếp nhận"
        }
    }

    /// Reports that count as sent for monitoring.
    var hasBeenSent: Bool { self == .sent || self == .accepted }
    var isEditable: Bool { self == .notStarted || self == .draft || self == .returned }
}

/// One unit's report for one assignment (form and period).
final class Report: Model, @unchecked Sendable {
    static let schema = ReportsTable.table

    @ID(key: .id) var id: UUID?
    @Parent(key: .string(ReportsTable.assignmentID)) var assignment: Assignment
    @Field(key: .string(ReportsTable.unitCode)) var unitCode: String
    @Field(key: .string(ReportsTable.formID)) var formID: String
    @Field(key: .string(ReportsTable.periodKey)) var periodKey: String
    @Field(key: .string(ReportsTable.status)) var status: ReportStatus
    /// Bumped on every save: a save of an older version is refused.
    @Field(key: .string(ReportsTable.version)) var version: Int
    /// Bumped when an accepted report is reopened; old revisions stay readable.
    @Field(key: .string(ReportsTable.revision)) var revision: Int
    @Field(key: .string(ReportsTable.achievements)) var achievements: String
    @Field(key: .string(ReportsTable.assessment)) var assessment: String
    @Field(key: .string(ReportsTable.nextTasks)) var nextTasks: String
    @Field(key: .string(ReportsTable.proposals)) var proposals: String
    @OptionalField(key: .string(ReportsTable.reviewComment)) var reviewComment: String?
    @OptionalField(key: .string(ReportsTable.sentAt)) var sentAt: Date?
    @OptionalField(key: .string(ReportsTable.acceptedAt)) var acceptedAt: Date?
    @Timestamp(key: .string(ReportsTable.updatedAt), on: .update) var updatedAt: Date?

    @Children(for: \.$report) var values: [ReportValue]

    /// The assignment's deadline (ISO date), when the report was read together with it.
    var deadline: String?
    /// Moves with every change to Phụ lục I (`DocumentController`). Read with
    /// plain SQL only, and never written through the model: a model save
    /// cannot put back a value read before the change.
    var documentsRevision = 0
    /// The accepted report of the previous period (id and version), when the
    /// report was read with its previous period and that period has one:
    /// what the page's warnings compare against.
    var previousStamp: (id: UUID, version: Int)?

    init() {}

    init(assignmentID: UUID, unitCode: String, formID: String, periodKey: String) {
        self.$assignment.id = assignmentID
        self.unitCode = unitCode
        self.formID = formID
        self.periodKey = periodKey
        self.status = .notStarted
        self.version = 0
        self.revision = 1
        self.achievements = ""
        self.assessment = ""
        self.nextTasks = ""
        self.proposals = ""
    }
}

extension Report {
    /// Every column, for queries that read a report beside other tables' rows
    /// under prefixed names (`ReportPrefetch`).
    static var columns: [String] { ReportsTable.columns }

    /// A report read with plain SQL (the data-entry page reads one per view),
    /// marked as stored so that a later save updates it. `prefix`: what its
    /// columns' names start with in the row.
    convenience init(row: any SQLRow, prefix: String = "") throws {
        func column(_ name: String) -> String { prefix.isEmpty ? name : prefix + name }
        self.init(
            assignmentID: try row.decode(column: column(ReportsTable.assignmentID), as: UUID.self),
            unitCode: try row.decode(column: column(ReportsTable.unitCode), as: String.self),
            formID: try row.decode(column: column(ReportsTable.formID), as: String.self),
            periodKey: try row.decode(column: column(ReportsTable.periodKey), as: String.self))
        id = try row.decode(column: column(ReportsTable.id), as: UUID.self)
        status = try row.decode(column: column(ReportsTable.status), as: ReportStatus.self)
        version = try row.decode(column: column(ReportsTable.version), as: Int.self)
        revision = try row.decode(column: column(ReportsTable.revision), as: Int.self)
        achievements = try row.decode(column: column(ReportsTable.achievements), as: String.self)
        assessment = try row.decode(column: column(ReportsTable.assessment), as: String.self)
        nextTasks = try row.decode(column: column(ReportsTable.nextTasks), as: String.self)
        proposals = try row.decode(column: column(ReportsTable.proposals), as: String.self)
        reviewComment = try row.decode(column: column(ReportsTable.reviewComment), as: String?.self)
        sentAt = try row.decode(column: column(ReportsTable.sentAt), as: Date?.self)
        acceptedAt = try row.decode(column: column(ReportsTable.acceptedAt), as: Date?.self)
        updatedAt = try row.decode(column: column(ReportsTable.updatedAt), as: Date?.self)
        documentsRevision = try row.decode(column: column(ReportsTable.documentsRevision), as: Int.self)
        if row.contains(column: column("deadline")) { deadline = try row.decode(column: column("deadline"), as: String?.self) }
        if row.contains(column: column("previous_id")), let id = try row.decode(column: column("previous_id"), as: UUID?.self) {
            previousStamp = (id, try row.decode(column: column("previous_version"), as: Int.self))
        }
        $id.exists = true // not _$idExists: that finds the ID by reflection
    }
}
