import Fluent
import ReportingCore
import Vapor

/// The data-entry page of a report, as its controller and the controllers
/// that answer on it (Excel upload, Phụ lục I) render it.
enum ReportPageRenderer {
    /// `savedVersion`: the version a save just wrote (the page after a save says how it went).
    static func render(
        _ req: Request, report: Report, message: String?, conflict: [ReportPage.ConflictRow],
        overrides: (values: [String: String], notes: [String: String])?, savedVersion: Int? = nil
    ) async throws -> View {
        let service = ReportService(request: req)
        let access = try await req.access()
        let form = try service.form(of: report)
        let stored = try await service.values(of: report)
        var cells: [String: (raw: String, note: String?)] = [:]
        for value in stored { cells[value.code] = (value.raw, value.note) }
        if let overrides {
            for (code, raw) in overrides.values { cells[code] = (raw, overrides.notes[code] ?? cells[code]?.note) }
        }
        let tree = access.tree
        let marks = try await ComputedValue.all(ofReport: try report.requireID(), on: service.sql)
        let validation = Validator(form: form).validate(
            entries: cells.mapValues(\.raw), notes: cells.compactMapValues(\.note), unitKind: tree[report.unitCode]?.kind,
            previous: try await service.previousValues(of: report), mode: .drafting)
        var message = message
        if let savedVersion {
            message =
                savedVersion != report.version
                ? "Đã lưu phiên bản \(savedVersion). Sau đó báo cáo đã được lưu tiếp (nay là phiên bản \(report.version)); bên dưới là bản mới nhất."
                : validation.problems.isEmpty && validation.missingRequired.isEmpty
                    ? "Đã lưu. Không có lỗi."
                    : validation.problems.isEmpty
                        ? "Đã lưu. Không có lỗi; còn \(validation.missingRequired.count) chỉ tiêu bắt buộc chưa nhập trước khi gửi."
                        : "Đã lưu. Còn \(validation.errors.count) lỗi và \(validation.warnings.filter { !$0.acknowledged }.count) cảnh báo cần xử lý trước khi gửi."
        }
        let documents = try await DocumentEntry.all(ofReport: report.requireID(), on: req.db)
        let narrativeSections = ReportService.narrative(of: report).sections
        let checked = NarrativeReview.check(
            narrative: ReportService.narrative(of: report), form: form, periodKey: report.periodKey, cells: cells.mapValues(\.raw),
            documents: documents, unitKind: tree[report.unitCode]?.kind,
            acknowledgements: try await NarrativeReview.acknowledgements(of: report.requireID(), on: req.db))
        let narrative = NarrativeSectionView.make(narrativeSections, checked: checked)
        // `find` reads every report with its assignment's deadline.
        let deadline = report.deadline ?? ""
        var page = ReportPage(
            layout: try await .make(req, title: form.form.displayTitle),
            reportID: try report.requireID().uuidString, formTitle: form.form.title,
            unitName: tree[report.unitCode]?.name ?? report.unitCode,
            period: Period(key: report.periodKey)?.label ?? report.periodKey,
            deadline: CivilDate(iso: deadline)?.vietnamese ?? deadline,
            status: report.status.label, statusKey: report.status.rawValue, version: report.version, revision: report.revision,
            grid: FormGridHTML.render(
                ReportPage.rows(
                    form: form, values: cells, validation: validation, unitKind: tree[report.unitCode]?.kind,
                    marks: marks),
                editable: access.canEdit(report)),
            editable: access.canEdit(report), canAskApproval: access.canAskApproval(report), canSend: access.canSend(report),
            canReview: access.canReview(report) && report.status == .sent,
            canReopen: access.canReview(report) && report.status == .accepted,
            reviewComment: report.reviewComment, errorCount: validation.errors.count,
            warningCount: validation.warnings.filter { !$0.acknowledged }.count,
            missingRequired: validation.missingRequired.count, message: message, conflict: conflict,
            narrative: narrative)
        page.narrativeNotice = NarrativeSectionView.sendingNotice(narrative)
        page.canFillFromDossiers = access.canFillFromDossiers(report)
        page.documents = DocumentRegisterView(
            reportID: try report.requireID().uuidString, stored: documents,
            periodKey: report.periodKey, pending: req.storage[DocumentRegisterView.PendingKey.self], editable: access.canEdit(report))
        return try await req.view.render("report", page)
    }
}
