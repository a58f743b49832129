import Testing

@testable import ReportingCore

@Suite("Consolidation")
struct ConsolidationTests {
    var form: CompiledForm { Fixtures.library.form("egov-2024")! }

    /// Province → 2 districts → 2 communes each, plus a department.
    func tree() throws -> UnitTree {
        try UnitTree(units: [
            ReportingUnit(code: "P", name: "Tỉnh", kind: .province),
            ReportingUnit(code: "S", name: "Sở Tư pháp", kind: .department, parentCode: "P"),
            ReportingUnit(code: "D1", name: "Huyện A", kind: .district, parentCode: "P"),
            ReportingUnit(code: "D2", name: "Huyện B", kind: .district, parentCode: "P"),
            ReportingUnit(code: "C1", name: "Xã 1", kind: .commune, parentCode: "D1"),
            ReportingUnit(code: "C2", name: "Xã 2", kind: .commune, parentCode: "D1"),
            ReportingUnit(code: "C3", name: "Xã 3", kind: .commune, parentCode: "D2"),
            ReportingUnit(code: "C4", name: "Xã 4", kind: .commune, parentCode: "D2")
        ])
    }

    func figure(_ figures: [ConsolidatedFigure], _ code: String) -> ConsolidatedFigure { figures[form.slotByCode[code]!] }

    @Test func sumsCountsAndRecomputesRatiosFromParts() throws {
        let consolidator = Consolidator(form: form, tree: try tree())
        let reports: [String: [Double?]] = [
            "C1": consolidator.slots(["6.3.1": 100, "6.3.2": 90, "6.3": 90]),
            "C2": consolidator.slots(["6.3.1": 900, "6.3.2": 450, "6.3": 50]),
            "C3": consolidator.slots(["6.3.1": 10, "6.3.2": 10, "6.3": 100])
        ]
        let figures = try #require(consolidator.consolidate(at: "P", reports: reports))
        #expect(figure(figures, "6.3.1").value == 1010)
        #expect(figure(figures, "6.3.2").value == 550)
        // 550 / 1010, not the average of 90, 50 and 100.
        #expect(abs(figure(figures, "6.3").value! - 54.4554) < 0.001)
        // Coverage: 3 of the 7 units that should report (1 department, 2 districts, 4 communes).
        #expect(figure(figures, "6.3.1").reported == 3)
        #expect(figure(figures, "6.3.1").expected == 7)
        let district = try #require(consolidator.consolidate(at: "D1", reports: reports))
        #expect(figure(district, "6.3.1").value == 1000)
        #expect(figure(district, "6.3.1").coverageText == "2/2")
        #expect(consolidator.consolidate(at: "C1", reports: reports) == nil)
    }

    @Test func shareOfUnitsMeetingACondition() throws {
        let consolidator = Consolidator(form: form, tree: try tree())
        let reports: [String: [Double?]] = [
            "C1": consolidator.slots(["5.1.3": 100]), "C2": consolidator.slots(["5.1.3": 0]),
            "C3": consolidator.slots(["5.1.3": 100]), "C4": consolidator.slots(["5.1.3": 100])
        ]
        let figures = try #require(consolidator.consolidate(at: "P", reports: reports))
        let connected = figure(figures, "5.1.3")
        #expect(connected.value == 75)
        #expect(connected.unitsMeeting == 3 && connected.unitsCounted == 4)
    }

    @Test func codedValuesMinMaxMode() throws {
        let coded = try CompiledForm(
            Form(
                id: "k", title: "K",
                indicators: [
                    Indicator(
                        code: "1", name: "Min", unit: .coded, choices: [Choice(value: 0, label: "Chưa"), Choice(value: 1, label: "Xong")],
                        consolidate: .min),
                    Indicator(
                        code: "2", name: "Max", unit: .coded, choices: [Choice(value: 0, label: "Không"), Choice(value: 1, label: "Có")],
                        consolidate: .max),
                    Indicator(
                        code: "3", name: "Mode", unit: .coded,
                        choices: [Choice(value: 0, label: "A"), Choice(value: 1, label: "B"), Choice(value: 2, label: "C")],
                        consolidate: .mode),
                    Indicator(code: "4", name: "Text", unit: .text, consolidate: ConsolidationRule.none)
                ]))
        let consolidator = Consolidator(form: coded, tree: try tree())
        let reports: [String: [Double?]] = [
            "C1": [1, 0, 2, nil], "C2": [0, 1, 2, nil], "C3": [1, 0, 1, nil]
        ]
        let figures = try #require(consolidator.consolidate(at: "P", reports: reports))
        #expect(figures.map(\.value) == [0, 1, 2, nil])
    }

    @Test func unitsNotExpectedDoNotCount() throws {
        let consolidator = Consolidator(form: form, tree: try tree())
        let reports = ["C1": consolidator.slots(["6.3.1": 5])]
        let figures = try #require(consolidator.consolidate(at: "P", reports: reports) { $0.kind == .commune })
        #expect(figure(figures, "6.3.1").expected == 4)
    }

    @Test func enteredVersusConsolidatedDifferences() throws {
        let consolidator = Consolidator(form: form, tree: try tree())
        let figures = try #require(consolidator.consolidate(at: "P", reports: ["C1": consolidator.slots(["6.3.1": 100, "6.3.2": 90])]))
        let entered = consolidator.slots(["6.3.1": 120, "6.3.2": 90, "6.3": 90])
        let differences = EnteredDifference.compare(form: form, entered: entered, consolidated: figures)
        #expect(differences.map(\.code) == ["6.3", "6.3.1"].filter { code in differences.contains { $0.code == code } })
        #expect(differences.contains { $0.code == "6.3.1" && $0.entered == 120 && $0.consolidated == 100 })
        #expect(!differences.contains { $0.code == "6.3.2" })
        #expect(differences.contains { $0.code == "6.3" } == false) // 90 entered, 90/100 = 90 consolidated
    }

    @Test func benchmarkTreeHasTheRequestedSize() throws {
        let tree = try BenchmarkData.tree(units: 11_000)
        #expect(abs(tree.units.count - 11_000) < 40)
        let form = try BenchmarkData.form(indicators: 150)
        #expect(form.slotCount == 150)
    }
}

@Suite("Benchmark data")
struct BenchmarkDataTests {
    @Test func syntheticReportsAreValidSoTheBenchTimesTheCleanPath() throws {
        let form = try BenchmarkData.form(indicators: 150)
        let validator = Validator(form: form)
        for unit in [1, 2, 500, 10_999] {
            let problems = validator.check(values: BenchmarkData.values(form: form, unit: unit), unitKind: .commune).0
            #expect(problems.isEmpty, "\(problems.prefix(3).map(\.message))")
        }
    }
}
