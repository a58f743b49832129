import Fluent
import Foundation
import ReportingCore
import SQLKit
import Vapor

/// What happened to one demo report by the day the demo is loaded.
enum DemoFate: Equatable {
    case notStarted, draft, awaitingApproval, sent, accepted
    /// Returned now, with the reviewer's comment on a row.
    case returned
    /// Returned with a row comment, corrected, sent again and accepted.
    case returnedThenAccepted
    /// Returned with a row comment, corrected and sent again: waiting for review.
    case resent
    /// Returned because of a real error in its figures, still there.
    case returnedWithError
    /// Accepted, then reopened by the reviewer into a second revision.
    case reopened
}

/// Which demo report meets which fate: fixed by the units' codes, not by chance.
enum DemoFates {
    static func rank(_ units: [ReportingUnit], _ salt: String) -> [ReportingUnit] {
        units.sorted { DemoFigures.noise(salt + $0.code) < DemoFigures.noise(salt + $1.code) }
    }

    static func fates(period: DemoPlan.PeriodPlan, units: [ReportingUnit], today: CivilDate, deadline: CivilDate) -> [String: DemoFate] {
        var fates: [String: DemoFate] = [:]
        let lower = units.filter { $0.kind != .province }
        let key = period.periodKey
        if key == "2024-Q1" {
            for unit in rank(lower, key).prefix(5) { fates[unit.code] = .returnedThenAccepted }
        } else if key == "2024-H1" {
            fates[DemoProvince.districtCode] = .reopened
            let others = rank(lower.filter { $0.code != DemoProvince.districtCode }, key)
            for unit in others.prefix(3) { fates[unit.code] = .resent }
            for unit in others.dropFirst(3).filter({ $0.kind == .commune }).prefix(2) { fates[unit.code] = .returnedWithError }
        } else if period.twoLevel && deadline < today {
            // Last quarter: the deadline has passed; most are in, a few are late.
            for (index, unit) in rank(lower, key).enumerated() {
                let share = Double(index) / Double(max(lower.count, 1))
                fates[unit.code] = share < 0.04 ? .notStarted : share < 0.09 ? .draft : share < 0.15 ? .sent : .accepted
            }
            // The province's own report cannot pass egov-2024 on the two-level tree: its cấp huyện rows are
            // required and there is no district to fill them. It stays a draft.
            for unit in units where unit.kind == .province { fates[unit.code] = .draft }
        } else if period.twoLevel {
            // This quarter: open, the deadline ahead.
            for (index, unit) in rank(lower, key).enumerated() {
                let share = Double(index) / Double(max(lower.count, 1))
                fates[unit.code] =
                    share < 0.25
                    ? .notStarted
                    : share < 0.5
                        ? .draft
                        : share < 0.6
                            ? .awaitingApproval
                            : share < 0.8 ? .sent : share < 0.85 ? .returned : .accepted
            }
            fates[DemoProvince.communeCode] = .draft
            for unit in units where unit.kind == .province { fates[unit.code] = .notStarted }
        }
        return fates
    }
}

/// The demo's rows, built in memory and written in a few multi-row inserts.
struct DemoBatch {
    var assignments: [Assignment] = []
    var reports: [Report] = []
    var values: [ReportValue] = []
    var audit: [AuditEntry] = []
    var revisions: [ReportRevision] = []

    /// Rows per INSERT: far below SQLite's and PostgreSQL's limits on bound parameters.
    static let chunk = 400

    static func insert<M: Model>(_ models: [M], on db: any Database) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + chunk, models.count)
            try await Array(models[start..<end]).create(on: db)
            start = end
        }
    }

    func write(on db: any Database) async throws {
        try await Self.insert(assignments, on: db)
        try await Self.insert(reports, on: db)
        // The bulk of the rows: plain SQL, without Fluent's per-model work (the same binds Fluent would send).
        if let sql = db as? any SQLDatabase {
            try await Self.insert(
                rows: values.map { value -> [any Encodable & Sendable] in
                    [value.id ?? UUID(), value.$report.id, value.code, value.raw, value.number, value.note, value.reviewComment]
                }, into: ReportValue.schema, columns: ["id", "report_id", "code", "raw", "number", "note", "review_comment"], on: sql)
            try await Self.insert(
                rows: audit.map { entry -> [any Encodable & Sendable] in
                    [
                        entry.id ?? UUID(), entry.reportID, entry.username, entry.at, entry.action, entry.code, entry.oldValue,
                        entry.newValue, entry.version
                    ]
                }, into: AuditEntry.schema,
                columns: [
                    "id", "report_id", "username", "at", "action", "code", "old_value", "new_value",
                    "version"
                ], on: sql)
        } else {
            try await Self.insert(values, on: db)
            try await Self.insert(audit, on: db)
        }
        try await Self.insert(revisions, on: db)
    }

    static func insert(rows: [[any Encodable & Sendable]], into table: String, columns: [String], on sql: any SQLDatabase) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + chunk, rows.count)
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert = insert.values(row) }
            try await insert.run()
            start = end
        }
    }

    /// A moment of a civil day, Vietnam time.
    static func instant(_ day: CivilDate, hour: Int) -> Date {
        Date(timeIntervalSince1970: Double(day.dayNumber * 86_400 + (hour - 7) * 3_600))
    }

    static func number(_ raw: String) -> String? {
        if case .success(let number) = VietnameseNumber.parse(raw) { return number.description }
        return nil
    }

    /// The row a reviewer comments on: the online dossiers of the period.
    static func commentedRow(_ form: CompiledForm) -> String { form.id == "egov-2022" ? "6.4.2" : "6.3.2" }

    mutating func add(
        unit: ReportingUnit, form: CompiledForm, assignment: Assignment, entries: [String: String],
        fate: DemoFate, deadline: CivilDate
    ) {
        guard let assignmentID = assignment.id else { return }
        let report = Report(assignmentID: assignmentID, unitCode: unit.code, formID: form.id, periodKey: assignment.periodKey)
        let reportID = UUID()
        report.id = reportID
        // Every row of a multi-row insert names the same columns: optional ones are set, to nil if need be.
        report.reviewComment = nil
        report.sentAt = nil
        report.acceptedAt = nil
        let officer = unit.code == DemoProvince.provinceCode ? "tinh.nhaplieu" : "nhaplieu." + unit.code.lowercased()
        let leader = unit.code == DemoProvince.provinceCode ? "sotttt" : "lanhdao." + unit.code.lowercased()
        let reviewer = "sotttt"
        let spread = Int(DemoFigures.noise("sent" + assignment.periodKey + unit.code) * 6)
        let sentDay = deadline.adding(days: -1 - spread)
        var cells = entries
        let row = Self.commentedRow(form)
        var rowComment: String?
        // Form order, so that a draft holds the first rows.
        let ordered = form.indicators.map(\.code).filter { cells[$0] != nil }

        func step(_ from: ReportStatus, _ to: ReportStatus, by user: String, on day: CivilDate, hour: Int, version: Int) {
            audit.append(
                AuditEntry(
                    reportID: reportID, username: user, at: Self.instant(day, hour: hour), action: AuditEntry.Action.status.rawValue,
                    oldValue: from.rawValue, newValue: to.rawValue, version: version))
        }
        func comment(_ text: String, by user: String, on day: CivilDate, version: Int) {
            audit.append(
                AuditEntry(
                    reportID: reportID, username: user, at: Self.instant(day, hour: 10),
                    action: AuditEntry.Action.reviewComment.rawValue, newValue: text, version: version))
        }
        func sendPath(on day: CivilDate, from: ReportStatus, version: Int) {
            step(from, .awaitingApproval, by: officer, on: day, hour: 9, version: version)
            step(.awaitingApproval, .sent, by: leader, on: day, hour: 15, version: version + 1)
        }

        switch fate {
        case .notStarted:
            cells = [:]
        case .draft:
            cells = cells.filter { code, _ in ordered.prefix(max(ordered.count * 3 / 5, 1)).contains(code) }
            report.status = .draft
            report.version = 1
        case .awaitingApproval:
            report.status = .awaitingApproval
            report.version = 2
            step(.draft, .awaitingApproval, by: officer, on: sentDay, hour: 9, version: 2)
        case .sent:
            report.status = .sent
            report.version = 3
            report.sentAt = Self.instant(sentDay, hour: 15)
            sendPath(on: sentDay, from: .draft, version: 2)
        case .accepted:
            report.status = .accepted
            report.version = 4
            report.sentAt = Self.instant(sentDay, hour: 15)
            report.acceptedAt = Self.instant(sentDay.adding(days: 1), hour: 10)
            sendPath(on: sentDay, from: .draft, version: 2)
            step(.sent, .accepted, by: reviewer, on: sentDay.adding(days: 1), hour: 10, version: 4)
        case .returned:
            report.status = .returned
            report.version = 4
            report.sentAt = Self.instant(sentDay, hour: 15)
            let text = "Đề nghị đơn vị kiểm tra lại số hồ sơ nộp trực tuyến so với kỳ trước và ghi chú nguyên nhân."
            report.reviewComment = text
            rowComment = "Số liệu chỉ tiêu này cần được giải trình."
            sendPath(on: sentDay, from: .draft, version: 2)
            step(.sent, .returned, by: reviewer, on: sentDay.adding(days: 1), hour: 10, version: 4)
            comment(text, by: reviewer, on: sentDay.adding(days: 1), version: 4)
        case .returnedThenAccepted, .resent:
            let returnedDay = sentDay.adding(days: 1), resentDay = sentDay.adding(days: 2)
            let text = "Chỉ tiêu \(row): số hồ sơ nộp trực tuyến chưa khớp với số liệu trên Cổng DVC của tỉnh, đề nghị rà soát."
            sendPath(on: sentDay.adding(days: -1), from: .draft, version: 2)
            step(.sent, .returned, by: reviewer, on: returnedDay, hour: 10, version: 4)
            comment(text, by: reviewer, on: returnedDay, version: 4)
            // The officer's correction: the figure as first sent was one too many.
            if let raw = cells[row], let value = Int(raw) {
                audit.append(
                    AuditEntry(
                        reportID: reportID, username: officer, at: Self.instant(resentDay, hour: 8),
                        action: AuditEntry.Action.value.rawValue, code: row, oldValue: String(value + 1), newValue: raw, version: 5))
            }
            sendPath(on: resentDay, from: .returned, version: 5)
            report.sentAt = Self.instant(resentDay, hour: 15)
            if fate == .resent {
                report.status = .sent
                report.version = 6
                report.reviewComment = text
                rowComment = "Đã trả lại: số hồ sơ nộp trực tuyến chưa khớp với Cổng DVC của tỉnh. Đơn vị đã sửa, gửi lại."
            } else {
                report.status = .accepted
                report.version = 7
                report.acceptedAt = Self.instant(resentDay.adding(days: 1), hour: 10)
                step(.sent, .accepted, by: reviewer, on: resentDay.adding(days: 1), hour: 10, version: 7)
            }
        case .returnedWithError:
            // A real data-entry error, as in the seeds: online dossiers above their total.
            let total = form.slotByCode["6.3.1"] != nil && form.id == "egov-2024" ? "6.3.1" : "6.4.1"
            if let whole = cells[total].flatMap({ Int($0) }) {
                cells[row] = String(whole + 12)
                cells.removeValue(forKey: form.id == "egov-2024" ? "6.3" : "6.4")
            }
            let text = "Chỉ tiêu \(row) lớn hơn tổng số hồ sơ (\(total)): đề nghị sửa số liệu rồi gửi lại."
            report.status = .returned
            report.version = 4
            report.sentAt = Self.instant(sentDay, hour: 15)
            report.reviewComment = text
            rowComment = "Số hồ sơ nộp trực tuyến không thể lớn hơn tổng số hồ sơ."
            sendPath(on: sentDay, from: .draft, version: 2)
            step(.sent, .returned, by: reviewer, on: sentDay.adding(days: 1), hour: 10, version: 4)
            comment(text, by: reviewer, on: sentDay.adding(days: 1), version: 4)
        case .reopened:
            let acceptedDay = sentDay.adding(days: 1), reopenedDay = deadline.adding(days: 30)
            sendPath(on: sentDay, from: .draft, version: 2)
            step(.sent, .accepted, by: reviewer, on: acceptedDay, hour: 10, version: 4)
            let text = "Mở lại để cập nhật số hồ sơ một phần theo số liệu đã đối soát với Cổng DVC quốc gia."
            step(.accepted, .returned, by: reviewer, on: reopenedDay, hour: 9, version: 5)
            comment(text, by: reviewer, on: reopenedDay, version: 5)
            let snapshot = ReportRevision.Snapshot(
                values: cells,
                narrative: ReportService.Narrative(
                    achievements: "", assessment: "", nextTasks: "", proposals: ""), documents: [])
            if let data = try? JSONEncoder().encode(snapshot) {
                revisions.append(
                    ReportRevision(
                        reportID: reportID, revision: 1, snapshot: String(decoding: data, as: UTF8.self),
                        createdAt: Self.instant(reopenedDay, hour: 9)))
            }
            report.status = .returned
            report.revision = 2
            report.version = 5
            report.reviewComment = text
            report.sentAt = Self.instant(sentDay, hour: 15)
            report.acceptedAt = Self.instant(acceptedDay, hour: 10)
        }
        if unit.code == DemoProvince.provinceCode && assignment.periodKey == DemoFigures.seedPeriod {
            report.achievements =
                "Quý I năm 2024, Chủ tịch UBND tỉnh đã ban hành 01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo về chuyển đổi số."
            report.assessment =
                "Hạ tầng kỹ thuật Trung tâm tích hợp dữ liệu tỉnh, Trung tâm Phục vụ hành chính công tỉnh tiếp tục vận hành ổn định."
            report.nextTasks = "Trình Chủ tịch UBND tỉnh ban hành Danh mục cơ sở dữ liệu dùng chung tỉnh Bắc Giang năm 2024 (cập nhật)."
        }
        reports.append(report)
        for code in form.indicators.map(\.code) {
            guard let raw = cells[code] else { continue }
            let value = ReportValue(reportID: reportID, code: code, raw: raw, number: Self.number(raw), note: nil)
            value.reviewComment = code == row ? rowComment : nil
            values.append(value)
        }
    }
}
