import Fluent
import ReportingCore
import SQLKit
import Vapor

/// Phụ lục I of a report: the documents issued in the period. Lines are
/// pasted (one document per line, read by `DocumentReference.parse`) or typed
/// field by field; entries can be deleted. Only while the report is editable.
struct DocumentController: RouteCollection {
    static let maxLines = 500

    func boot(routes: RoutesBuilder) throws {
        let documents = routes.grouped("reports", ":reportID", "documents")
        documents.post(use: add)
        documents.post(":documentID", "delete", use: delete)
    }

    struct DocumentForm: Content {
        /// "paste" (the textarea) or "manual" (the fields); absent: paste when lines are sent.
        var mode: String?
        var lines: String?
        var kind: String?
        var number: String?
        var date: String?
        var issuer: String?
        var summary: String?
    }

    /// The report, readable by the user and editable by them, or an error.
    func editableReport(_ req: Request) async throws -> Report {
        let report = try await ReportService(request: req).find(req.parameters.get("reportID").flatMap(UUID.init(uuidString:)))
        guard try await req.access().canEdit(report) else {
            throw Abort(
                .forbidden,
                reason: report.status.isEditable
                    ? "Bạn không có quyền sửa Phụ lục I của báo cáo này."
                    : "Báo cáo đang ở trạng thái “\(report.status.label)”, không thể sửa Phụ lục I.")
        }
        return report
    }

    func add(req: Request) async throws -> Response {
        let report = try await editableReport(req)
        let posted: DocumentForm
        do { posted = try req.content.decode(DocumentForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của Phụ lục I.")
        }
        var draft = DocumentRegisterView.Draft()
        draft.lines = posted.lines ?? ""
        draft.kind = posted.kind ?? draft.kind
        draft.number = posted.number ?? ""
        draft.date = posted.date ?? ""
        draft.issuer = posted.issuer ?? ""
        draft.summary = posted.summary ?? ""

        var references: [DocumentReference] = []
        var errors: [String] = []
        let pasting = posted.mode == "paste" || (posted.mode == nil && posted.lines != nil)
        if pasting && draft.lines.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.append(
                "Chưa dán dòng văn bản nào: mỗi dòng một văn bản, ví dụ “Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về …”.")
        } else if pasting {
            let result = DocumentRegister.parseLines(draft.lines)
            if result.references.count + result.failures.count > Self.maxLines {
                errors.append("Mỗi lần chỉ dán được tối đa \(Self.maxLines) dòng.")
            }
            for failure in result.failures {
                let text = failure.text.count > 80 ? String(failure.text.prefix(80)) + "…" : failure.text
                errors.append("Dòng \(failure.line) (“\(text)”): \(failure.error.description)")
            }
            if result.references.isEmpty && result.failures.isEmpty {
                errors.append("Không có dòng văn bản nào để thêm (chỉ có dòng tiêu đề mục).")
            }
            references = result.references.map(\.reference)
        } else {
            let number = draft.number.trimmingCharacters(in: .whitespaces)
            let summary = draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
            let issuer = draft.issuer.trimmingCharacters(in: .whitespaces)
            let kind = DocumentKind(rawValue: draft.kind)
            let date = CivilDate(vietnamese: draft.date)
            if kind == nil { errors.append("Loại văn bản “\(draft.kind)” không hợp lệ.") }
            if number.isEmpty { errors.append("Chưa nhập số, ký hiệu văn bản (ví dụ 98/QĐ-UBND).") }
            if number.count > 100 { errors.append("Số, ký hiệu văn bản quá dài (tối đa 100 ký tự).") }
            if date == nil {
                errors.append(
                    draft.date.trimmingCharacters(in: .whitespaces).isEmpty
                        ? "Chưa nhập ngày ban hành (dạng ngày/tháng/năm, ví dụ 31/01/2024)."
                        : "Ngày ban hành “\(draft.date)” không hợp lệ (dạng ngày/tháng/năm, ví dụ 31/01/2024).")
            }
            if issuer.count > 300 { errors.append("Tên cơ quan ban hành quá dài (tối đa 300 ký tự).") }
            if summary.isEmpty { errors.append("Chưa nhập trích yếu nội dung văn bản.") }
            if summary.count > 2000 { errors.append("Trích yếu quá dài (tối đa 2.000 ký tự).") }
            if let kind, let date, errors.isEmpty {
                references = [
                    DocumentReference(kind: kind, number: number, date: date, issuer: issuer.isEmpty ? nil : issuer, summary: summary)
                ]
            }
        }
        guard errors.isEmpty else {
            req.storage[DocumentRegisterView.PendingKey.self] = (draft, errors)
            let view = try await ReportPageRenderer.render(
                req, report: report, message: "Phụ lục I chưa được lưu: xem lỗi ở mục Phụ lục I bên dưới. Không có văn bản nào được thêm.",
                conflict: [], overrides: nil)
            let response = try await view.encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }

        let user = try req.requireUser()
        let reportID = try report.requireID()
        let now = Date()
        let accepted = references
        try await req.db.transaction { db in
            for reference in accepted {
                try await DocumentEntry(
                    reportID: reportID, kind: reference.kind.rawValue, number: reference.number,
                    issuedOn: reference.date.description, issuer: reference.issuer ?? "",
                    summary: reference.summary
                ).save(on: db)
                try await AuditEntry(
                    reportID: reportID, username: user.username, at: now, action: "document",
                    code: "Phụ lục I", oldValue: nil, newValue: reference.citation
                ).save(on: db)
            }
            // Starting on the appendix starts the report, as a first save does.
            if report.status == .notStarted {
                try await AuditEntry(
                    reportID: reportID, username: user.username, at: now, action: "status",
                    oldValue: report.status.rawValue, newValue: ReportStatus.draft.rawValue
                ).save(on: db)
                // Only the status: the rest of the row may have been saved since it was read.
                try await (try db.requireSQL()).update(Report.schema)
                    .set("status", to: ReportStatus.draft.rawValue)
                    .where("id", .equal, reportID).where("status", .equal, ReportStatus.notStarted.rawValue)
                    .run()
                report.status = .draft
            }
            try await DocumentsRevision.bump(reportID, on: db)
        }
        return req.redirect(to: "/reports/\(reportID.uuidString)#phu-luc-i")
    }

    func delete(req: Request) async throws -> Response {
        let report = try await editableReport(req)
        let reportID = try report.requireID()
        guard let id = req.parameters.get("documentID").flatMap(UUID.init(uuidString:)),
            let entry = try await DocumentEntry.query(on: req.db).filter(\.$id == id).filter(\.$report.$id == reportID).first()
        else {
            throw Abort(.notFound, reason: "Không tìm thấy văn bản này trong Phụ lục I của báo cáo.")
        }
        let user = try req.requireUser()
        try await req.db.transaction { db in
            try await entry.delete(on: db)
            try await DocumentsRevision.bump(reportID, on: db)
            try await AuditEntry(
                reportID: reportID, username: user.username, at: Date(), action: "document",
                code: "Phụ lục I", oldValue: entry.citation, newValue: nil
            ).save(on: db)
        }
        return req.redirect(to: "/reports/\(reportID.uuidString)#phu-luc-i")
    }

}
