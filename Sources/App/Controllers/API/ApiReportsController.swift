import Fluent
import ReportingCore
import SQLKit
import Vapor

/// Reports over the JSON API: list, read, write values, workflow actions.
/// Every rule (who may read, edit, send; stale versions; unknown codes)
/// lives in `ReportService` and `Access`; this only translates to JSON.
struct ApiReportsController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("reports", use: list)
        let report = routes.grouped("reports", ":reportID")
        report.get(use: show)
        report.put("values", use: saveValues)
        report.post("actions", use: act)
    }

    func reportID(_ req: Request) -> UUID? { req.parameters.get("reportID").flatMap(UUID.init(uuidString:)) }

    func summary(_ req: Request, _ report: Report, tree: UnitTree) async throws -> ApiView.ReportSummary {
        let assignment = try await report.$assignment.get(on: req.db)
        return ApiView.ReportSummary(report, tree: tree, library: req.library, deadline: assignment.deadline)
    }

    /// The reports the user may read, optionally filtered: filtered, counted
    /// and sliced in the database (`ReportListQuery`), so a page costs its
    /// own rows whatever the number of reports.
    func list(req: Request) async throws -> ApiView.ReportList {
        let access = try await req.access()
        var filter = ReportListQuery.Filter()
        if let text = req.query[String.self, at: "period"], !text.isEmpty {
            filter.periodKey = (try Period.parse(text)).key
        }
        if let formID = req.query[String.self, at: "form"], !formID.isEmpty {
            guard req.library.form(formID) != nil else {
                throw Abort(.badRequest, reason: "Tham số “form”: không có biểu mẫu mã “\(formID)”. Xem danh sách tại /api/v1/forms.")
            }
            filter.formID = formID
        }
        if let text = req.query[String.self, at: "status"], !text.isEmpty {
            guard let status = ReportStatus(rawValue: text) else {
                let allowed = ReportStatus.allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", ")
                throw Abort(.badRequest, reason: "Tham số “status” không hợp lệ: “\(text)”. Các giá trị: \(allowed).")
            }
            filter.status = status
        }
        if let unit = req.query[String.self, at: "unit"], !unit.isEmpty {
            filter.unitCode = unit
        }
        let page = try Self.page(req)
        let tree = access.tree
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let query = ReportListQuery(filter: filter, readable: .of(access))
        let total = try await query.count(on: sql)
        let shown = try await query.page(limit: page.limit, offset: page.offset, on: sql)
        var next: String?
        if page.offset + shown.count < total {
            var components = URLComponents()
            components.path = "/api/v1/reports"
            components.queryItems =
                (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name != "offset" && $0.name != "limit" }
                + [
                    URLQueryItem(name: "limit", value: String(page.limit)),
                    URLQueryItem(name: "offset", value: String(page.offset + shown.count))
                ]
            next = components.string
        }
        return ApiView.ReportList(
            reports: shown.map {
                ApiView.ReportSummary($0, tree: tree, library: req.library, deadline: $0.deadline)
            }, total: total, limit: page.limit, offset: page.offset, next: next)
    }

    /// `limit` (1–1000, 200 if not given) and `offset` (from 0) of a list.
    static func page(_ req: Request) throws -> (limit: Int, offset: Int) {
        func number(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = req.query[String.self, at: name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw Abort(
                    .badRequest,
                    reason: "Tham số “\(name)” phải là số nguyên từ \(range.lowerBound) đến \(range.upperBound); đang là “\(text)”.")
            }
            return number
        }
        return (try number("limit", default: 200, range: 1...1000), try number("offset", default: 0, range: 0...Int(Int32.max)))
    }

    func show(req: Request) async throws -> ApiView.ReportDetail {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req))
        let access = try await req.access()
        let stored = try await service.values(of: report)
        let validation = try await service.validate(report, values: stored, unitKind: access.tree[report.unitCode]?.kind)
        var values: [String: ApiView.CellView] = [:]
        for value in stored {
            values[value.code] = ApiView.CellView(
                raw: value.raw, number: value.number.flatMap(ExactNumber.init(machine:))?.doubleValue,
                note: value.note)
        }
        return ApiView.ReportDetail(
            report: try await summary(req, report, tree: access.tree), reviewComment: report.reviewComment,
            narrative: .init(
                achievements: report.achievements, assessment: report.assessment,
                nextTasks: report.nextTasks, proposals: report.proposals),
            values: values, validation: ApiView.ValidationView(validation), permissions: ApiView.Permissions(access, report))
    }

    /// The body of PUT /reports/{id}/values.
    struct ValuesBody: Decodable {
        struct NarrativePatch: Decodable {
            var achievements: String?
            var assessment: String?
            var nextTasks: String?
            var proposals: String?
        }
        var version: Int
        var values: [String: CellInput]?
        var notes: [String: String?]?
        var narrative: NarrativePatch?
    }

    /// A cell as sent: a string is read as typed on the paper form ("29.140",
    /// "97,1", "Hoàn thành"); a JSON number is taken as the number it is and
    /// stored in Vietnamese notation; null empties the cell.
    enum CellInput: Decodable {
        case text(String)
        case number(Double)
        case empty

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .empty; return }
            if let text = try? container.decode(String.self) { self = .text(text); return }
            if let number = try? container.decode(Double.self) { self = .number(number); return }
            throw DecodingError.typeMismatch(
                String.self,
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "A cell is a string, a number or null."))
        }

        /// The text to store, as if typed.
        func typed(code: String) throws -> String {
            switch self {
            case .text(let text): return text
            case .empty: return ""
            case .number(let value):
                // The shortest decimal that reads back as this double: what the client wrote.
                guard value.isFinite, let exact = ExactNumber(machine: Self.plainDecimal(value)) else {
                    throw Abort(
                        .unprocessableEntity,
                        reason:
                            "Chỉ tiêu \(code): số \(value) nằm ngoài phạm vi hoặc có quá \(ExactNumber.maxScale) chữ số thập phân. Gửi dạng chuỗi như khi nhập trên biểu mẫu, ví dụ \"1.609.226\" hoặc \"97,45\". Không có gì được lưu."
                    )
                }
                return VietnameseNumber.format(exact.normalized)
            }
        }

        static func plainDecimal(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return "\(value)"
        }
    }

    func saveValues(req: Request) async throws -> ApiView.SaveResult {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req))
        let body = try req.decodeJSONBody(ValuesBody.self)
        var values: [String: String] = [:]
        for (code, cell) in body.values ?? [:] { values[code] = try cell.typed(code: code) }
        // A null note clears it, as an empty one does.
        let notes = (body.notes ?? [:]).mapValues { $0 ?? "" }
        var narrative: ReportService.Narrative?
        if let patch = body.narrative {
            narrative = ReportService.Narrative(
                achievements: patch.achievements ?? report.achievements, assessment: patch.assessment ?? report.assessment,
                nextTasks: patch.nextTasks ?? report.nextTasks, proposals: patch.proposals ?? report.proposals)
        }
        let submission = ReportService.Submission(values: values, notes: notes, narrative: narrative, version: body.version)
        // A stale version throws ReportService.Conflict: ApiErrorMiddleware renders the 409 with the diff.
        let validation = try await service.save(report, submission, user: try req.requireUser())
        let tree = try await req.unitTree()
        return ApiView.SaveResult(report: try await summary(req, report, tree: tree), validation: ApiView.ValidationView(validation))
    }

    struct ActionBody: Decodable {
        var action: String
        var comment: String?
    }

    func act(req: Request) async throws -> ApiView.ActionResult {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req))
        let body = try req.decodeJSONBody(ActionBody.self)
        guard let action = ReportService.Action(rawValue: body.action) else {
            let allowed = ReportService.Action.allCases.map(\.rawValue).joined(separator: ", ")
            throw Abort(.badRequest, reason: "Thao tác “\(body.action)” không hợp lệ. Các thao tác: \(allowed).")
        }
        try await service.perform(action, on: report, comment: body.comment, user: try req.requireUser())
        let access = try await req.access()
        return ApiView.ActionResult(
            report: try await summary(req, report, tree: access.tree), permissions: ApiView.Permissions(access, report))
    }
}
