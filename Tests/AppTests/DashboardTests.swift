import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Dashboards: SVG charts with their tables")
struct DashboardTests {
    /// Parses an SVG as XML; returns the parser's error, nil when well-formed.
    static func xmlError(_ svg: String) -> String? {
        let parser = XMLParser(data: Data(svg.utf8))
        return parser.parse() ? nil : String(describing: parser.parserError)
    }

    /// Each chart block of the page: its inline SVG and the table after it.
    static func charts(_ html: String) -> [String: (svg: String, table: String)] {
        var result: [String: (String, String)] = [:]
        for match in html.matches(of: /<section class="chart-block" id="([a-z-]+)-block">(.*?)<\/section>/.dotMatchesNewlines()) {
            let block = String(match.2)
            let svg = block.firstMatch(of: /<svg.*?<\/svg>/.dotMatchesNewlines()).map { String($0.0) } ?? ""
            let table = block.firstMatch(of: /<table.*?<\/table>/.dotMatchesNewlines()).map { String($0.0) } ?? ""
            result[String(match.1)] = (svg, table)
        }
        return result
    }

    /// Puts accepted figures straight into a unit's report, as if entered, sent and accepted.
    static func accept(_ app: Application, unit: String, period: String, form: String = "egov-2024", values: [String: String]) async throws
    {
        let report = try await app.report(unit: unit, period: period)
        #expect(report.formID == form)
        for (code, number) in values {
            try await ReportValue(reportID: report.id!, code: code, raw: number, number: number, note: nil).save(on: app.db)
        }
        report.status = .accepted
        try await report.save(on: app.db)
    }

    @Test func oneIndicatorAcrossUnitsWithTheTargetLine() async throws {
        try await withDemoApp { app in
            let interior = try await app.unitCode(named: "Sở Nội vụ")
            let justice = try await app.unitCode(named: "Sở Tư pháp")
            try await Self.accept(app, unit: interior, period: "2024-Q1", values: ["6.1.1": "50", "6.1.2": "50"])
            try await Self.accept(app, unit: justice, period: "2024-Q1", values: ["6.1.1": "40", "6.1.2": "22"])
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let page = try await reviewer.get("/dashboard?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)&code=6.1")
            #expect(page.status == .ok)
            let html = page.body.string
            let charts = Self.charts(html)
            #expect(Set(charts.keys) == ["chart-units", "chart-periods", "chart-status", "chart-targets"])
            for (id, chart) in charts {
                #expect(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(id)")
                #expect(Self.xmlError(chart.svg) == nil, "\(id): \(Self.xmlError(chart.svg) ?? "")")
                #expect(!chart.svg.contains("style="), "\(id)")
                #expect(!chart.table.isEmpty, "\(id) has no table")
            }
            #expect(!html.contains("<script>"))
            let units = try #require(charts["chart-units"])
            // Sorted, largest first; 22/40 = 55% is below kh48 I.1's 80%: hatched.
            let first = try #require(units.svg.range(of: "Sở Nội vụ: 100%"))
            let second = try #require(units.svg.range(of: "Sở Tư pháp: 55%"))
            #expect(first.lowerBound < second.lowerBound)
            #expect(units.svg.contains("Chỉ tiêu I.1 (kh48-2024): ≥ 80%"))
            #expect(units.svg.contains("stroke-dasharray=\"6 3\""))
            #expect(units.svg.contains("fill=\"url(#chart-units-hatch)\""))
            #expect(units.table.contains("<td>Sở Tư pháp</td><td>55%</td><td>Đơn vị tự báo cáo</td><td>Chưa đạt</td>"))
            #expect(units.table.contains("<td>Sở Nội vụ</td><td>100%</td><td>Đơn vị tự báo cáo</td><td>Đạt</td>"))
            let missing = try #require(units.table.firstMatch(of: /<td>Chưa có số liệu \((\d+) đơn vị\)<\/td><td><\/td><td>([^<]*)<\/td>/))
            #expect(missing.2.contains("UBND huyện Yên Thế"))
            #expect(!missing.2.contains("Sở Nội vụ"))
            #expect(Int(missing.1) == (try await UnitRecord.query(on: app.db).filter(\.$parentCode == DemoLoader.provinceCode).count()) - 2)
            // The chart and its table sit together in one block.
            #expect(html.contains("<div class=\"chart-pair\">\n<figure class=\"chart-figure\"><svg"))
        }
    }

    @Test func theTimeSeriesCrossesTheFormChange() async throws {
        try await withDemoApp { app in
            let province = DemoLoader.provinceCode
            // An egov-2022 report for Quý I/2022: mức độ 4 (6.2) is toàn trình (6.1) in 2024.
            let assignment = Assignment(
                formID: "egov-2022", periodKey: "2022-Q1", deadline: "2022-03-20", receiverCode: province,
                title: "Báo cáo CQĐT Quý I năm 2022")
            try await assignment.save(on: app.db)
            let report = Report(assignmentID: assignment.id!, unitCode: province, formID: "egov-2022", periodKey: "2022-Q1")
            report.status = .accepted
            try await report.save(on: app.db)
            for (code, number) in [("6.2.1", "500"), ("6.2.2", "400"), ("6.4.1", "1000"), ("6.4.2", "10")] {
                try await ReportValue(reportID: report.id!, code: code, raw: number, number: number, note: nil).save(on: app.db)
            }
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let html = try await reviewer.get("/dashboard?form=egov-2024&period=2024-Q1&unit=\(province)&code=6.1").body.string
            let series = try #require(Self.charts(html)["chart-periods"])
            #expect(Self.xmlError(series.svg) == nil)
            // 400/500 = 80% in 2022, the province's own 100% (seed 000) in Quý I/2024, in that order.
            let old = try #require(series.svg.range(of: "<title>Quý I năm 2022: 80%</title>"))
            let new = try #require(series.svg.range(of: "<title>Quý I năm 2024: 100%</title>"))
            #expect(old.lowerBound < new.lowerBound)
            #expect(series.svg.contains("Từ đây: CQĐT/CQS (2024)"))
            #expect(series.svg.contains("<polyline"))
            #expect(series.table.contains("<td>Quý I năm 2022</td><td>CQĐT/CQS (2022, mức độ 3/4), chỉ tiêu 6.2.</td><td>80%</td>"))
            #expect(series.table.contains("mức độ 4 tương ứng toàn trình"))
            // 6.4 has no counterpart: egov-2022's 6.4 (1% here) never enters egov-2024's 6.4 series.
            let partial = try await reviewer.get("/dashboard?form=egov-2024&period=2024-Q1&unit=\(province)&code=6.4").body.string
            let other = try #require(Self.charts(partial)["chart-periods"])
            #expect(!other.table.contains("2022"))
            #expect(other.table.contains("<td>Quý I năm 2024</td><td>CQĐT/CQS (2024), chỉ tiêu 6.4</td><td>99,8%</td>"))
        }
    }

    @Test func submissionsAndTargetsPerGroup() async throws {
        try await withDemoApp { app in
            let plan = try #require(app.library.plans["kh48-2024"])
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let html = try await reviewer.get("/dashboard?form=egov-2024&period=2024-H1&unit=\(DemoLoader.provinceCode)&plan=kh48-2024")
                .body.string
            let charts = Self.charts(html)
            // Every demo unit has a report for 2024-H1, none started.
            let reports = try await Report.query(on: app.db).filter(\.$periodKey == "2024-H1").count()
            let status = try #require(charts["chart-status"])
            #expect(status.svg.contains("Chưa nhập"))
            #expect(status.table.contains("<td>Tổng</td>"))
            #expect(status.table.contains("<td>\(reports)</td></tr></tbody>"))
            #expect(status.svg.contains("Sở, ban, ngành"))
            // Targets per group from seed 001, as the core evaluates them.
            let evaluations = try TargetPageTests.seedEvaluations(plan)
            let targets = try #require(charts["chart-targets"])
            for group in plan.groups {
                let inGroup = evaluations.filter { evaluation in group.targets.contains { $0.code == evaluation.code } }
                let counts = [TargetStatus.achieved, .notAchieved, .noData].map { status in inGroup.filter { $0.status == status }.count }
                #expect(
                    targets.table.contains(
                        "<td>\(group.code). \(group.name)</td><td>\(counts[0])</td><td>\(counts[1])</td><td>\(counts[2])</td><td>\(inGroup.count)</td>"
                    ), "\(group.code)")
            }
            #expect(targets.svg.contains("Phát triển chính quyền số") || targets.svg.contains("I. Phát triển"))
            #expect(html.contains(TargetEvaluator.summary(evaluations)))
        }
    }

    @Test func aCommuneReporterIsRefused() async throws {
        try await withDemoApp { app in
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await reporter.get("/dashboard?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)").status == .forbidden)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            #expect(try await reviewer.get("/dashboard?form=egov-2024&period=2024-Q1&code=6").status == .unprocessableEntity)
            // Defaults: the reviewer's unit, the latest period, the row a plan target is measured by (6.1).
            let defaults = try await reviewer.get("/dashboard")
            #expect(defaults.status == .ok)
            #expect(defaults.body.string.contains("Chỉ tiêu 6.1 Tỷ lệ DVCTT toàn trình đủ điều kiện"))
        }
    }
}

@Suite("SVG chart builder")
struct SVGChartTests {
    @Test func textIsEscapedAndTheResultIsWellFormed() throws {
        let svg = SVGChart.horizontalBars(
            id: "t", title: "Tỷ lệ <thử> & \"kiểm tra\"", description: "Mô tả 'a' & b",
            bars: [
                SVGChart.Bar(label: "Sở A & B <C>", value: 12.5, valueText: "12,5%"),
                SVGChart.Bar(
                    label: "Sở Lao động - Thương binh và Xã hội của một tỉnh rất dài tên", value: 80, valueText: "80%", fill: .hatch)
            ],
            references: [SVGChart.Reference(value: 80, label: "≥ 80%")], percent: true, legend: [("Đạt", .solid), ("Chưa đạt", .hatch)])
        #expect(DashboardTests.xmlError(svg) == nil)
        #expect(svg.contains("Tỷ lệ &lt;thử&gt; &amp; &quot;kiểm tra&quot;"))
        #expect(svg.contains("Sở A &amp; B &lt;C&gt;: 12,5%"))
        #expect(!svg.contains("<thử>"))
        #expect(svg.contains("…")) // the long name is shortened on the chart, whole in its <title>
        #expect(svg.contains("<title>Sở Lao động - Thương binh và Xã hội của một tỉnh rất dài tên: 80%</title>"))
        // Largest first.
        #expect(svg.range(of: "80%</text>")!.lowerBound < svg.range(of: "12,5%</text>")!.lowerBound)
    }

    @Test func emptyChartsSayThereIsNoData() {
        let bars = SVGChart.horizontalBars(id: "e", title: "Trống", description: "", bars: [], percent: false)
        let line = SVGChart.line(
            id: "l", title: "Trống", description: "",
            points: [SVGChart.Point(label: "Quý I năm 2024", value: nil, valueText: "Chưa có số liệu", group: "x")], percent: true)
        let grouped = SVGChart.groupedBars(id: "g", title: "Trống", description: "", categories: [], series: [], values: [])
        for svg in [bars, line, grouped] { #expect(DashboardTests.xmlError(svg) == nil) }
        #expect(bars.contains("Chưa có số liệu"))
        #expect(line.contains("Chưa có số liệu"))
        #expect(!line.contains("<polyline"))
    }

    @Test func axesAreRoundAndNumbersVietnamese() {
        #expect(SVGChart.axis(max: 87, percent: true).max == 100)
        #expect(SVGChart.axis(max: 29_140, percent: false).ticks == [0, 10_000, 20_000, 30_000])
        #expect(SVGChart.axis(max: 3, percent: false, integers: true).ticks == [0, 1, 2, 3, 4])
        #expect(SVGChart.numberText(29_140, percent: false) == "29.140")
        #expect(SVGChart.numberText(97.1, percent: true) == "97,1%")
        #expect(HTMLWriter.coordinate(12.25) == "12.3" || HTMLWriter.coordinate(12.25) == "12.2")
        #expect(HTMLWriter.coordinate(40) == "40")
    }
}
