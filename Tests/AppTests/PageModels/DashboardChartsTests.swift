import Foundation
import ReportingCore
import Testing

@testable import App

/// The dashboard's charts and tables, built from figures without HTTP or a database.
@Suite struct DashboardChartsTests {
    let library: FormLibrary
    let form: CompiledForm
    let tree: UnitTree

    init() throws {
        library = try FormLibrary.builtIn()
        form = try #require(library.forms["egov-2024"])
        tree = try UnitTree(units: [
            ReportingUnit(code: "P", name: "Tỉnh", kind: .province),
            ReportingUnit(code: "A", name: "Huyện A", kind: .district, parentCode: "P"),
            ReportingUnit(code: "B", name: "Huyện B", kind: .district, parentCode: "P"),
            ReportingUnit(code: "C", name: "Huyện C", kind: .district, parentCode: "P")
        ])
    }

    /// A row of the form a district reports itself.
    func districtIndicator() throws -> (Indicator, Int) {
        let indicator = try #require(
            form.indicators.first {
                !$0.isHeading && !$0.isComputed && $0.unit != .percent && $0.applies(to: .district, formLevels: form.form.levels)
            })
        return (indicator, try #require(form.slotByCode[indicator.code]))
    }

    /// Districts' own values at `slot`; every other unit uncounted.
    func result(_ values: [String: Double], slot: Int) throws -> ConsolidationService.Result {
        var reports = [[Double?]?](repeating: nil, count: tree.units.count)
        for (code, value) in values {
            var own = [Double?](repeating: nil, count: form.indicators.count)
            own[slot] = value
            reports[try #require(tree.indexByCode[code])] = own
        }
        return ConsolidationService.Result(form: form, period: "2024-Q1", figures: [:], reports: reports, statuses: [:])
    }

    @Test func unitsAreRankedByTheirFigureAndTheMissingOnesShareOneRow() throws {
        let (indicator, slot) = try districtIndicator()
        let chart = DashboardCharts.acrossUnits(
            unit: try #require(tree["P"]), tree: tree, form: form, periodKey: "2024-Q1", indicator: indicator, slot: slot,
            linked: [], result: try result(["A": 1200, "B": 3400], slot: slot))
        #expect(chart.rows.map(\.first) == ["Huyện B", "Huyện A", "Chưa có số liệu (1 đơn vị)"])
        #expect(chart.rows[0][1].hasPrefix("3.400"))
        #expect(chart.rows[0][2] == "Đơn vị tự báo cáo")
        #expect(chart.rows[2][2] == "Huyện C")
        #expect(chart.headers == ["Đơn vị", "Số liệu", "Nguồn"])
        let svg = try #require(chart.svg)
        #expect(svg.contains("2 đơn vị có số liệu, 1 đơn vị chưa có"))
        #expect(svg.contains("Quý I"))
    }

    @Test func aUnitWithoutUnitsBelowGetsANoteAndNoChart() throws {
        let (indicator, slot) = try districtIndicator()
        let chart = DashboardCharts.acrossUnits(
            unit: try #require(tree["A"]), tree: tree, form: form, periodKey: "2024-Q1", indicator: indicator, slot: slot,
            linked: [], result: try result([:], slot: slot))
        #expect(chart.svg == nil)
        #expect(chart.note == "Huyện A không có đơn vị cấp dưới báo cáo chỉ tiêu này.")
    }

    @Test func submissionsAreCountedByStateAndLevelWithTotals() throws {
        let reports = [("A", ReportStatus.accepted), ("B", .accepted), ("C", .sent), ("P", .draft)]
            .map { DashboardCharts.Submitted(unitCode: $0.0, status: $0.1) }
        let chart = DashboardCharts.submissions(
            unit: try #require(tree["P"]), tree: tree, formTitle: "Biểu CQĐT",
            periodKey: "2024-Q1", reports: reports, monitorLink: "/m")
        let byState = Dictionary(uniqueKeysWithValues: chart.rows.map { ($0[0], Array($0.dropFirst())) })
        #expect(chart.headers == ["Trạng thái", UnitKind.province.label, UnitKind.district.label, "Tổng"])
        #expect(byState[ReportStatus.accepted.label] == ["0", "2", "2"])
        #expect(byState[ReportStatus.sent.label] == ["0", "1", "1"])
        #expect(byState["Tổng"] == ["1", "3", "4"])
        #expect(chart.link == "/m")
        let none = DashboardCharts.submissions(
            unit: try #require(tree["P"]), tree: tree, formTitle: "Biểu CQĐT",
            periodKey: "2024-Q1", reports: nil, monitorLink: nil)
        #expect(none.svg == nil && none.note == "Chưa có đợt giao báo cáo cho kỳ này.")
    }

    @Test func targetsAreCountedPerGroupFromTheirEvaluations() throws {
        let plan = try #require(library.plans["kh48-2024"])
        let group = try #require(plan.groups.first { $0.targets.count >= 3 })
        let (met, notMet, empty) = (group.targets[0], group.targets[1], group.targets[2])
        func row(_ target: Target, _ value: Double?) -> TargetService.Row {
            TargetService.Row(group: group, target: target, evaluation: TargetEvaluator.evaluate(target, value: value), lagging: [])
        }
        let rows = [row(met, met.threshold(for: nil).value + 1), row(notMet, notMet.threshold(for: nil).value - 1), row(empty, nil)]
        let chart = DashboardCharts.targetsByGroup(plan: plan, unit: try #require(tree["P"]), periodKey: "2024-Q1", rows: rows)
        #expect(chart.rows == [["\(group.code). \(group.name)", "1", "1", "1", "3"]])
        #expect(chart.note == TargetEvaluator.summary(rows.map(\.evaluation)))
        #expect(chart.link?.hasPrefix("/targets?plan=kh48-2024") == true)
    }

    @Test func aSeriesIsOrderedByPeriodWithTheCurrentFormFirst() throws {
        let (indicator, _) = try districtIndicator()
        func point(_ key: String, _ order: Int, _ value: Double?) throws -> DashboardCharts.SeriesPoint {
            DashboardCharts.SeriesPoint(
                period: try #require(Period(key: key)), order: order, formTitle: "F\(order)",
                printedLabel: indicator.printedLabel, found: value.map { ($0, nil) }, note: nil)
        }
        let chart = DashboardCharts.overPeriods(
            unit: try #require(tree["P"]), indicator: indicator, linked: [],
            points: [try point("2024-Q1", 0, 5), try point("2023-Q4", 1, nil), try point("2023-Q4", 0, 4)])
        #expect(chart.rows.map { $0[1].hasPrefix("F0") } == [true, false, true])
        #expect(chart.rows.map(\.[2]).last?.hasPrefix("5") == true)
        #expect(chart.rows[1][2] == "Chưa có số liệu")
    }
}
