import Foundation
import Testing

@testable import ReportingCore

/// The demo province's tree and figures, without a database.
@Suite struct DemoFiguresTests {
    /// The committed CSV, read where the App keeps it (through the mini package's symlinks too).
    static let tree: UnitTree = {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let file = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/App/Demo/bac-giang-demo-units.csv")
        do {
            return try UnitTree(units: try UnitFile.parseCSV(try String(contentsOf: file, encoding: .utf8)))
        } catch { fatalError("The demo units do not load: \(error)") }
    }()

    static func form(_ id: String) throws -> CompiledForm { try #require(Fixtures.library.form(id)) }

    static func entries(_ plan: DemoPlan.PeriodPlan) throws -> (units: [ReportingUnit], entries: [String: [String: String]]) {
        let units = DemoPlan.reportingUnits(tree, twoLevel: plan.twoLevel)
        return (units, DemoFigures.entries(form: try form(plan.formID), periodKey: plan.periodKey, units: units, tree: tree))
    }

    static var allPeriods: [DemoPlan.PeriodPlan] {
        let now = DemoPlan.currentPeriods(today: CivilDate(year: 2026, month: 12, day: 2))
        return DemoPlan.pastPeriods + [now.previous, now.current]
    }

    @Test func theTreeHasBothShapes() {
        let units = Self.tree.units
        func count(_ kind: UnitKind, retired: Bool) -> Int { units.filter { $0.kind == kind && ($0.retiredOn != nil) == retired }.count }
        #expect(count(.province, retired: false) == 1)
        #expect(count(.department, retired: false) == 21)
        #expect(count(.district, retired: true) == 10)
        #expect(count(.commune, retired: true) == 195)
        #expect(count(.commune, retired: false) == 58)
        // Three levels before July 2025: every 2024 commune sits under a district.
        for unit in units where unit.kind == .commune && unit.retiredOn != nil {
            #expect(Self.tree[unit.parentCode ?? ""]?.kind == .district, "\(unit.code)")
        }
        // Two levels after: the new communes sit under the province, each with the 2024 commune whose code it kept.
        let province = DemoPlan.reportingUnits(Self.tree, twoLevel: true).filter { $0.kind == .commune }
        #expect(province.count == 58)
        for unit in province {
            #expect(unit.parentCode == "000.00.00.H05")
            let predecessors = Self.tree.lineage(of: unit.code).dropFirst()
            #expect(predecessors.count == 1, "\(unit.code)")
            #expect(predecessors.allSatisfy { unit.code.hasPrefix($0 + "-") })
        }
        #expect(DemoPlan.reportingUnits(Self.tree, twoLevel: false).count == 1 + 21 + 10 + 195)
    }

    @Test(arguments: DemoFiguresTests.allPeriods)
    func everyUnitsReportPassesItsForm(_ plan: DemoPlan.PeriodPlan) throws {
        let form = try Self.form(plan.formID)
        let (units, entries) = try Self.entries(plan)
        #expect(entries.count == units.count)
        for unit in units {
            var problems = Validator(form: form).validate(entries: entries[unit.code] ?? [:], unitKind: unit.kind).problems
            if plan.twoLevel && unit.kind == .province {
                // egov-2024 requires the province's cấp huyện rows, which have nothing to count after July 2025.
                let districtRows = form.indicators.filter { $0.levels == [.province, .district] }.map(\.code)
                #expect(Set(problems.map(\.code)) == Set(districtRows))
                #expect(problems.allSatisfy { $0.kind == .requiredMissing })
                problems = []
            }
            #expect(problems.isEmpty, "\(plan.periodKey) \(unit.code): \(problems.map(\.message))")
        }
        // Not the same figures everywhere: the dossiers differ from unit to unit.
        let dossierRow = plan.formID == "egov-2024" ? "6.3.1" : "6.4.1"
        let distinct = Set(units.filter { $0.kind == .commune }.compactMap { entries[$0.code]?[dossierRow] })
        #expect(distinct.count > 10)
    }

    @Test func quarterOneOf2024AddsUpToSeed000() throws {
        let plan = try #require(DemoPlan.pastPeriods.first { $0.periodKey == DemoFigures.seedPeriod })
        let (units, entries) = try Self.entries(plan)
        let lower = units.filter { $0.kind != .province }
        func value(_ unit: ReportingUnit, _ code: String) -> Int { entries[unit.code]?[code].flatMap { Int($0) } ?? 0 }
        let seed = Dictionary(uniqueKeysWithValues: DemoFigures.seedProvinceQ1.map { ($0.code, $0.raw) })
        for code in ["6.3.1", "6.3.2", "6.4.1", "6.4.2"] {
            #expect(String(lower.reduce(0) { $0 + value($1, code) }) == seed[code], "\(code)")
        }
        // Catalogues: the departments' own procedures, plus one list for the districts and one for the communes.
        for code in ["6.1.1", "6.1.2", "6.2.1", "6.2.2", "6.5.1", "6.5.2"] {
            var total = lower.filter { $0.kind == .department }.reduce(0) { $0 + value($1, code) }
            for kind in [UnitKind.district, .commune] { total += lower.filter { $0.kind == kind }.map { value($0, code) }.max() ?? 0 }
            #expect(String(total) == seed[code], "\(code)")
        }
        let province = try #require(units.first { $0.kind == .province })
        #expect(entries[province.code] == seed)
    }

    @Test func figuresAreTheSameOnEveryLoad() throws {
        let plan = DemoPlan.pastPeriods[3]
        #expect(try Self.entries(plan).entries == Self.entries(plan).entries)
    }

    @Test func distributeIsExact() {
        for (total, weights) in [(29_140, [3.0, 1, 0.5, 0]), (7, [1, 1, 1]), (0, [1.0]), (5, [0.0, 0])] {
            let parts = DemoFigures.distribute(total, weights: weights)
            #expect(parts.count == weights.count)
            #expect(parts.reduce(0, +) == (weights.contains { $0 > 0 } ? total : 0))
            #expect(zip(parts, weights).allSatisfy { $1 > 0 || $0 == 0 })
        }
    }

    @Test func laggingUnitsComeOutOfTheirOwnRatios() throws {
        let plan = try #require(Fixtures.library.plans["kh48-2024"])
        let units = DemoPlan.reportingUnits(Self.tree, twoLevel: false)
        let named: [String: [String: Double?]] = [
            "I.2": ["000.00.03.H05": 44.97, "D213": 57.27], "I.3": ["000.00.09.H05": nil],
            "I.4": ["000.00.05.H05": 2.6]
        ]
        let measures = DemoTargetMeasures.measures(plan: plan, periodKey: "2024-H1", units: units, lagging: named)
        for code in ["I.2", "I.3", "I.4"] {
            let target = try #require(plan.target(code))
            let values = measures.filter { $0.target == code }.compactMap { measure in
                Self.tree[measure.unitCode].map { (name: $0.code, kind: $0.kind, value: measure.percent.doubleValue) }
            }
            #expect(values.count > 10)
            #expect(Set(TargetEvaluator.lagging(target, values: values).map(\.name)) == Set((named[code] ?? [:]).keys), "\(code)")
        }
        #expect(measures.first { $0.target == "I.2" && $0.unitCode == "000.00.03.H05" }?.text == "44,97%")
        #expect(measures.first { $0.target == "I.4" && $0.unitCode == "000.00.05.H05" }?.text == "2,6%")
    }
}
