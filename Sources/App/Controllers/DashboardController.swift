import Fluent
import ReportingCore
import Vapor

/// Charts for the province: one indicator across units, one indicator over
/// periods (across form versions), the state of submissions, and targets met
/// per group. Drawn on the server as SVG, each with its table.
struct DashboardController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("dashboard", use: dashboard)
    }

    struct Query: Decodable {
        var form: String?
        var period: String?
        var unit: String?
        var code: String?
        var plan: String?
    }

    func dashboard(req: Request) async throws -> View {
        let query = try req.query.decode(Query.self)
        let scope = try await ConsolidationScope.resolve(
            access: try await req.access(), database: req.db, library: req.library,
            form: query.form, period: query.period, unit: query.unit, basis: nil)
        let form = scope.form, unit = scope.unit, tree = scope.tree
        let plans = try await req.plans.all()
        let linkedAll = DashboardCharts.linkedTargets(plans: plans.map(\.plan), formID: form.id)
        guard let code = query.code.nonBlank ?? linkedAll.first?.code ?? form.indicators.first(where: { !$0.isHeading })?.code else {
            throw Abort(.notFound, reason: "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu có số liệu.")
        }
        guard let slot = form.slotByCode[code] else {
            throw Abort(.notFound, reason: "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu mã \(code).")
        }
        let indicator = form.indicators[slot]
        guard !indicator.isHeading else {
            throw Abort(
                .unprocessableEntity, reason: "Chỉ tiêu \(code) là đề mục, không có số liệu để vẽ biểu đồ; hãy chọn một chỉ tiêu con.")
        }
        let linked = linkedAll.filter { $0.code == code }.map(\.link)
        let chosenPlan =
            plans.first { $0.plan.id == query.plan.nonBlank }
            ?? plans.first { $0.plan.id == linked.first?.plan.id } ?? plans.first
        if let plan = query.plan.nonBlank, chosenPlan?.plan.id != plan {
            throw Abort(.notFound, reason: "Không có kế hoạch “\(plan)”.")
        }

        var data = DashboardService(database: req.db, library: req.library, tree: tree, cache: req.consolidationCache)
        let current = try await data.consolidation(form: form.id, period: scope.periodKey)
        let series = try await data.series(unit: unit, formID: form.id, indicator: indicator, assignments: scope.assignments)
        let submitted = try await data.submissions(scope: scope)
        var charts = [
            DashboardCharts.acrossUnits(
                unit: unit, tree: tree, form: form, periodKey: scope.periodKey, indicator: indicator,
                slot: slot, linked: linked, result: current),
            DashboardCharts.overPeriods(unit: unit, indicator: indicator, linked: linked, points: series),
            DashboardCharts.submissions(
                unit: unit, tree: tree, formTitle: form.form.displayTitle, periodKey: scope.periodKey,
                reports: submitted.reports, monitorLink: submitted.monitorLink)
        ]
        if let plan = chosenPlan?.plan {
            let rows = try await data.targetRows(plan: plan, unit: unit, periodKey: scope.periodKey)
            charts.append(DashboardCharts.targetsByGroup(plan: plan, unit: unit, periodKey: scope.periodKey, rows: rows))
        }

        let options = ConsolidationScope.selectOptions(scope, library: req.library)
        return try await req.view.render(
            "dashboard",
            DashboardPage(
                layout: try await .make(req, title: "Biểu đồ"),
                formTitle: form.form.displayTitle, unitName: unit.name, period: DashboardCharts.periodLabel(scope.periodKey),
                code: indicator.printedLabel, indicatorName: indicator.name,
                forms: options.forms, periods: options.periods,
                units: tree.units.filter { scope.access.canConsolidate(unitCode: $0.code) }.map {
                    SelectOption(value: $0.code, label: $0.name, selected: $0.code == unit.code)
                },
                codes: form.indicators.filter { !$0.isHeading }.map {
                    SelectOption(
                        value: $0.code, label: "\($0.printedLabel) \(SVGChart.shortened($0.name, to: 80))",
                        selected: $0.code == indicator.code)
                },
                plans: plans.map { SelectOption(value: $0.plan.id, label: $0.plan.id, selected: $0.plan.id == chosenPlan?.plan.id) },
                charts: charts,
                consolidatedURL: PageLink.to("/consolidated", [("form", form.id), ("period", scope.periodKey), ("unit", unit.code)])))
    }
}
