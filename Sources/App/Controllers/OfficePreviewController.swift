import OfficeFormats
import ReportingCore
import Vapor

/// GET /reports/:id/preview: the official Word report built as the download
/// would be (same options), read back, and its text checked by the narrative
/// check; the page lists the findings and links the download.
struct OfficePreviewController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.grouped("reports", ":reportID").get("preview", use: preview)
    }

    func preview(req: Request) async throws -> View {
        let report = try await ReportService(request: req).find(req.parameters.get("reportID").flatMap(UUID.init(uuidString:)))
        let access = try await req.access()
        var options = try ExportOptions.documentOptions(try req.query.decode(ExportOptions.DocumentQuery.self))
        options.consolidate = access.canConsolidate(unitCode: report.unitCode)
        let source = ExportSource(database: req.db, library: req.library, tree: access.tree)
        let bytes = try await OfficialReportBuilder(source: source).build(report, options: options)
        let content = try DOCXReader().read(bytes)
        let findings = Self.check(content, periodKey: report.periodKey)
        let form = req.library.form(report.formID)
        let unitName = access.tree[report.unitCode]?.name ?? report.unitCode
        let title =
            "\(form?.form.displayTitle ?? report.formID) — \(unitName) — \(Period(key: report.periodKey)?.label ?? report.periodKey)"
        let query = req.url.query.map { "?" + $0 } ?? ""
        return try await req.view.render(
            "report-preview",
            OfficePreviewPage(
                layout: try await .make(req, title: "Xem trước báo cáo Word"), reportID: try report.requireID().uuidString, title: title,
                downloadQuery: query, findings: OfficePreviewPage.findings(findings), summary: OfficePreviewPage.summary(findings.count)))
    }

    /// The document's paragraphs and table rows (cells joined by tabs, as `check-text` reads a .docx), checked with the period.
    /// The figures themselves are the consolidated ones the document prints: no cell values are compared.
    static func check(_ content: DOCXContent, periodKey: String) -> [NarrativeFinding] {
        let text = content.blocks.map { block -> String in
            switch block {
            case .paragraph(let paragraph): return paragraph
            case .table(let rows): return rows.map { $0.joined(separator: "\t") }.joined(separator: "\n")
            }
        }.joined(separator: "\n")
        return (try? NarrativeCheck.check(text, context: NarrativeContext(period: Period(key: periodKey)))) ?? []
    }
}
