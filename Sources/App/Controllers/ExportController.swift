import Fluent
import OfficeFormats
import ReportingCore
import Vapor

/// What the province gets out, and the Excel way in: the official report
/// (Word), any report, the consolidated table and the targets table as XLSX,
/// CSV and JSON, the Excel template of a report and its upload.
struct ExportController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let report = routes.grouped("reports", ":reportID")
        for format in ExportFormat.allCases {
            report.get("export.\(format.rawValue)") { req in try await self.exportReport(req, format: format) }
        }
        report.get("template.xlsx", use: template)
        report.on(.POST, "upload", body: .collect(maxSize: "2mb"), use: upload)
        routes.get("export", use: export)
    }

    func reportID(_ req: Request) -> UUID? { req.parameters.get("reportID").flatMap(UUID.init(uuidString:)) }

    // MARK: One report

    func exportReport(_ req: Request, format: ExportFormat) async throws -> Response {
        let report = try await ReportService(request: req).find(reportID(req))
        return try await respond(req, report: report, format: format)
    }

    func respond(_ req: Request, report: Report, format: ExportFormat) async throws -> Response {
        let access = try await req.access()
        let source = ExportSource(database: req.db, library: req.library, tree: access.tree, cache: req.consolidationCache)
        let name = "\(report.formID)_\(report.periodKey)_\(report.unitCode).\(format.rawValue)"
        if format == .docx {
            var options = try ExportOptions.documentOptions(try req.query.decode(ExportOptions.DocumentQuery.self))
            // Consolidated figures only for those who may see them; the unit's own otherwise.
            options.consolidate = access.canConsolidate(unitCode: report.unitCode)
            return Self.file(try await OfficialReportBuilder(source: source).build(report, options: options), name: name, format: format)
        }
        let data = try await source.load(report)
        return Self.file(try TableExport.reportTable(data).data(format), name: name, format: format)
    }

    // MARK: Any table by unit, period and form

    struct ExportQuery: Decodable {
        var unit: String?
        var period: String?
        var form: String?
        var format: String?
        /// report (default), consolidated or targets.
        var table: String?
        var consolidated: String?
        var plan: String?
        var basis: String?
    }

    func export(req: Request) async throws -> Response {
        let query = try req.query.decode(ExportQuery.self)
        let access = try await req.access()
        let formatKey = query.format.nonBlank ?? "xlsx"
        guard let format = ExportFormat(rawValue: formatKey.lowercased()) else {
            throw Abort(.badRequest, reason: "Định dạng “\(formatKey)” không hợp lệ: docx, xlsx, csv hoặc json.")
        }
        let unitCode = query.unit.nonBlank ?? access.user.unitCode
        guard let unit = access.tree[unitCode] else { throw Abort(.notFound, reason: "Không có đơn vị mã “\(unitCode)”.") }
        let wantsConsolidated = ["1", "true", "yes", "on"].contains(query.consolidated?.lowercased() ?? "")
        let table = query.table.nonBlank ?? (wantsConsolidated ? "consolidated" : (query.plan.nonBlank != nil ? "targets" : "report"))
        guard let periodKey = query.period.nonBlank else {
            throw Abort(.badRequest, reason: "Hãy chọn kỳ báo cáo (tham số period, ví dụ period=2024-Q1).")
        }
        let source = ExportSource(database: req.db, library: req.library, tree: access.tree, cache: req.consolidationCache)
        switch table {
        case "report":
            guard access.canRead(unitCode: unit.code) else {
                throw Abort(.forbidden, reason: "Bạn không có quyền xem báo cáo của \(unit.name).")
            }
            guard let formID = query.form.nonBlank else {
                throw Abort(.badRequest, reason: "Hãy chọn biểu mẫu (tham số form, ví dụ form=egov-2024).")
            }
            let report = try await source.report(unit: unit.code, period: periodKey, form: formID)
            return try await respond(req, report: report, format: format)
        case "consolidated", "targets":
            guard access.canConsolidate(unitCode: unit.code) else {
                throw Abort(
                    .forbidden,
                    reason:
                        "Bạn không có quyền xem số liệu tổng hợp của \(unit.name). Chỉ cán bộ tiếp nhận của đơn vị hoặc cấp trên, lãnh đạo đơn vị và quản trị hệ thống mới xem được."
                )
            }
            let exported: ExportTable
            if table == "consolidated" {
                guard let formID = query.form.nonBlank else {
                    throw Abort(.badRequest, reason: "Hãy chọn biểu mẫu (tham số form, ví dụ form=egov-2024).")
                }
                exported = try await TableExport.consolidatedTable(
                    source: source, unitCode: unit.code, formID: formID,
                    periodKey: periodKey, basis: try ExportOptions.basis(query.basis))
            } else {
                guard let planID = query.plan.nonBlank else {
                    throw Abort(.badRequest, reason: "Hãy chọn kế hoạch (tham số plan, ví dụ plan=kh48-2024).")
                }
                guard let period = Period(key: periodKey) else {
                    throw Abort(.badRequest, reason: PeriodKeyError(text: periodKey).description)
                }
                exported = TableExport.targetsTable(
                    try await source.targets(plan: try await source.plan(planID), unit: unit, periodKey: period.key))
            }
            let name = "\(table)_\(exported.info.first?.value ?? "")_\(periodKey)_\(unit.code).\(format.rawValue)"
            return Self.file(try exported.data(format), name: name, format: format)
        default:
            throw Abort(.badRequest, reason: "Bảng “\(table)” không hợp lệ: report, consolidated hoặc targets.")
        }
    }

    static func file(_ data: Data, name: String, format: ExportFormat) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = format.mediaType
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    // MARK: Excel in

    func template(req: Request) async throws -> Response {
        let report = try await ReportService(request: req).find(reportID(req))
        let source = ExportSource(database: req.db, library: req.library, tree: try await req.unitTree(), cache: req.consolidationCache)
        let data = try await source.load(report)
        let bytes = try XLSXWriter().write(ExcelTemplate.workbook(data))
        return Self.file(bytes, name: ExcelTemplate.fileName(data), format: .xlsx)
    }

    /// The filled template, through the same save as the web form; refused
    /// files get the report page with the reason, status 422, nothing written.
    func upload(req: Request) async throws -> Response {
        let action = try await ReportPageAction.begin(
            req, allowed: { $0.canEdit($1) }, refusal: "Bạn không có quyền sửa báo cáo này.", action: "nhập số liệu")
        let (service, report, access) = (action.service, action.report, action.access)
        func page(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            try await action.page(message, status: status)
        }
        guard let file = action.chosenFile() else {
            return try await page(
                "Chưa chọn tệp: hãy chọn tệp Excel (.xlsx) đã tải về từ trang này và nhập số liệu. Không có gì được lưu.",
                status: .unprocessableEntity)
        }
        let name = file.filename.isEmpty ? "tệp tải lên" : file.filename
        do {
            let parsed = try ExcelImport.parse(Data(buffer: file.data), library: req.library)
            try ExcelImport.check(parsed, against: report, tree: access.tree, library: req.library)
            let (submission, changed) = try await ExcelImport.submission(parsed, report: report, service: service)
            let validation = try await service.save(report, submission, user: try req.requireUser())
            let open = validation.warnings.filter { !$0.acknowledged }.count
            let outcome =
                validation.problems.isEmpty
                ? "Không có lỗi."
                : "Còn \(validation.errors.count) lỗi và \(open) cảnh báo cần xử lý trước khi gửi (xem ở từng dòng)."
            return try await page("Đã nhập số liệu từ tệp “\(name)”: \(changed) ô thay đổi. \(outcome)", status: .ok)
        } catch let refusal as ExcelImport.Refusal {
            return try await page("Không nhập được tệp “\(name)”. \(refusal.message) Không có gì được lưu.", status: .unprocessableEntity)
        } catch let abort as any AbortError where abort.status == .unprocessableEntity {
            return try await page("Không nhập được tệp “\(name)”. \(abort.reason)", status: .unprocessableEntity)
        } catch let stale as TemplateMerge.Stale {
            let form = try service.form(of: report)
            return try await page("Không nhập được tệp “\(name)”. \(ExcelImport.message(stale, form: form))", status: .conflict)
        } catch let conflict as ReportService.Conflict {
            return try await page(
                "Không nhập được: báo cáo vừa được lưu bởi người khác (phiên bản \(conflict.currentVersion)). Hãy tải lên lại.",
                status: .conflict)
        }
    }
}
