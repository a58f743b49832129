import Fluent
import ReportingCore
import SQLKit
import Vapor

/// Loading, saving and moving reports through the workflow. The web pages and
/// the JSON API both go through here, so the rules are the same for both.
struct ReportService {
    let database: Database
    let library: FormLibrary
    /// Who is acting and the unit tree: the signed-in user's on the web,
    /// given explicitly by the command line (which has no request).
    let currentAccess: @Sendable () async throws -> Access
    let currentTree: @Sendable () async throws -> UnitTree
    /// Groups saves, and on SQLite also queues write transactions (see `WriteGate`).
    var writeGate: WriteGate? = nil
    /// Writes the notification emails of a workflow step in its transaction; nil when email is off.
    var mail: WorkflowMail? = nil

    init(
        database: Database, library: FormLibrary, writeGate: WriteGate?,
        currentAccess: @escaping @Sendable () async throws -> Access, currentTree: @escaping @Sendable () async throws -> UnitTree
    ) {
        self.database = database
        self.library = library
        self.writeGate = writeGate
        self.currentAccess = currentAccess
        self.currentTree = currentTree
    }

    init(database: Database, library: FormLibrary, tree: UnitTree, user: User) {
        self.database = database
        self.library = library
        currentAccess = { Access(user: user, tree: tree) }
        currentTree = { tree }
    }

    /// What an officer submits: typed cells, notes, narrative, and the version they edited.
    struct Submission {
        var values: [String: String]
        var notes: [String: String]
        var narrative: Narrative?
        var version: Int
        /// Cells filled from dossier records (`DossierImport`): their marks replace the report's.
        var computed: [ComputedValue]? = nil
    }

    struct Narrative: Content, Equatable {
        var achievements: String
        var assessment: String
        var nextTasks: String
        var proposals: String

        /// One part of the narrative as the pages show it: its form field, its
        /// title in the seeds' outline, and how many lines its box gets.
        struct Section: Encodable {
            let field: String
            let title: String
            let rows: Int
            let text: String
        }

        /// The four parts, in order: the data-entry page and the history page show these.
        var sections: [Section] {
            [
                Section(field: "achievements", title: "I. Kết quả đạt được", rows: 5, text: achievements),
                Section(
                    field: "assessment", title: "II. Đánh giá chung (kết quả, tồn tại hạn chế, nguyên nhân)", rows: 5, text: assessment),
                Section(field: "nextTasks", title: "III. Nhiệm vụ trọng tâm kỳ tới", rows: 4, text: nextTasks),
                Section(field: "proposals", title: "IV. Kiến nghị, đề xuất", rows: 3, text: proposals)
            ]
        }
    }

    /// A stale save: someone else saved first. Carries what changed since.
    struct Conflict: Error {
        let currentVersion: Int
        let changes: [(code: String, theirs: String, yours: String)]
    }

    /// A transaction, queued behind other writes on SQLite.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let database = self.database
        guard let writeGate else { return try await database.transaction(body) }
        return try await writeGate.run { try await database.transaction(body) }
    }

    /// A report the current user may read, with its deadline. Given the period
    /// before the report's, also which accepted report of that period its
    /// warnings compare against (`Report.previousStamp`), in the same query.
    /// `prefetched`: the report as the session read brought it (`ReportPrefetch`).
    func find(_ id: UUID?, previousPeriodKey: String? = nil, prefetched: Report? = nil) async throws -> Report {
        guard let id else { throw ServiceError(.notFound, "Không tìm thấy báo cáo.") }
        if let prefetched, prefetched.id == id, previousPeriodKey == nil { return try await readable(prefetched) }
        let sql: SQLQueryString
        if let previousPeriodKey {
            // One row: the report, its deadline, and the first accepted report of the previous period, if any.
            sql = """
                SELECT r.*, a.deadline, p.id AS previous_id, p.version AS previous_version
                FROM reports r JOIN assignments a ON a.id = r.assignment_id
                \(ReportStamp.previousAcceptedJoin(previousPeriodKey))
                WHERE r.id = \(bind: id) ORDER BY p.id LIMIT 1
                """
        } else {
            sql = """
                SELECT r.*, a.deadline FROM reports r JOIN assignments a ON a.id = r.assignment_id WHERE r.id = \(bind: id)
                """
        }
        guard let report = try await self.sql.raw(sql).first().map({ try Report(row: $0) }) else {
            throw ServiceError(.notFound, "Không tìm thấy báo cáo.")
        }
        return try await readable(report)
    }

    /// The report, if the current user may read it.
    private func readable(_ report: Report) async throws -> Report {
        guard try await currentAccess().canRead(unitCode: report.unitCode) else {
            throw ServiceError(.forbidden, "Bạn không có quyền xem báo cáo của đơn vị này.")
        }
        return report
    }

    func form(of report: Report) throws -> CompiledForm {
        guard let form = library.form(report.formID) else {
            throw ServiceError(.internalError, "Biểu mẫu \(report.formID) không còn trong hệ thống.")
        }
        return form
    }

    /// The data-entry page and every save read these; plain SQL keeps Fluent's
    /// per-row reflection off that path.
    var sql: any SQLDatabase { get throws { try database.requireSQL() } }

    func values(of report: Report) async throws -> [ReportValue] {
        try await sql.raw(
            """
            SELECT \(unsafeRaw: ReportValuesTable.columns.joined(separator: ", ")) FROM \(ident: ReportValuesTable.table) \
            WHERE \(ident: ReportValuesTable.reportID) = \(bind: report.requireID())
            """
        ).all().map(ReportValue.init(row:))
    }

    /// The value and note changes made in `report` after `version`, from the
    /// audit trail; entries older than versions in the trail come too, as
    /// their version is unknown.
    func cellChanges(of report: Report, after version: Int) async throws -> [TemplateMerge.Change] {
        let rows = try await sql.raw(
            """
            SELECT code, action, version, old_value FROM audit_entries
            WHERE report_id = \(bind: report.requireID()) AND action IN ('value', 'note') AND code IS NOT NULL
              AND (version IS NULL OR version > \(bind: version))
            """
        ).all()
        return try rows.map { row in
            TemplateMerge.Change(
                code: try row.decode(column: "code", as: String.self),
                field: try row.decode(column: "action", as: String.self) == "note" ? .note : .value,
                version: try row.decode(column: "version", as: Int?.self),
                from: try row.decode(column: "old_value", as: String?.self))
        }
    }

    /// Validates a report's stored values with the core validator.
    func validate(_ report: Report, values: [ReportValue], unitKind: UnitKind?) async throws -> ValidationReport {
        let previous = try await previousValues(of: report)
        return Validator(form: try form(of: report)).validate(
            entries: Self.entries(values), notes: Self.notes(values), unitKind: unitKind, previous: previous)
    }

    /// The same unit's accepted values for the previous period of the same form.
    func previousValues(of report: Report) async throws -> [String: ExactNumber]? {
        guard let period = Period(key: report.periodKey) else { return nil }
        // One query: the earlier report (if any) and its numbers together.
        let rows = try await sql.raw(
            """
            SELECT r.id AS report_id, v.code AS code, v.number AS number FROM reports r
            LEFT JOIN report_values v ON v.report_id = r.id
            WHERE r.unit_code = \(bind: report.unitCode) AND r.form_id = \(bind: report.formID)
              AND r.period_key = \(bind: period.previous.key) AND r.status = \(bind: ReportStatus.accepted.rawValue)
            ORDER BY r.id
            """
        ).all()
        guard let first = rows.first else { return nil }
        let earlier = try first.decode(column: "report_id", as: UUID.self)
        var result: [String: ExactNumber] = [:]
        for row in rows where try row.decode(column: "report_id", as: UUID.self) == earlier {
            if let code = try row.decode(column: "code", as: String?.self),
                let number = try row.decode(column: "number", as: String?.self).flatMap(ExactNumber.init(machine:))
            {
                result[code] = number
            }
        }
        return result
    }

    /// Saves a draft. Refuses a stale version, unknown codes and cells of
    /// headings; writes everything or nothing.
    func save(_ report: Report, _ submission: Submission, user: User) async throws -> ValidationReport {
        let values = try await store(report, submission, user: user)
        return try await validate(report, values: values, unitKind: try await currentTree()[report.unitCode]?.kind)
    }

    /// `save` without the validation afterwards: the web page shows it on the page the save redirects to.
    /// Returns the values stored now.
    @discardableResult
    func store(_ report: Report, _ submission: Submission, user: User) async throws -> [ReportValue] {
        let access = try await currentAccess()
        guard access.canEdit(report) || (submission.computed != nil && access.canFillFromDossiers(report)) else {
            throw ServiceError(
                .forbidden,
                report.status.isEditable
                    ? "Bạn không có quyền sửa báo cáo này."
                    : "Báo cáo đang ở trạng thái “\(report.status.label)”, không thể sửa.")
        }
        let form = try form(of: report)
        // Notes too: a note on an unknown code would be stored as a row of its own.
        for code in Set(submission.values.keys).union(submission.notes.keys).sorted() where form.slotByCode[code] == nil {
            throw ServiceError(.unprocessable, "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu mã \(code). Không có gì được lưu.")
        }
        try Self.checkLengths(submission, form: form)
        let reportID = try report.requireID()
        if submission.version != report.version {
            throw Conflict(currentVersion: report.version, changes: Self.changes(submission, against: try await values(of: report)))
        }
        try await requireNotesOnChangedComputed(report, submission, form: form)
        // The numbers to store; the checks run when the page is shown or the report sent.
        let parsed = Validator(form: form).parse(entries: submission.values)
        // A number beyond what a cell holds is refused at once, not stored to be flagged later.
        let tooLarge = parsed.problems.filter { $0.kind == .outOfRange }
        if !tooLarge.isEmpty {
            throw ServiceError(.unprocessable, tooLarge.prefix(5).map(\.message).joined(separator: " ") + " Không có gì được lưu.")
        }
        let numbers = parsed.values.compactMapValues { $0.number?.description }
        let narrative = submission.narrative ?? Self.narrative(of: report)
        let status: ReportStatus = report.status == .notStarted ? .draft : report.status
        let now = Date()
        var write = SaveWrite(
            reportID: reportID, version: submission.version, previousStatus: report.status, status: status,
            narrative: narrative, at: now, username: user.username,
            values: submission.values, notes: submission.notes, numbers: numbers)
        if submission.narrative != nil { write.previousNarrative = Self.narrative(of: report) }
        write.computed = submission.computed
        guard let stored = try await write.commit(on: database, gate: writeGate) else {
            let current = try await Report.find(reportID, on: database)?.version ?? submission.version
            throw Conflict(currentVersion: current, changes: Self.changes(submission, against: try await values(of: report)))
        }
        report.version = submission.version + 1
        report.status = status
        report.achievements = narrative.achievements
        report.assessment = narrative.assessment
        report.nextTasks = narrative.nextTasks
        report.proposals = narrative.proposals
        report.updatedAt = now
        return stored
    }

    /// A cell filled from dossier records keeps its figure unless the row says
    /// why it was changed: a changed figure without a note refuses the save.
    func requireNotesOnChangedComputed(_ report: Report, _ submission: Submission, form: CompiledForm) async throws {
        var marks: [String: ComputedValue] = [:]
        if let computed = submission.computed {
            for mark in computed { marks[mark.code] = mark }
        } else {
            marks = try await ComputedValue.all(ofReport: try report.requireID(), on: sql)
        }
        let changed = marks.values.filter { mark in submission.values[mark.code].map { !Self.sameFigure($0, mark.value) } ?? false }
        guard !changed.isEmpty else { return }
        var storedNotes: [String: String] = [:]
        if changed.contains(where: { submission.notes[$0.code] == nil }) {
            for value in try await values(of: report) { if let note = value.note { storedNotes[value.code] = note } }
        }
        let unexplained = changed.filter { (submission.notes[$0.code] ?? storedNotes[$0.code] ?? "").trimmed.isEmpty }
            .sorted { (form.slotByCode[$0.code] ?? Int.max) < (form.slotByCode[$1.code] ?? Int.max) }
        guard let first = unexplained.first else { return }
        let name = form.slotByCode[first.code].map { " “\(form.indicators[$0].name)”" } ?? ""
        let typed = (submission.values[first.code] ?? "").trimmed
        let more =
            unexplained.count > 1
            ? " (và \(unexplained.count - 1) chỉ tiêu khác: \(unexplained.dropFirst().map(\.code).joined(separator: ", ")))" : ""
        throw ServiceError(
            .unprocessable,
            "Chỉ tiêu \(first.code)\(name) được \(first.label) là \(first.value); "
                + "bạn sửa thành “\(typed.isEmpty ? "(trống)" : typed)” mà chưa ghi chú\(more). "
                + "Hãy ghi lý do sửa vào ô Ghi chú của dòng này rồi lưu lại. Không có gì được lưu.")
    }

    /// The same number (29.140 = 29140), or the same text when either is no number.
    static func sameFigure(_ typed: String, _ computed: String) -> Bool {
        if case .success(let a) = VietnameseNumber.parse(typed), case .success(let b) = VietnameseNumber.parse(computed) {
            return a.normalized == b.normalized
        }
        return typed.trimmed == computed.trimmed
    }

    static func narrative(of report: Report) -> Narrative {
        Narrative(
            achievements: report.achievements, assessment: report.assessment, nextTasks: report.nextTasks, proposals: report.proposals)
    }

    /// Every text of a save within its limit (`TextLimits`), or the save is refused whole.
    static func checkLengths(_ submission: Submission, form: CompiledForm) throws {
        func refuse(_ what: String, _ count: Int, _ limit: Int) -> ServiceError {
            ServiceError(
                .unprocessable,
                "\(what) quá dài: \(TextLimits.label(count)) ký tự, tối đa \(TextLimits.label(limit)) ký tự. "
                    + "Hãy rút gọn rồi lưu lại. Không có gì được lưu.")
        }
        for (code, text) in submission.values.sorted(by: { $0.key < $1.key }) where text.count > TextLimits.cell {
            let computed = form.slotByCode[code].map { form.indicators[$0].isComputed } ?? false
            if !computed { throw refuse("Ô chỉ tiêu \(code)", text.count, TextLimits.cell) }
        }
        for (code, text) in submission.notes.sorted(by: { $0.key < $1.key }) where text.count > TextLimits.note {
            throw refuse("Ghi chú của chỉ tiêu \(code)", text.count, TextLimits.note)
        }
        for section in submission.narrative?.sections ?? [] where section.text.count > TextLimits.narrativeSection {
            throw refuse("Phần “\(section.title)”", section.text.count, TextLimits.narrativeSection)
        }
    }

    /// NULL for a missing text, the same on SQLite and PostgreSQL.
    static func bindOrNull(_ text: String?) -> any SQLExpression {
        text.map { SQLBind($0) } ?? SQLLiteral.null
    }

    static func entries(_ values: [ReportValue]) -> [String: String] {
        var entries: [String: String] = [:]
        for value in values { entries[value.code] = value.raw }
        return entries
    }

    static func notes(_ values: [ReportValue]) -> [String: String] {
        var notes: [String: String] = [:]
        for value in values { if let note = value.note { notes[value.code] = note } }
        return notes
    }

    /// The cells the stale submission would change, against what is stored.
    static func changes(_ submission: Submission, against stored: [ReportValue]) -> [(code: String, theirs: String, yours: String)] {
        var byCode: [String: ReportValue] = [:]
        for value in stored { byCode[value.code] = value }
        return submission.values.compactMap { code, yours -> (String, String, String)? in
            let theirs = byCode[code]?.raw ?? ""
            return theirs == yours.trimmingCharacters(in: .whitespaces) ? nil : (code, theirs, yours)
        }.sorted { $0.0 < $1.0 }
    }

    enum Action: String, Codable, CaseIterable {
        case askApproval = "ask_approval"
        case send
        case returnReport = "return"
        case accept, reopen
    }

    /// Moves a report through the workflow, checking role and state.
    func perform(_ action: Action, on report: Report, comment: String?, user: User) async throws {
        let access = try await currentAccess()
        let reportID = try report.requireID()
        let old = report.status
        let oldComment = report.reviewComment
        if let comment, comment.count > TextLimits.reviewComment {
            throw ServiceError(
                .unprocessable,
                "Ý kiến quá dài: \(TextLimits.label(comment.count)) ký tự, tối đa "
                    + "\(TextLimits.label(TextLimits.reviewComment)) ký tự. Hãy rút gọn rồi thực hiện lại.")
        }
        let tree = try await currentTree()
        switch action {
        case .askApproval:
            guard access.canAskApproval(report) else { throw refused(action, report) }
            try await requireSendable(report, unitKind: tree[report.unitCode]?.kind)
            report.status = .awaitingApproval
        case .send:
            guard access.canSend(report) else { throw refused(action, report) }
            try await requireSendable(report, unitKind: tree[report.unitCode]?.kind)
            report.status = .sent
            report.sentAt = Date()
        case .returnReport:
            guard access.canReview(report), report.status == .sent else { throw refused(action, report) }
            guard let comment, !comment.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ServiceError(.unprocessable, "Khi trả lại báo cáo, hãy ghi rõ lý do để đơn vị sửa.")
            }
            report.status = .returned
            report.reviewComment = comment
        case .accept:
            guard access.canReview(report), report.status == .sent else { throw refused(action, report) }
            report.status = .accepted
            report.acceptedAt = Date()
        case .reopen:
            guard access.canReview(report), report.status == .accepted else { throw refused(action, report) }
            let snapshot = try await snapshotJSON(report)
            try await writeTransaction { db in
                try await ReportRevision(reportID: reportID, revision: report.revision, snapshot: snapshot, createdAt: Date()).save(on: db)
                report.revision += 1
                report.status = .returned
                report.reviewComment = comment
                try await Self.claimNextVersion(of: report, on: db)
                try await report.save(on: db)
                try await Self.auditStep(report, from: old, comment: oldComment, user: user, on: db)
                try await notify(action, report, comment: comment, user: user, tree: tree, on: db)
            }
            return
        }
        try await writeTransaction { db in
            try await Self.claimNextVersion(of: report, on: db)
            try await report.save(on: db)
            try await Self.auditStep(report, from: old, comment: oldComment, user: user, on: db)
            try await notify(action, report, comment: comment, user: user, tree: tree, on: db)
        }
    }

    /// The step's emails, as outbox rows in the step's own transaction (`WorkflowMail`).
    private func notify(_ action: Action, _ report: Report, comment: String?, user: User, tree: UnitTree, on db: any Database) async throws
    {
        guard let mail, let sql = db as? any SQLDatabase else { return }
        let subject = try await WorkflowMail.subject(of: report, library: library, tree: tree, on: sql)
        try await mail.notify(action.mailEvent, subject, actor: user.displayName, comment: comment, on: sql)
    }

    /// A workflow step's audit trail: the state, and the review comment when it changed.
    static func auditStep(
        _ report: Report, from old: ReportStatus, comment oldComment: String?, user: User,
        on db: any Database
    ) async throws {
        let reportID = try report.requireID(), now = Date()
        try await AuditEntry(
            reportID: reportID, username: user.username, at: now, action: AuditEntry.Action.status.rawValue,
            oldValue: old.rawValue, newValue: report.status.rawValue, version: report.version
        ).save(on: db)
        if report.reviewComment != oldComment {
            try await AuditEntry(
                reportID: reportID, username: user.username, at: now, action: AuditEntry.Action.reviewComment.rawValue,
                oldValue: oldComment, newValue: report.reviewComment, version: report.version
            ).save(on: db)
        }
    }

    /// A workflow step writes the whole report row it read; it first claims
    /// the next version, as a save does, so that a save landed meanwhile is
    /// never overwritten (nor a cached page left showing the old one).
    static func claimNextVersion(of report: Report, on db: any Database) async throws {
        let claimed = try await (try db.requireSQL()).update(Report.schema)
            .set("version", to: report.version + 1)
            .where("id", .equal, try report.requireID())
            .where("version", .equal, report.version)
            .returning("id")
            .all()
        guard !claimed.isEmpty else {
            throw ServiceError(
                .conflict,
                "Báo cáo vừa được người khác lưu hoặc chuyển trạng thái sau khi bạn mở trang. Hãy tải lại trang, xem lại rồi thực hiện lại."
            )
        }
        report.version += 1
    }

    func refused(_ action: Action, _ report: Report) -> ServiceError {
        ServiceError(
            .forbidden, "Không thể thực hiện thao tác này với báo cáo ở trạng thái “\(report.status.label)” bằng vai trò hiện tại.")
    }

    /// Errors block sending; warnings need a note.
    func requireSendable(_ report: Report, unitKind: UnitKind?) async throws {
        let validation = try await validate(report, values: try await values(of: report), unitKind: unitKind)
        let blocking = validation.problems.filter(\.blocksSending)
        guard blocking.isEmpty else {
            let first = blocking.prefix(3).map { "\($0.code): \($0.message)" }.joined(separator: " ")
            throw ServiceError(.unprocessable, "Chưa thể gửi: còn \(blocking.count) lỗi hoặc cảnh báo chưa ghi chú. \(first)")
        }
    }

    func snapshotJSON(_ report: Report) async throws -> String {
        var cells: [String: String] = [:]
        for value in try await values(of: report) { cells[value.code] = value.raw }
        let documents = try await DocumentEntry.all(ofReport: try report.requireID(), on: database)
            .sorted { ($0.issuedOn ?? "", $0.number) < ($1.issuedOn ?? "", $1.number) }.map {
                ReportRevision.Snapshot.Document(
                    kind: $0.kind, number: $0.number, issuedOn: $0.issuedOn, issuer: $0.issuer, summary: $0.summary)
            }
        let data = try JSONEncoder().encode(
            ReportRevision.Snapshot(
                values: cells,
                narrative: Narrative(
                    achievements: report.achievements, assessment: report.assessment, nextTasks: report.nextTasks,
                    proposals: report.proposals),
                documents: documents))
        return String(decoding: data, as: UTF8.self)
    }
}
