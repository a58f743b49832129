import Fluent
import ReportingCore
import Vapor

/// The administrator's audit page: both trails (reports' and
/// administration's), searched by who, area, text and dates.
struct AdminAuditController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.grouped("admin").grouped(AdminOnlyMiddleware()).get("audit", use: page)
    }

    struct SearchForm: Content {
        var user: String?
        var area: String?
        var text: String?
        var from: String?
        var until: String?
    }

    struct Page: Encodable {
        struct Line: Encodable {
            let at: String
            let user: String
            let area: String
            let action: String
            let subject: String
            let from: String?
            let to: String?
            let reportLink: String?
        }
        let layout: LayoutContext
        let user: String
        let text: String
        let from: String
        let until: String
        let areas: [SelectOption]
        let lines: [Line]
        let errors: [String]
        let limit: Int
    }

    func page(req: Request) async throws -> Response {
        let form = (try? req.query.decode(SearchForm.self)) ?? SearchForm()
        var errors: [String] = []
        var query = AdminAuditLog.Query()
        query.username = String((form.user ?? "").prefix(100))
        query.area = form.area ?? ""
        query.text = String((form.text ?? "").prefix(200))
        func day(_ text: String?, label: String) -> CivilDate? {
            let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let date = CivilDate(vietnamese: trimmed) ?? CivilDate(iso: trimmed) else {
                errors.append("\(label) “\(trimmed.prefix(40))” không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 14/03/2024.")
                return nil
            }
            return date
        }
        let from = day(form.from, label: "Từ ngày"), until = day(form.until, label: "Đến ngày")
        query.from = from.map(VietnameseTime.startOfDay)
        query.until = until.map { VietnameseTime.startOfDay($0.adding(days: 1)) }
        if !query.area.isEmpty && query.area != "reports" && AdminAuditEntry.Area(rawValue: query.area) == nil {
            errors.append("Nhóm thao tác “\(query.area.prefix(40))” không có; hãy chọn trong danh sách.")
            query.area = ""
        }
        let lines = errors.isEmpty ? try await AdminAuditLog.search(query, on: req.db) : []
        let areas =
            [
                SelectOption(value: "", label: "Tất cả", selected: query.area.isEmpty),
                SelectOption(
                    value: "reports", label: "Báo cáo (số liệu, ghi chú, thuyết minh, trạng thái, văn bản)",
                    selected: query.area == "reports")
            ]
            + AdminAuditEntry.Area.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: query.area == $0.rawValue) }
        let page = Page(
            layout: try await .make(req, title: "Nhật ký thay đổi"), user: query.username, text: query.text,
            from: from?.vietnamese ?? "", until: until?.vietnamese ?? "", areas: areas,
            lines: lines.map { line in
                Page.Line(
                    at: VietnameseTime.format(line.at), user: line.username, area: line.area, action: line.action, subject: line.subject,
                    from: line.from.map { Self.shortened($0) }, to: line.to.map { Self.shortened($0) },
                    reportLink: line.reportID.map { "/reports/\($0.uuidString)/history" })
            },
            errors: errors, limit: query.limit)
        let response = try await req.view.render("admin-audit", page).encodeResponse(for: req)
        if !errors.isEmpty { response.status = .badRequest }
        return response
    }

    /// Long texts (a narrative part) are cut for the table; the report's history keeps them whole.
    static func shortened(_ text: String) -> String {
        text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
