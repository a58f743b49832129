import ReportingCore

/// The dashboard's four charts, each with its table, built from figures
/// already read: no database and no request, so each chart is tested alone.
enum DashboardCharts {
    /// A plan target measured by a form row (kh48 I.1 ↔ egov-2024:6.1).
    struct LinkedTarget {
        let plan: TargetPlan
        let target: Target
    }

    /// The plans' targets measured by rows of `formID`, with the row's code.
    static func linkedTargets(plans: [TargetPlan], formID: String) -> [(code: String, link: LinkedTarget)] {
        plans.flatMap { plan in
            plan.targets.compactMap { target in
                guard let reference = target.indicatorReference, reference.form == formID else { return nil }
                return (reference.code, LinkedTarget(plan: plan, target: target))
            }
        }
    }

    /// A unit's figure: consolidated from the units below when the row
    /// consolidates, otherwise what the unit reported itself.
    static func figure(
        _ result: ConsolidationService.Result, unit: String, slot: Int,
        tree: UnitTree
    ) -> (value: Double, consolidated: ConsolidatedFigure?)? {
        if let figure = result.figures(at: unit, in: tree)?[slot], let value = figure.value { return (value, figure) }
        if let own = result.ownValues(of: unit, in: tree)?[slot] ?? nil { return (own, nil) }
        return nil
    }

    static func source(_ figure: ConsolidatedFigure?) -> String {
        figure.map { "Tổng hợp từ \($0.coverageText) đơn vị" } ?? "Đơn vị tự báo cáo"
    }

    static func periodLabel(_ key: String) -> String { Period(key: key)?.label ?? key }

    // MARK: a. One indicator across units

    static func acrossUnits(
        unit: ReportingUnit, tree: UnitTree, form: CompiledForm, periodKey: String, indicator: Indicator,
        slot: Int, linked: [LinkedTarget], result: ConsolidationService.Result
    ) -> DashboardPage.Chart {
        let heading = "\(indicator.printedLabel) \(indicator.name) — các đơn vị trực thuộc \(unit.name)"
        let children = tree.children(of: unit.code).filter {
            indicator.applies(to: $0.kind, formLevels: form.form.levels) || !tree.children(of: $0.code).isEmpty
        }
        guard !children.isEmpty else {
            return DashboardPage.Chart(
                id: "chart-units", heading: heading, svg: nil,
                note: "\(unit.name) không có đơn vị cấp dưới báo cáo chỉ tiêu này.",
                headers: [], rows: [], link: nil, linkLabel: nil)
        }
        let percent = indicator.unit == .percent
        var withValues: [(unit: ReportingUnit, value: Double, source: String)] = []
        var missing: [ReportingUnit] = []
        for child in children {
            if let found = figure(result, unit: child.code, slot: slot, tree: tree) {
                withValues.append((child, found.value, source(found.consolidated)))
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
                references.append(
                    SVGChart.Reference(
                        value: threshold.value,
                        label: "Chỉ tiêu \(link.target.code) (\(link.plan.id)): \(threshold.display(percent: link.target.isPercent))"))
            }
        }
        func met(_ unit: ReportingUnit, _ value: Double) -> Bool? {
            guard let link = linked.first else { return nil }
            return link.target.threshold(for: unit.kind).isMet(by: value)
        }
        let bars = withValues.map { item in
            SVGChart.Bar(
                label: item.unit.name, value: item.value, valueText: FigureText.withUnit(item.value, indicator: indicator),
                fill: met(item.unit, item.value) == false ? .hatch : .solid)
        }
        let svg = SVGChart.horizontalBars(
            id: "chart-units", title: "\(indicator.printedLabel) theo đơn vị — \(periodLabel(periodKey))",
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
            note: linked.isEmpty
                ? nil : "Đường nét đứt: ngưỡng chỉ tiêu của kế hoạch gắn với chỉ tiêu này. Số liệu từ báo cáo đã tiếp nhận.",
            headers: ["Đơn vị", "Số liệu", "Nguồn"] + (linked.isEmpty ? [] : ["Đánh giá"]), rows: rows,
            link: nil, linkLabel: nil)
    }

    // MARK: b. One indicator over periods

    /// One period of the series: the row of the form that held the indicator then, and its figure.
    struct SeriesPoint {
        let period: Period
        /// The source's place in the series (the current form first), to order two forms of one period.
        let order: Int
        let formTitle: String
        let printedLabel: String
        let found: (value: Double, consolidated: ConsolidatedFigure?)?
        /// What the series source says of the correspondence, if anything.
        let note: String?
    }

    static func overPeriods(
        unit: ReportingUnit, indicator: Indicator, linked: [LinkedTarget],
        points series: [SeriesPoint]
    ) -> DashboardPage.Chart {
        let ordered = series.sorted { $0.period != $1.period ? $0.period < $1.period : $0.order < $1.order }
        let points = ordered.map { item in
            SVGChart.Point(
                label: item.period.label, value: item.found?.value,
                valueText: item.found.map { FigureText.withUnit($0.value, indicator: indicator) } ?? "Chưa có số liệu",
                group: item.formTitle)
        }
        let level: UnitKind? = unit.kind == .province ? nil : unit.kind
        let references = linked.map { link in
            let threshold = link.target.threshold(for: level)
            return SVGChart.Reference(
                value: threshold.value,
                label: "Chỉ tiêu \(link.target.code) (\(link.plan.id)): \(threshold.display(percent: link.target.isPercent))")
        }
        let svg = SVGChart.line(
            id: "chart-periods", title: "\(indicator.printedLabel) qua các kỳ — \(unit.name)",
            description: "\(indicator.name), từ báo cáo đã tiếp nhận; các kỳ theo biểu mẫu cũ được quy đổi theo bảng tương ứng chỉ tiêu.",
            points: points, references: references, percent: indicator.unit == .percent)
        let rows = zip(ordered, points).map { item, point in
            [
                point.label, "\(item.formTitle), chỉ tiêu \(item.printedLabel)", point.valueText,
                item.note ?? (item.found.map { source($0.consolidated) } ?? "")
            ]
        }
        return DashboardPage.Chart(
            id: "chart-periods", heading: "\(indicator.printedLabel) \(indicator.name) — qua các kỳ", svg: svg,
            note: points.isEmpty
                ? "Chưa có kỳ báo cáo nào của biểu mẫu này."
                : "Giá trị của biểu mẫu cũ được tính cho chỉ tiêu tương ứng của biểu mẫu mới theo bảng tương ứng; "
                    + "chỉ tiêu không có tương ứng không được đưa vào.",
            headers: ["Kỳ", "Biểu mẫu, chỉ tiêu", "Số liệu", "Ghi chú"], rows: rows, link: nil, linkLabel: nil)
    }

    // MARK: c. Submissions of the assignment

    /// A report's unit and state, all the submissions chart counts.
    struct Submitted {
        let unitCode: String
        let status: ReportStatus
    }

    /// `reports`: the assignment's reports of the unit and the units below it;
    /// nil when the period has no assignment of the form.
    static func submissions(
        unit: ReportingUnit, tree: UnitTree, formTitle: String, periodKey: String, reports: [Submitted]?,
        monitorLink: String?
    ) -> DashboardPage.Chart {
        let period = periodLabel(periodKey)
        let heading = "Tình hình gửi báo cáo — \(formTitle), \(period)"
        guard let reports else {
            return DashboardPage.Chart(
                id: "chart-status", heading: heading, svg: nil, note: "Chưa có đợt giao báo cáo cho kỳ này.",
                headers: [], rows: [], link: nil, linkLabel: nil)
        }
        let kinds = UnitKind.allCases.filter { kind in reports.contains { tree[$0.unitCode]?.kind == kind } }
        let fills: [SVGChart.Fill] = [.solid, .hatch, .grey, .dots, .crossHatch]
        let statuses = ReportStatus.allCases
        let counts = statuses.map { status in
            kinds.map { kind in reports.filter { $0.status == status && tree[$0.unitCode]?.kind == kind }.count }
        }
        let svg = SVGChart.groupedBars(
            id: "chart-status", title: "Số báo cáo theo trạng thái — \(period)",
            description: "\(reports.count) báo cáo của \(unit.name) và các đơn vị cấp dưới, theo trạng thái và cấp đơn vị.",
            categories: statuses.map(\.label),
            series: kinds.enumerated().map { SVGChart.Series(name: $0.element.label, fill: fills[$0.offset % fills.count]) },
            values: counts.map { $0.map(Double.init) })
        let rows =
            statuses.enumerated().map { index, status -> [String] in
                [status.label] + counts[index].map { String($0) } + [String(counts[index].reduce(0, +))]
            } + [["Tổng"] + kinds.indices.map { k in String(counts.map { $0[k] }.reduce(0, +)) } + [String(reports.count)]]
        return DashboardPage.Chart(
            id: "chart-status", heading: heading, svg: svg, note: nil,
            headers: ["Trạng thái"] + kinds.map(\.label) + ["Tổng"], rows: rows,
            link: monitorLink, linkLabel: "Theo dõi tình hình gửi báo cáo")
    }

    // MARK: d. Targets per group

    /// `rows`: the plan's evaluated targets that apply to the unit.
    static func targetsByGroup(plan: TargetPlan, unit: ReportingUnit, periodKey: String, rows: [TargetService.Row]) -> DashboardPage.Chart {
        let groups = plan.groups.filter { group in rows.contains { $0.group.code == group.code } }
        let statuses: [TargetStatus] = [.achieved, .notAchieved, .noData]
        let counts = groups.map { group in
            statuses.map { status in rows.filter { $0.group.code == group.code && $0.evaluation.status == status }.count }
        }
        let summary = TargetEvaluator.summary(rows.map(\.evaluation))
        let svg = SVGChart.groupedBars(
            id: "chart-targets", title: "Chỉ tiêu \(plan.id) theo nhóm — \(periodLabel(periodKey))",
            description: summary,
            categories: groups.map { "\($0.code). \($0.name)" },
            series: [
                SVGChart.Series(name: TargetStatus.achieved.label, fill: .solid),
                SVGChart.Series(name: TargetStatus.notAchieved.label, fill: .hatch),
                SVGChart.Series(name: TargetStatus.noData.label, fill: .white)
            ],
            values: counts.map { $0.map(Double.init) })
        let tableRows = groups.enumerated().map { index, group -> [String] in
            ["\(group.code). \(group.name)"] + counts[index].map { String($0) } + [String(counts[index].reduce(0, +))]
        }
        return DashboardPage.Chart(
            id: "chart-targets", heading: "Kết quả thực hiện chỉ tiêu theo nhóm — \(plan.title)", svg: svg,
            note: summary,
            headers: ["Nhóm", TargetStatus.achieved.label, TargetStatus.notAchieved.label, TargetStatus.noData.label, "Tổng"],
            rows: tableRows,
            link: PageLink.to("/targets", [("plan", plan.id), ("unit", unit.code), ("period", periodKey)]),
            linkLabel: "Bảng kết quả thực hiện các chỉ tiêu")
    }
}
