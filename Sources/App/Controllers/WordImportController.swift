import Fluent
import ReportingCore
import Vapor

/// "Nhập từ báo cáo Word (.docx)" on the report page: the file through
/// `WordReportImport` (as `baocao import-docx`), then the report page with
/// what was read and what was not. A refused file: status 4xx, nothing written.
struct WordImportController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.grouped("reports", ":reportID").on(.POST, "import", "docx", body: .collect(maxSize: "8mb"), use: upload)
    }

    struct UploadForm: Content {
        var file: File?
    }

    func upload(req: Request) async throws -> Response {
        let service = ReportService(request: req)
        let report = try await service.find(req.parameters.get("reportID").flatMap(UUID.init(uuidString:)))
        let access = try await req.access()
        guard access.canEdit(report) else {
            throw Abort(
                .forbidden,
                reason: report.status.isEditable
                    ? "Bạn không có quyền sửa báo cáo này."
                    : "Báo cáo đang ở trạng thái “\(report.status.label)”, không thể nhập báo cáo Word.")
        }
        func page(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let fresh = try await service.find(report.id)
            let response = try await ReportPageRenderer.render(req, report: fresh, message: message, conflict: [], overrides: nil)
                .encodeResponse(for: req)
            response.status = status
            return response
        }
        guard let form = try? req.content.decode(UploadForm.self), let file = form.file, file.data.readableBytes > 0 else {
            return try await page("Chưa chọn tệp: hãy chọn tệp báo cáo Word (.docx). Không có gì được lưu.", status: .unprocessableEntity)
        }
        let name = file.filename.isEmpty ? "tệp tải lên" : file.filename
        do {
            let imported = try WordReportImport.read(
                Data(buffer: file.data), name: name, form: try service.form(of: report),
                unitKind: access.tree[report.unitCode]?.kind)
            let outcome = try await WordReportImport.apply(imported, to: report, service: service, user: try req.requireUser())
            return try await page(WordImportSummary.message(outcome, fileName: name), status: .ok)
        } catch let refusal as WordReportImport.Refusal {
            return try await page("\(refusal.description) Không có gì được lưu.", status: .unprocessableEntity)
        } catch let error as ServiceError where error.kind == .unprocessable {
            return try await page("Không nhập được tệp “\(name)”. \(error.message)", status: .unprocessableEntity)
        } catch let conflict as ReportService.Conflict {
            return try await page(
                "Không nhập được: báo cáo vừa được lưu bởi người khác (phiên bản \(conflict.currentVersion)). "
                    + "Hãy tải lên lại. Không có gì được lưu.", status: .conflict)
        }
    }
}
