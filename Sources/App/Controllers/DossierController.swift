import ReportingCore
import Vapor

/// "Tính từ hồ sơ (CSV/XLSX)" on the report page: the one-stop-shop system's
/// dossier records in, the unit's figures out into its draft (`DossierImport`).
/// For the unit's reporter or leader while they may edit, and for an administrator.
struct DossierController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.grouped("reports", ":reportID").on(.POST, "dossiers", body: .collect(maxSize: "2mb"), use: upload)
    }

    /// Answers with the report page: the figures filled (200), or why nothing
    /// was (422 for the file, 409 when someone saved meanwhile, 403).
    func upload(req: Request) async throws -> Response {
        let action = try await ReportPageAction.begin(
            req, allowed: { $0.canFillFromDossiers($1) },
            refusal: "Chỉ cán bộ nhập liệu của đơn vị hoặc quản trị hệ thống mới tính số liệu từ hồ sơ cho báo cáo này.",
            action: "nhập số liệu")
        let (service, report, access) = (action.service, action.report, action.access)
        func page(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            try await action.page(message, status: status)
        }
        guard let file = action.chosenFile() else {
            return try await page(
                "Chưa chọn tệp: hãy chọn tệp hồ sơ (.csv hoặc .xlsx, mỗi dòng một hồ sơ). Không có gì được lưu.",
                status: .unprocessableEntity)
        }
        let name = file.filename.isEmpty ? "tệp tải lên" : String(file.filename.prefix(200))
        do {
            let outcome = try await DossierImport.run(
                Data(buffer: file.data), fileName: name, into: report, service: service,
                tree: access.tree, user: try req.requireUser(), at: req.application.clock.now())
            let validation = outcome.validation
            let remaining =
                validation.problems.isEmpty
                ? "Không có lỗi."
                : "Còn \(validation.errors.count) lỗi và \(validation.warnings.filter { !$0.acknowledged }.count) cảnh báo cần xử lý trước khi gửi."
            let filled = outcome.figures.map { "\($0.code) = \($0.value)" }.joined(separator: "; ")
            return try await page(
                "Đã tính \(outcome.figures.count) chỉ tiêu từ tệp hồ sơ “\(name)” (\(outcome.changed) ô thay đổi): \(filled). "
                    + "Muốn sửa một số liệu tính từ hồ sơ, hãy ghi lý do vào ô Ghi chú của dòng đó. \(remaining)", status: .ok)
        } catch let refusal as ServiceError where refusal.kind == .unprocessable {
            return try await page(refusal.message, status: .unprocessableEntity)
        } catch let conflict as ReportService.Conflict {
            return try await page(
                "Không nhập được: báo cáo vừa được lưu bởi người khác (phiên bản \(conflict.currentVersion)). Hãy tải lên lại.",
                status: .conflict)
        }
    }
}
