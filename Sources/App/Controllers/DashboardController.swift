import Fluent
import ReportingCore
import SQLKit
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

    /// A plan target measured by a form row (kh48 I.1 ↔ egov-2024:6.1).
    struct LinkedTarget {
        let plan: TargetPlan
        let target: Target
    }

    func dashboard(req: Request) async throws -> View {
        let query = try req.query.decode(Query.self)
        let scope = try await ConsolidationScope.resolve(access: try await req.access(), database: req.db, library: req.library,
                                                         form: query.form, period: query.period, unit: query.unit, basis: nil)
        let form = scope.form, unit = scope.unit, tree = scope.tree
        let plans = try await req.plans.all()
        let linkedAll = plans.flatMap { entry in
            entry.plan.targets.compactMap { target in
                target.indicatorReference?.form == form.id ? (target.indicatorReference!.code, LinkedTarget(plan: entry.plan, target: target)) : nil
            }
        }
        guard let code = query.code.nonBlank ?? linkedAll.first?.0 ?? form.indicators.first(where: { !$0.isHeading })?.code else {
            throw Abort(.notFound, reason: "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu có số liệu.")
        }
        guard let slot = form.slotByCode[code] else {
            throw Abort(.notFound, reason: "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu mã \(code).")
        }
        let indicator = form.indicators[slot]
        guard !indicator.isHeading else {
            throw Abort(.unprocessableEntity, reason: "Chỉ tiêu \(code) là đề mục, không có số liệu để vẽ biểu đồ; hãy chọn một chỉ tiêu con.")
        }
        let linked = linkedAll.filter { $0.0 == code }.map(\.1)
        var cache = Consolidations(service: ConsolidationService(database: req.db, library: req.library, tree: tree,
                                                                 cache: req.consolidationCache))

        var charts: [DashboardPage.Chart] = []
        charts.append(try await acrossUnits(scope: scope, indicator: indicator, slot: slot, linked: linked, cache: &cache))
        charts.append(try await overPeriods(req, scope: scope, indicator: indicator, linked: linked, cache: &cache))
        charts.append(try await submissions(req, scope: scope))
        let chosenPlan = plans.first { $0.plan.id == query.plan.nonBlank } ?? plans.first { $0.plan.id == linked.first?.plan.id } ?? plans.first
        if let plan = query.plan.nonBlank, chosenPlan?.plan.id != plan {
            throw Abort(.notFound, reason: "Không có kế hoạch “\(plan)”.")
        }
        if let plan = chosenPlan?.plan {
            charts.append(try await targetsByGroup(req, scope: scope, plan: plan))
        }

        let options = ConsolidationScope.selectOptions(scope, library: req.library)
        return try await req.view.render("dashboard", DashboardPage(
            layout: try await .make(req, title: "Biểu đồ"),
            formTitle: form.form.displayTitle, unitName: unit.name, period: Period(key: scope.periodKey)?.label ?? scope.periodKey,
            code: indicator.printedLabel, indicatorName: indicator.name,
            forms: options.forms, periods: options.periods,
            units: tree.units.filter { scope.access.canConsolidate(unitCode: $0.code) }.map {
                SelectOption(value: $0.code, label: $0.name, selected: $0.code == unit.code)
            },
            codes: form.indicators.filter { !$0.isHeading }.map {
                SelectOption(value: $0.code, label: "\($0.printedLabel) \(SVGChart.shortened($0.name, to: 80))", selected: $0.code == indicator.code)
            },
            plans: plans.map { SelectOption(value: $0.plan.id, label: $0.plan.id, selected: $0.plan.id == chosenPlan?.plan.id) },
            charts: charts,
            consolidatedURL: PageLink.to("/consolidated", [("form", form.id), ("period", scope.periodKey), ("unit", unit.code)])))
    }

    /// Consolidations already computed on this request, by form and period.
    struct Consolidations {
        let service: ConsolidationService
        var results: [String: ConsolidationService.Result] = [:]

        mutating func result(form: String, period: String) async throws -> ConsolidationService.Result {
            if let known = results["\(form)|\(period)"] { return known }
            let result = try await service.consolidate(formID: form, periodKey: period, basis: .accepted)
            results["\(form)|\(period)"] = result
            return result
        }
    }

    /// A unit's figure: consolidated from the units below when the row
    /// consolidates, otherwise what the unit reported itself.
    static func figure(_ result: ConsolidationService.Result, unit: String, slot: Int, tree: UnitTree) -> (value: Double, consolidated: ConsolidatedFigure?)? {
        if let figure = result.figures(at: unit, in: tree)?[slot], let value = figure.value { return (value, figure) }
        if let own = result.ownValues(of: unit, in: tree)?[slot] ?? nil { return (own, nil) }
        return nil
    }

    static func source(_ figure: ConsolidatedFigure?) -> String {
        figure.map { "Tổng hợp từ \($0.coverageText) đơn vị" } ?? "Đơn vị tự báo cáo"
    }

    // MARK: a. One indicator across units

    func acrossUnits(scope: ConsolidationScope, indicator: Indicator, slot: Int, linked: [LinkedTarget],
                     cache: inout Consolidations) async throws -> DashboardPage.Chart {
        let tree = scope.tree, form = scope.form
        let heading = "\(indicator.printedLabel) \(indicator.name) — các đơn vị trực thuộc \(scope.unit.name)"
        let children = tree.children(of: scope.unit.code).filter {
            indicator.applies(to: $0.kind, formLevels: form.form.levels) || !tree.children(of: $0.code).isEmpty
        }
        guard !children.isEmpty else {
            return DashboardPage.Chart(id: "chart-units", heading: heading, svg: nil,
                                       note: "\(scope.unit.name) không có đơn vị cấp dưới báo cáo chỉ tiêu này.",
                                       headers: [], rows: [], link: nil, linkLabel: nil)
        }
        let result = try await cache.result(form: form.id, period: scope.periodKey)
        let percent = indicator.unit == .percent
        var withValues: [(unit: ReportingUnit, value: Double, source: String)] = []
        var missing: [ReportingUnit] = []
        for child in children {
            if let found = Self.figure(result, unit: child.code, slot: slot, tree: tree) {
                withValues.append((child, found.value, Self.source(found.consolidated)))
            } else {
                missing.append(child)
            }
        }
        withValues.sort { $0.value != $1.value ? $0.value > $1.value : $0.unit.name < $1.unit.name }
        // One line per distinct threshold among the units shown (levels may differ).
        var references: [SVGChart.Reference] = []
        for link in linked {
            var seen: Set<String> = []
            for kind in Set(withValues.map(\.unit.kind)).sorted(by: { $0.rawValue < $1.rawValue }) {
                let threshold = link.target.threshold(for: kind)
                guard seen.insert(threshold.display(percent: percent)).inserted else { continue }
                references.append(SVGChart.Reference(value: threshold.value,
                    label: "Chỉ tiêu \(link.target.code) (\(link.plan.id)): \(threshold.display(percent: link.target.isPercent))"))
            }
        }
        func met(_ unit: ReportingUnit, _ value: Double) -> Bool? {
            guard let link = linked.first else { return nil }
            return link.target.threshold(for: unit.kind).isMet(by: value)
        }
        let bars = withValues.map { item in
            SVGChart.Bar(label: item.unit.name, value: item.value, valueText: FigureText.withUnit(item.value, indicator: indicator),
                         fill: met(item.unit, item.value) == false ? .hatch : .solid)
        }
        let svg = SVGChart.horizontalBars(
            id: "chart-units", title: "\(indicator.printedLabel) theo đơn vị — \(Period(key: scope.periodKey)?.label ?? scope.periodKey)",
            description: "\(indicator.name). \(withValues.count) đơn vị có số liệu, \(missing.count) đơn vị chưa có.",
            bars: bars, references: references, percent: percent,
            legend: linked.isEmpty ? [] : [("Đạt chỉ tiêu", .solid), ("Chưa đạt", .hatch)])
        var rows = withValues.map { item -> [String] in
            var row = [item.unit.name, FigureText.withUnit(item.value, indicator: indicator), item.source]
            if let ok = met(item.unit, item.value) { row.append(ok ? "Đạt" : "Chưa đạt") }
            return row
        }
        if !missing.isEmpty {
            // One row for all units without a figure: the table stays as short as the chart.
            let names = missing.map(\.name).joined(separator: ", ")
            rows.append(["Chưa có số liệu (\(missing.count) đơn vị)", "", names] + (linked.isEmpty ? [] : [""]))
        }
        return DashboardPage.Chart(
            id: "chart-units", heading: heading, svg: svg,
            note: linked.isEmpty ? nil : "Đường nét đứt: ngưỡng chỉ tiêu của kế hoạch gắn với chỉ tiêu này. Số liệu từ báo cáo đã tiếp nhận.",
            headers: ["Đơn vị", "Số liệu", "Nguồn"] + (linked.isEmpty ? [] : ["Đánh giá"]), rows: rows,
            link: nil, linkLabel: nil)
    }

    // MARK: b. One indicator over periods

    func overPeriods(_ req: Request, scope: ConsolidationScope, indicator: Indicator, linked: [LinkedTarget],
                     cache: inout Consolidations) async throws -> DashboardPage.Chart {
        let tree = scope.tree, unit = scope.unit
        var points: [(period: Period, order: Int, point: SVGChart.Point, source: String, note: String)] = []
        for (order, source) in req.library.seriesSources(form: scope.form.id, code: indicator.code).enumerated() {
            guard let sourceForm = req.library.form(source.form), let slot = sourceForm.slotByCode[source.code] else { continue }
            let keys = Set(scope.assignments.filter { $0.formID == source.form }.map(\.periodKey))
            for key in keys {
                guard let period = Period(key: key) else { continue }
                let result = try await cache.result(form: source.form, period: period.key)
                let found = Self.figure(result, unit: unit.code, slot: slot, tree: tree)
                let text = found.map { FigureText.withUnit($0.value, indicator: indicator) } ?? "Chưa có số liệu"
                points.append((period, order, SVGChart.Point(label: period.label, value: found?.value, valueText: text, group: sourceForm.form.displayTitle),
                               "\(sourceForm.form.displayTitle), chỉ tiêu \(sourceForm.indicators[slot].printedLabel)",
                               source.note ?? (found.map { Self.source($0.consolidated) } ?? "")))
            }
        }
        points.sort { $0.period != $1.period ? $0.period < $1.period : $0.order < $1.order }
        let level: UnitKind? = unit.kind == .province ? nil : unit.kind
        let references = linked.map { link in
            let threshold = link.target.threshold(for: level)
            return SVGChart.Reference(value: threshold.value, label: "Chỉ tiêu \(link.target.code) (\(link.plan.id)): \(threshold.display(percent: link.target.isPercent))")
        }
        let svg = SVGChart.line(
            id: "chart-periods", title: "\(indicator.printedLabel) qua các kỳ — \(unit.name)",
            description: "\(indicator.name), từ báo cáo đã tiếp nhận; các kỳ theo biểu mẫu cũ được quy đổi theo bảng tương ứng chỉ tiêu.",
            points: points.map(\.point), references: references, percent: indicator.unit == .percent)
        return DashboardPage.Chart(
            id: "chart-periods", heading: "\(indicator.printedLabel) \(indicator.name) — qua các kỳ", svg: svg,
            note: points.isEmpty ? "Chưa có kỳ báo cáo nào của biểu mẫu này." : "Giá trị của biểu mẫu cũ được tính cho chỉ tiêu tương ứng của biểu mẫu mới theo bảng tương ứng; chỉ tiêu không có tương ứng không được đưa vào.",
            headers: ["Kỳ", "Biểu mẫu, chỉ tiêu", "Số liệu", "Ghi chú"],
            rows: points.map { [$0.point.label, $0.source, $0.point.valueText, $0.note] }, link: nil, linkLabel: nil)
    }

    // MARK: c. Submissions of the assignment

    func submissions(_ req: Request, scope: ConsolidationScope) async throws -> DashboardPage.Chart {
        let tree = scope.tree, unit = scope.unit, access = scope.access
        let assignments = scope.assignments.filter { $0.formID == scope.form.id && $0.periodKey == scope.periodKey }
        let period = Period(key: scope.periodKey)?.label ?? scope.periodKey
        let heading = "Tình hình gửi báo cáo — \(scope.form.form.displayTitle), \(period)"
        guard !assignments.isEmpty else {
            return DashboardPage.Chart(id: "chart-status", heading: heading, svg: nil, note: "Chưa có đợt giao báo cáo cho kỳ này.",
                                       headers: [], rows: [], link: nil, linkLabel: nil)
        }
        let ids = assignments.compactMap(\.id)
        let within = Set([unit.code] + tree.descendants(of: unit.code).map(\.code))
        let reports = try await Self.statuses(ofAssignments: ids, on: req.db).filter { within.contains($0.unitCode) }
        let kinds = UnitKind.allCases.filter { kind in reports.contains { tree[$0.unitCode]?.kind == kind } }
        let fills: [SVGChart.Fill] = [.solid, .hatch, .grey, .dots, .crossHatch]
        let statuses = ReportStatus.allCases
        let values = statuses.map { status in
            kinds.map { kind in Double(reports.filter { $0.status == status && tree[$0.unitCode]?.kind == kind }.count) }
        }
        let svg = SVGChart.groupedBars(
            id: "chart-status", title: "Số báo cáo theo trạng thái — \(period)",
            description: "\(reports.count) báo cáo của \(unit.name) và các đơn vị cấp dưới, theo trạng thái và cấp đơn vị.",
            categories: statuses.map(\.label),
            series: kinds.enumerated().map { SVGChart.Series(name: $0.element.label, fill: fills[$0.offset % fills.count]) },
            values: values)
        let rows = statuses.enumerated().map { index, status -> [String] in
            [status.label] + values[index].map { String(Int($0)) } + [String(Int(values[index].reduce(0, +)))]
        } + [["Tổng"] + kinds.indices.map { k in String(Int(values.map { $0[k] }.reduce(0, +))) } + [String(reports.count)]]
        let monitored = assignments.first { access.user.role == .admin || (access.user.role == .reviewer && access.canRead(unitCode: $0.receiverCode)) }
        return DashboardPage.Chart(
            id: "chart-status", heading: heading, svg: svg, note: nil,
            headers: ["Trạng thái"] + kinds.map(\.label) + ["Tổng"], rows: rows,
            link: monitored.flatMap { $0.id.map { "/assignments/\($0.uuidString)/monitor" } }, linkLabel: "Theo dõi tình hình gửi báo cáo")
    }

    /// A report's unit and state, all the submissions chart counts.
    struct Submitted {
        let unitCode: String
        let status: ReportStatus
    }

    /// Two columns of the assignments' reports in plain SQL, not a model per report.
    static func statuses(ofAssignments ids: [UUID], on database: any Database) async throws -> [Submitted] {
        guard !ids.isEmpty, let sql = database as? any SQLDatabase else { return [] }
        let r = ReportsTable.self
        return try await sql.raw("""
            SELECT \(ident: r.unitCode) AS unit_code, \(ident: r.status) AS status FROM \(ident: r.table) \
            WHERE \(ident: r.assignmentID) IN (\(binds: ids))
            """).all().compactMap { row in
            ReportStatus(rawValue: try row.decode(column: "status", as: String.self))
                .map { Submitted(unitCode: (try? row.decode(column: "unit_code", as: String.self)) ?? "", status: $0) }
        }
    }

    // MARK: d. Targets per group

    func targetsByGroup(_ req: Request, scope: ConsolidationScope, plan: TargetPlan) async throws -> DashboardPage.Chart {
        let unit = scope.unit
        let rows = try await TargetService(database: req.db, library: req.library, tree: scope.tree,
                                           cache: req.consolidationCache)
            .evaluate(plan: plan, unitCode: unit.code, periodKey: scope.periodKey)
            .filter { $0.target.appliesTo?.contains(unit.kind) ?? true }
        let groups = plan.groups.filter { group in rows.contains { $0.group.code == group.code } }
        let statuses: [TargetStatus] = [.achieved, .notAchieved, .noData]
        let values = groups.map { group in
            statuses.map { status in Double(rows.filter { $0.group.code == group.code && $0.evaluation.status == status }.count) }
        }
        let period = Period(key: scope.periodKey)?.label ?? scope.periodKey
        let svg = SVGChart.groupedBars(
            id: "chart-targets", title: "Chỉ tiêu \(plan.id) theo nhóm — \(period)",
            description: TargetEvaluator.summary(rows.map(\.evaluation)),
            categories: groups.map { "\($0.code). \($0.name)" },
            series: [SVGChart.Series(name: TargetStatus.achieved.label, fill: .solid),
                     SVGChart.Series(name: TargetStatus.notAchieved.label, fill: .hatch),
                     SVGChart.Series(name: TargetStatus.noData.label, fill: .white)],
            values: values)
        let tableRows = groups.enumerated().map { index, group -> [String] in
            ["\(group.code). \(group.name)"] + values[index].map { String(Int($0)) } + [String(Int(values[index].reduce(0, +)))]
        }
        return DashboardPage.Chart(
            id: "chart-targets", heading: "Kết quả thực hiện chỉ tiêu theo nhóm — \(plan.title)", svg: svg,
            note: TargetEvaluator.summary(rows.map(\.evaluation)),
            headers: ["Nhóm", TargetStatus.achieved.label, TargetStatus.notAchieved.label, TargetStatus.noData.label, "Tổng"], rows: tableRows,
            link: PageLink.to("/targets", [("plan", plan.id), ("unit", unit.code), ("period", scope.periodKey)]),
            linkLabel: "Bảng kết quả thực hiện các chỉ tiêu")
    }
}
