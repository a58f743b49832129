import Fluent
import ReportingCore
import Vapor

/// The forms as loaded, to read.
extension AdminController {
    struct FormsPage: Encodable {
        struct IndicatorRow: Encodable {
            let code: String
            let label: String
            let name: String
            let unit: String
            let depth: Int
            let isHeading: Bool
            let formula: String?
            let partOf: String?
            let required: Bool
            let consolidation: String
        }
        struct FormView: Encodable {
            let id: String
            let title: String
            let shortTitle: String
            let source: String?
            let version: String?
            let levels: String
            let rules: Int
            let indicators: [IndicatorRow]
        }
        let layout: LayoutContext
        let forms: [FormView]
    }

    static func consolidationLabel(_ rule: ConsolidationRule) -> String {
        switch rule {
        case .sum: return "Cộng"
        case .recompute: return "Tính lại theo công thức"
        case .shareOfUnits: return "Tỷ lệ đơn vị đạt"
        case .min: return "Thấp nhất"
        case .max: return "Cao nhất"
        case .mode: return "Phổ biến nhất"
        case .none: return "Không cộng dồn"
        }
    }

    func formsPage(req: Request) async throws -> View {
        let forms = req.library.sortedForms.map { compiled in
            FormsPage.FormView(
                id: compiled.id, title: compiled.form.title, shortTitle: compiled.form.displayTitle, source: compiled.form.source,
                version: compiled.form.version, levels: compiled.form.levels.map(\.label).joined(separator: "; "),
                rules: compiled.form.rules.count,
                indicators: compiled.indicators.map { indicator in
                    .init(
                        code: indicator.code, label: indicator.printedLabel, name: indicator.name,
                        unit: indicator.isHeading ? "" : indicator.unitLabel, depth: min(indicator.depth, 3),
                        isHeading: indicator.isHeading, formula: indicator.formula?.replacingOccurrences(of: "*", with: "×"),
                        partOf: indicator.partOf, required: indicator.isRequired,
                        consolidation: indicator.isHeading ? "" : Self.consolidationLabel(indicator.consolidation))
                })
        }
        return try await req.view.render("admin-forms", FormsPage(layout: try await .make(req, title: "Biểu mẫu"), forms: forms))
    }
}
