import Fluent
import ReportingCore
import Vapor

/// Figures in and out in the standard exchange formats (DHIS2 dataValueSets
/// JSON, ADX, SDMX): a report, the consolidated figures of a unit's tree, and
/// a DHIS2 file read into a report through the normal save and validation.
struct ExchangeController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let report = routes.grouped("reports", ":reportID")
        report.get("exchange", ":format", use: exportReport)
        report.on(.POST, "import", "dhis2", body: .collect(maxSize: "2mb"), use: importDHIS2)
        routes.get("exchange", use: exportConsolidated)
    }

    func reportID(_ req: Request) -> UUID? { req.parameters.get("reportID").flatMap(UUID.init(uuidString:)) }

    func exportReport(req: Request) async throws -> Response {
        let format = try ExchangeFormat.parse(req.parameters.get("format"))
        let report = try await ReportService(request: req).find(reportID(req))
        guard report.status == .accepted || (report.status.hasBeenSent && req.query[String.self, at: "basis"] == "sent") else {
            throw ServiceError(
                .unprocessable,
                "Báo cáo đang ở trạng thái “\(report.status.label)”: chỉ xuất số liệu đã được tiếp nhận "
                    + "(thêm basis=sent để xuất cả báo cáo đã gửi).")
        }
        let source = ExportSource(database: req.db, library: req.library, tree: try await req.unitTree())
        let data = try await ExchangeExport(source: source).report(report, format: format)
        return Self.file(data, name: "\(report.formID)_\(report.periodKey)_\(report.unitCode).\(format.fileSuffix)", format: format)
    }

    struct ConsolidatedQuery: Decodable {
        var unit: String?
        var period: String?
        var form: String?
        var format: String?
        var basis: String?
    }

    func exportConsolidated(req: Request) async throws -> Response {
        let query = try req.query.decode(ConsolidatedQuery.self)
        let format = try ExchangeFormat.parse(query.format.nonBlank ?? "sdmx")
        let access = try await req.access()
        let unitCode = query.unit.nonBlank ?? access.user.unitCode
        guard let unit = access.tree[unitCode] else { throw ServiceError(.notFound, "Không có đơn vị mã “\(unitCode)”.") }
        guard access.canConsolidate(unitCode: unit.code) else {
            throw ServiceError(.forbidden, "Bạn không có quyền xem số liệu tổng hợp của \(unit.name).")
        }
        guard let formID = query.form.nonBlank else {
            throw ServiceError(.invalid, "Hãy chọn biểu mẫu (tham số form, ví dụ form=egov-2024).")
        }
        guard let periodKey = query.period.nonBlank else {
            throw ServiceError(.invalid, "Hãy chọn kỳ báo cáo (tham số period, ví dụ period=2024-Q1).")
        }
        let basis = try ExportOptions.basis(query.basis.nonBlank ?? "accepted")
        let source = ExportSource(database: req.db, library: req.library, tree: access.tree)
        let data = try await ExchangeExport(source: source).consolidated(
            unitCode: unit.code, formID: formID, periodKey: periodKey,
            basis: basis, format: format)
        return Self.file(data, name: "tonghop_\(formID)_\(periodKey)_\(unit.code).\(format.fileSuffix)", format: format)
    }

    static func file(_ data: Data, name: String, format: ExchangeFormat) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = format.mediaType
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    struct UploadForm: Content {
        var file: File?
    }

    /// A DHIS2 dataValueSets file for this report's form, unit and period,
    /// saved as if typed: the same checks, the same audit trail. A refused
    /// file gets the report page with the reason, status 422, nothing written.
    func importDHIS2(req: Request) async throws -> Response {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req))
        func page(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let fresh = try await service.find(report.id)
            let response = try await ReportPageRenderer.render(req, report: fresh, message: message, conflict: [], overrides: nil)
                .encodeResponse(for: req)
            response.status = status
            return response
        }
        let bytes: Data
        if req.headers.contentType == .json, let body = req.body.data {
            bytes = Data(buffer: body)
        } else if let upload = try? req.content.decode(UploadForm.self), let file = upload.file, file.data.readableBytes > 0 {
            bytes = Data(buffer: file.data)
        } else {
            return try await page(
                "Chưa chọn tệp: hãy chọn tệp JSON dataValueSets của DHIS2. Không có gì được lưu.", status: .unprocessableEntity)
        }
        do {
            let outcome = try await DHIS2Import.run(bytes, into: report, service: service, user: try req.requireUser())
            let validation = outcome.validation
            let remaining =
                validation.problems.isEmpty
                ? "Không có lỗi."
                : "Còn \(validation.errors.count) lỗi và \(validation.warnings.filter { !$0.acknowledged }.count) cảnh báo cần xử lý trước khi gửi."
            return try await page("Đã nhập \(outcome.read) số liệu từ tệp DHIS2 (\(outcome.changed) ô thay đổi). \(remaining)", status: .ok)
        } catch let refusal as ServiceError where refusal.kind == .unprocessable {
            return try await page("Không nhập được tệp DHIS2: \(refusal.message)", status: .unprocessableEntity)
        } catch let conflict as ReportService.Conflict {
            return try await page(
                "Không nhập được: báo cáo vừa được lưu bởi người khác (phiên bản \(conflict.currentVersion)). Hãy nhập lại.",
                status: .conflict)
        }
    }
}
