import Fluent
import ReportingCore
import Vapor

/// "Đã kiểm tra" on a finding of the narrative check, with an optional note;
/// the report page shows it muted with the note from then on.
struct NarrativeController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.grouped("reports", ":reportID", "narrative").post("acknowledge", use: acknowledge)
    }

    struct AcknowledgeForm: Content {
        var finding: String?
        var note: String?
    }

    func acknowledge(req: Request) async throws -> Response {
        let action = try await ReportPageAction.begin(
            req, allowed: { $0.canEdit($1) }, refusal: "Bạn không có quyền đánh dấu cảnh báo của báo cáo này.", action: "đánh dấu cảnh báo")
        let (service, report, access) = (action.service, action.report, action.access)
        let posted: AcknowledgeForm
        do { posted = try req.content.decode(AcknowledgeForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng: cần mã cảnh báo (finding) và ghi chú (note).")
        }
        guard let finding = posted.finding?.trimmingCharacters(in: .whitespaces), !finding.isEmpty, finding.count <= 80 else {
            throw Abort(.badRequest, reason: "Thiếu mã cảnh báo cần đánh dấu “đã kiểm tra”.")
        }
        let reportID = try report.requireID()
        do {
            try await NarrativeReview.acknowledge(
                report, findingID: finding, note: posted.note ?? "", user: try req.requireUser(),
                service: service, unitKind: access.tree[report.unitCode]?.kind)
        } catch let refusal as ServiceError where refusal.kind == .unprocessable {
            let response = try await ReportPageRenderer.render(req, report: report, message: refusal.message, conflict: [], overrides: nil)
                .encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        return req.redirect(to: "/reports/\(reportID.uuidString)#finding-\(finding)")
    }
}
