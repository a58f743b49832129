/// The names of the tables and columns that plain SQL reads and writes, each
/// in one place: the Fluent models' keys and the SQL of the fast path use
/// these, so a column is renamed (or misspelled) once, not in six places.
enum ReportsTable {
    static let table = "reports"
    static let id = "id"
    static let assignmentID = "assignment_id"
    static let unitCode = "unit_code"
    static let formID = "form_id"
    static let periodKey = "period_key"
    static let status = "status"
    static let version = "version"
    static let revision = "revision"
    static let achievements = "achievements"
    static let assessment = "assessment"
    static let nextTasks = "next_tasks"
    static let proposals = "proposals"
    static let reviewComment = "review_comment"
    static let sentAt = "sent_at"
    static let acceptedAt = "accepted_at"
    static let updatedAt = "updated_at"
    static let documentsRevision = "documents_revision"

    /// Every column, for queries that read a report beside other tables' rows under prefixed names.
    static let columns = [
        id, assignmentID, unitCode, formID, periodKey, status, version, revision, achievements, assessment,
        nextTasks, proposals, reviewComment, sentAt, acceptedAt, updatedAt, documentsRevision
    ]
}

enum ReportValuesTable {
    static let table = "report_values"
    static let id = "id"
    static let reportID = "report_id"
    static let code = "code"
    static let raw = "raw"
    static let number = "number"
    static let note = "note"
    static let reviewComment = "review_comment"

    static let columns = [id, reportID, code, raw, number, note, reviewComment]
}

enum AssignmentsTable {
    static let table = "assignments"
    static let id = "id"
    static let formID = "form_id"
    static let periodKey = "period_key"
    static let deadline = "deadline"
    static let receiverCode = "receiver_code"
    static let title = "title"
    static let createdAt = "created_at"
}

enum UnitsTable {
    static let table = "units"
    static let id = "id"
    static let code = "code"
    static let name = "name"
    static let kind = "kind"
    static let parentCode = "parent_code"
    static let retiredOn = "retired_on"
    static let successorCodes = "successor_codes"
}
