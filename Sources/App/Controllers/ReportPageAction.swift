import Fluent
import Vapor

/// What the report page's own posts share (the Excel, Word and dossier
/// uploads, a narrative finding marked "đã kiểm tra"): the report of the
/// path, the user's right checked before anything is read, the chosen file,
/// and the report page as it now stands for the answer.
struct ReportPageAction {
    let request: Request
    let service: ReportService
    let report: Report
    let access: Access

    /// Refuses with 403 when `allowed` says no: `refusal` while the report
    /// is editable, otherwise that its state does not allow `action`.
    static func begin(
        _ req: Request, allowed: (Access, Report) -> Bool, refusal: String,
        action: String
    ) async throws -> ReportPageAction {
        let service = ReportService(request: req)
        let report = try await service.find(req.parameters.get("reportID").flatMap(UUID.init(uuidString:)))
        let access = try await req.access()
        guard allowed(access, report) else {
            throw Abort(
                .forbidden,
                reason: report.status.isEditable
                    ? refusal : "Báo cáo đang ở trạng thái “\(report.status.label)”, không thể \(action).")
        }
        return ReportPageAction(request: req, service: service, report: report, access: access)
    }

    struct UploadForm: Content {
        var file: File?
    }

    /// The file posted as `file`; nil when none was chosen or it is empty.
    func chosenFile() -> File? {
        guard let form = try? request.content.decode(UploadForm.self), let file = form.file, file.data.readableBytes > 0 else {
            return nil
        }
        return file
    }

    /// The report page as it stands now, with `message`, answered with `status`.
    func page(_ message: String, status: HTTPResponseStatus) async throws -> Response {
        let fresh = try await service.find(report.id)
        let response = try await ReportPageRenderer.render(request, report: fresh, message: message, conflict: [], overrides: nil)
            .encodeResponse(for: request)
        response.status = status
        return response
    }
}
