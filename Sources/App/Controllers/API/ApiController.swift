import Fluent
import ReportingCore
import Vapor

/// The JSON API under /api/v1: the same operations as the web pages, for
/// programs. Authenticated by per-user bearer tokens (no cookies, hence no
/// CSRF); every route asks `Access`, and reports go through `ReportService`.
/// Described by Resources/Public/api/openapi.json, served at /api/v1/openapi.json.
struct ApiController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(ApiErrorMiddleware())
        api.get("openapi.json", use: openAPI)
        let authenticated = api.grouped(BearerAuthenticator())
        authenticated.get("forms", use: forms)
        authenticated.get("forms", ":formID", use: form)
        authenticated.get("assignments", use: assignments)
        authenticated.get("assignments", ":assignmentID", "status", use: status)
        authenticated.get("consolidated", use: consolidated)
        try authenticated.register(collection: ApiReportsController())
        // Unknown API addresses get a Vietnamese JSON 404, not the router's English one.
        // The router prefers every real route over this catch-all.
        for method in [HTTPMethod.GET, .POST, .PUT, .PATCH, .DELETE] {
            api.on(method, "**", body: .stream, use: unknownAddress)
        }
    }

    func unknownAddress(req: Request) async throws -> Response {
        throw Abort(
            .notFound,
            reason: "Không có địa chỉ API \(req.method.rawValue) \(req.url.path). Xem các địa chỉ và phương thức tại /api/v1/openapi.json.")
    }

    static func openAPIPath(_ app: Application) -> String {
        publicDirectory(app) + "api/openapi.json"
    }

    func openAPI(req: Request) async throws -> Response {
        let buffer = try await req.fileio.collectFile(at: Self.openAPIPath(req.application))
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return Response(status: .ok, headers: headers, body: .init(buffer: buffer))
    }

    func forms(req: Request) async throws -> ApiView.FormList {
        ApiView.FormList(forms: req.library.sortedForms.map { ApiView.FormSummary($0.form) })
    }

    func form(req: Request) async throws -> ApiView.FormDetail {
        let id = req.parameters.get("formID") ?? ""
        guard let compiled = req.library.form(id) else {
            throw Abort(.notFound, reason: "Không có biểu mẫu mã “\(id)”. Xem danh sách biểu mẫu tại /api/v1/forms.")
        }
        let form = compiled.form
        return ApiView.FormDetail(
            id: form.id, title: form.title, shortTitle: form.shortTitle, version: form.version,
            source: form.source, levels: form.levels.map(\.rawValue),
            indicators: form.indicators.map(ApiView.IndicatorView.init))
    }

    /// Assignments the user's unit reports for, and, for reviewers and the
    /// administrator, those whose receiving unit they may read.
    func assignments(req: Request) async throws -> ApiView.AssignmentList {
        let access = try await req.access()
        let user = access.user
        let own = Set(try await Report.query(on: req.db).filter(\.$unitCode == user.unitCode).all().map { $0.$assignment.id })
        let all = try await Assignment.query(on: req.db).sort(\.$periodKey, .descending).sort(\.$title).all()
        let visible = all.filter { assignment in
            guard let id = assignment.id else { return false }
            if own.contains(id) || user.role == .admin { return true }
            return user.role == .reviewer && access.canRead(unitCode: assignment.receiverCode)
        }
        return ApiView.AssignmentList(assignments: visible.map { ApiView.AssignmentView($0, tree: access.tree) })
    }

    /// Who has sent, who is late: the monitoring page's figures, with the same
    /// access rule (`AssignmentMonitor` decides for both).
    func status(req: Request) async throws -> ApiView.AssignmentStatus {
        let access = try await req.access()
        let (assignment, reports) = try await AssignmentMonitor(database: req.db, access: access)
            .load(req.parameters.get("assignmentID").flatMap(UUID.init(uuidString:)))
        let summary = SubmissionSummary(reports: reports, deadline: CivilDate(iso: assignment.deadline), tree: access.tree)
        let rows = summary.rows.map { row in
            ApiView.StatusRow(
                reportId: row.report.id?.uuidString ?? "", unitCode: row.report.unitCode,
                unitName: row.unit?.name ?? row.report.unitCode, unitKind: row.unit?.kind.rawValue ?? "",
                status: row.report.status.rawValue, statusLabel: row.report.status.label,
                overdueDays: row.overdueDays, sentAt: row.report.sentAt.map(ApiView.timestamp))
        }
        let counts = summary.counts.map { ApiView.StatusCount(status: $0.status.rawValue, label: $0.status.label, count: $0.count) }
        return ApiView.AssignmentStatus(
            assignment: ApiView.AssignmentView(assignment, tree: access.tree), total: summary.total, sent: summary.sent,
            notSent: summary.notSent, onTime: summary.onTime, onTimeRate: (summary.onTimeRate * 100).rounded() / 100,
            counts: counts, rows: rows)
    }

    /// Consolidated figures with coverage for a unit that has units below it.
    func consolidated(req: Request) async throws -> ApiView.Consolidated {
        let access = try await req.access()
        guard let formID = req.query[String.self, at: "form"], !formID.isEmpty else {
            throw Abort(.badRequest, reason: "Thiếu tham số “form” (mã biểu mẫu, ví dụ egov-2024).")
        }
        guard let form = req.library.form(formID) else {
            throw Abort(.badRequest, reason: "Tham số “form”: không có biểu mẫu mã “\(formID)”. Xem danh sách tại /api/v1/forms.")
        }
        guard let periodText = req.query[String.self, at: "period"], !periodText.isEmpty else {
            throw Abort(.badRequest, reason: "Thiếu tham số “period” (kỳ báo cáo, ví dụ 2024-Q1, 2024-H1, 2024).")
        }
        let period = try Period.parse(periodText)
        let unitCode = req.query[String.self, at: "unit"].flatMap { $0.isEmpty ? nil : $0 } ?? access.user.unitCode
        guard let unit = access.tree[unitCode] else {
            throw Abort(.badRequest, reason: "Tham số “unit”: không có đơn vị mã “\(unitCode)”.")
        }
        let basisText = req.query[String.self, at: "basis"].flatMap { $0.isEmpty ? nil : $0 } ?? "accepted"
        guard let basis = ConsolidationService.Basis(rawValue: basisText) else {
            throw Abort(
                .badRequest,
                reason:
                    "Tham số “basis” chỉ nhận “accepted” (chỉ báo cáo đã tiếp nhận) hoặc “sent” (cả báo cáo đã gửi); đang là “\(basisText)”."
            )
        }
        guard access.canConsolidate(unitCode: unit.code) else {
            throw Abort(.forbidden, reason: "Bạn không có quyền xem số liệu tổng hợp của \(unit.name).")
        }
        let service = ConsolidationService(database: req.db, library: req.library, tree: access.tree, cache: req.consolidationCache)
        let result = try await service.consolidate(formID: form.id, periodKey: period.key, basis: basis)
        guard let figures = result.figures(at: unit.code, in: access.tree) else {
            throw Abort(
                .unprocessableEntity,
                reason:
                    "\(unit.name) không có đơn vị trực thuộc nên không có số liệu tổng hợp. Xem báo cáo của chính đơn vị tại /api/v1/reports."
            )
        }
        let views = zip(form.indicators, figures).filter { !$0.0.isHeading }.map { ApiView.FigureView($0.0, $0.1) }
        return ApiView.Consolidated(
            formId: form.id, formTitle: form.form.displayTitle, period: period.key, periodLabel: period.label,
            unitCode: unit.code, unitName: unit.name, basis: basis.rawValue, basisLabel: basis.label,
            figures: views)
    }
}
