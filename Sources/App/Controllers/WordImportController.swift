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

    func upload(req: Request) async throws -> Response {
        let action = try await ReportPageAction.begin(
            req, allowed: { $0.canEdit($1) }, refusal: "Bạn không có quyền sửa báo cáo này.", action: "nhập báo cáo Word")
        let (service, report, access) = (action.service, action.report, action.access)
        func page(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            try await action.page(message, status: status)
        }
        guard let file = action.chosenFile() else {
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
