import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

/// Runs a test against a fresh application with the living demo province
/// (`DemoProvince`, what `baocao serve` shows) instead of the tests' fixture.
func withProvinceDemo(today: CivilDate, _ body: (Application, DemoProvince.Summary) async throws -> Void) async throws {
    let usesPostgres = ProcessInfo.processInfo.environment["DATABASE_URL"].map { !$0.isEmpty } ?? false
    if usesPostgres { await PostgresTurn.shared.acquire() }
    defer { if usesPostgres { Task { await PostgresTurn.shared.release() } } }
    let app = try await Application.make(.testing)
    app.logger.logLevel = .error
    do {
        var config = try AppConfig.fromEnvironment(testing: true)
        config.loadDemo = false
        try await configure(app, config: config)
        if case .postgres = config.database { try await app.autoRevert() }
        try await app.autoMigrate()
        app.passwords.use(.plaintext)
        let summary = try await DemoProvince(database: app.db, library: app.library, hasher: { $0 }).load(adminPassword: nil, today: today)
        try await body(app, summary)
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

@Suite(.serialized) struct DemoInvariantTests {
    static let today = CivilDate.today()
    /// Units of the public data: agencies (province + 21), 2024 districts and communes, 2025 communes.
    static let agencies = 22, districts = 10, communes2024 = 195, communes2025 = 58
    static let threeLevel = agencies + districts + communes2024, twoLevel = agencies + communes2025

    @Test func theTreeAndThePeriodsAreLoaded() async throws {
        try await withProvinceDemo(today: Self.today) { app, summary in
            let units = try await UnitRecord.query(on: app.db).all().map(\.core)
            #expect(units.count == Self.threeLevel + Self.communes2025)
            #expect(summary.units == units.count)
            #expect(units.filter { $0.retiredOn != nil }.count == Self.districts + Self.communes2024)
            #expect(units.filter { !$0.successorCodes.isEmpty }.count == Self.communes2025)
            let assignments = try await Assignment.query(on: app.db).all()
            #expect(assignments.count == 6)
            for assignment in assignments {
                let reports = try await Report.query(on: app.db).filter(\.$assignment.$id == assignment.requireID()).count()
                let twoLevel = Period(key: assignment.periodKey).map { $0.year >= 2025 } ?? false
                #expect(reports == (twoLevel ? Self.twoLevel : Self.threeLevel), "\(assignment.periodKey)")
            }
            // Every state a report can be in, somewhere.
            let statuses = Set(try await Report.query(on: app.db).all().map(\.status))
            #expect(statuses == Set(ReportStatus.allCases))
            // The demo accounts still sign in.
            for username in ["sotttt", "xa.nhaplieu", "huyen.nhaplieu", "tinh.nhaplieu", "so.nhaplieu"] {
                _ = try await Browser.signIn(app, as: username)
            }
        }
    }

    @Test func everyReportPassesItsFormUnlessReturnedForAnError() async throws {
        try await withProvinceDemo(today: Self.today) { app, _ in
            let tree = try UnitTree(units: try await UnitRecord.query(on: app.db).all().map(\.core))
            let reports = try await Report.query(on: app.db).with(\.$values).all()
            var returnedForErrors = 0
            for report in reports where report.status != .notStarted {
                let form = try #require(app.library.form(report.formID))
                let entries = Dictionary(report.values.map { ($0.code, $0.raw) }, uniquingKeysWith: { first, _ in first })
                let problems = Validator(form: form).validate(entries: entries, unitKind: tree[report.unitCode]?.kind).problems
                    .filter { !(report.status == .draft && $0.kind == .requiredMissing) }
                if problems.isEmpty { continue }
                // Invalid on purpose: returned, the reviewer's comment on the row in error.
                #expect(report.status == .returned, "\(report.periodKey) \(report.unitCode): \(problems.map(\.message))")
                #expect(problems.allSatisfy { $0.kind == .partExceedsTotal })
                let commented = report.values.filter { $0.reviewComment != nil }.map(\.code)
                #expect(problems.allSatisfy { commented.contains($0.code) })
                returnedForErrors += 1
            }
            #expect(returnedForErrors == 2)
        }
    }

    @Test func provinceTotalsAreTheSumsAndSeed000sFigures() async throws {
        try await withProvinceDemo(today: Self.today) { app, _ in
            let tree = try UnitTree(units: try await UnitRecord.query(on: app.db).all().map(\.core))
            let province = DemoProvince.provinceCode
            let seed = Dictionary(uniqueKeysWithValues: DemoFigures.seedProvinceQ1.map { ($0.code, $0.raw) })
            let service = ConsolidationService(database: app.db, library: app.library, tree: tree)
            let result = try await service.consolidate(formID: "egov-2024", periodKey: "2024-Q1")
            let figures = try #require(result.figures(at: province, in: tree))
            let own = try await app.report(unit: province, period: "2024-Q1")
            let ownValues = try await own.$values.get(on: app.db)
            for code in ["6.3.1", "6.3.2", "6.4.1", "6.4.2"] {
                let slot = try #require(result.form.slotByCode[code])
                #expect(figures[slot].value.map { String(Int($0)) } == seed[code], "\(code)")
                #expect(figures[slot].isComplete, "\(code): \(figures[slot].coverageText)")
                #expect(ownValues.first { $0.code == code }?.raw == seed[code])
            }
            // Every period: a summed row of the province is the sum of the accepted reports below it.
            for assignment in try await Assignment.query(on: app.db).all() {
                let result = try await service.consolidate(formID: assignment.formID, periodKey: assignment.periodKey)
                guard let figures = result.figures(at: province, in: tree) else { continue }
                for (slot, indicator) in result.form.indicators.enumerated() where indicator.consolidation == .sum {
                    let sum = tree.descendants(of: province).compactMap { result.ownValues(of: $0.code, in: tree)?[slot] }.reduce(0, +)
                    #expect(abs((figures[slot].value ?? 0) - sum) < 1e-6, "\(assignment.periodKey) \(indicator.code)")
                }
            }
        }
    }

    @Test func seed001sLaggingUnitsFallBelowTheirThresholdsByTheirOwnData() async throws {
        try await withProvinceDemo(today: Self.today) { app, _ in
            let tree = try UnitTree(units: try await UnitRecord.query(on: app.db).all().map(\.core))
            let plan = try #require(app.library.plans["kh48-2024"])
            let rows = try await TargetService(database: app.db, library: app.library, tree: tree)
                .evaluate(plan: plan, unitCode: DemoProvince.provinceCode, periodKey: "2024-H1")
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/App/Demo/seed001-lagging-units.csv")
            let named = Array(ValuesFile.records(try String(contentsOf: url, encoding: .utf8)).dropFirst()).filter { $0.count >= 4 }
            func key(_ name: String) -> String { name.lowercased().replacingOccurrences(of: "hoá", with: "hóa").filter { $0.isLetter } }
            for code in ["I.2", "I.3", "I.4"] {
                let row = try #require(rows.first { $0.target.code == code })
                let expected = Set(named.filter { $0[0] == code }.map { key($0[1]) })
                #expect(Set(row.lagging.map { key($0.name) }) == expected, "\(code)")
                // Every other unit the target applies to has its own figure, above the threshold.
                let levels = row.target.appliesTo ?? []
                let applies = DemoPlan.reportingUnits(tree, twoLevel: false).filter { $0.kind != .province && levels.contains($0.kind) }
                    .count
                let results = try await TargetResult.query(on: app.db).filter(\.$targetCode == code).filter(\.$periodKey == "2024-H1")
                    .count()
                #expect(results == applies + 1, "\(code): the province's and one for each unit")
                #expect(applies > expected.count)
            }
        }
    }

    @Test func theDeadlineDayIsInMotion() async throws {
        try await withProvinceDemo(today: Self.today) { app, _ in
            let assignments = try await Assignment.query(on: app.db).all().sorted { $0.deadline < $1.deadline }
            let current = try #require(assignments.last), previous = try #require(assignments.dropLast().last)
            #expect(current.deadline == Self.today.adding(days: DemoProvince.daysLeft).description)
            #expect(previous.deadline == Self.today.adding(days: -DemoProvince.daysOverdue).description)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let late = try await Report.query(on: app.db).filter(\.$assignment.$id == previous.requireID()).all()
                .filter { !$0.status.hasBeenSent }.count
            #expect(late > 0)
            let overdue = try await reviewer.get("/assignments/\(previous.requireID())/monitor").body.string
            #expect(overdue.components(separatedBy: "overdue-row").count - 1 == late)
            #expect(overdue.contains("\(DemoProvince.daysOverdue) ngày"))
            let open = try await reviewer.get("/assignments/\(current.requireID())/monitor").body.string
            #expect(!open.contains("overdue-row"))
            // One report of the past reopened into a second revision, its first kept.
            let reopened = try await Report.query(on: app.db).filter(\.$revision == 2).all()
            #expect(reopened.count == 1)
            #expect(try await ReportRevision.query(on: app.db).count() == 1)
            // Its history, as the audit page reads it: accepted, then reopened by the reviewer.
            let reopenedID = try #require(reopened.first?.id)
            let history = try await AuditEntry.query(on: app.db).filter(\.$reportID == reopenedID).sort(\.$at).all()
            #expect(
                history.map(\.newValue).suffix(3) == [
                    ReportStatus.accepted.rawValue, ReportStatus.returned.rawValue,
                    try #require(reopened.first?.reviewComment)
                ])
            #expect(history.allSatisfy { $0.at < Date() })
            #expect(try await reviewer.get("/reports/\(reopenedID)").status == .ok)
            // The commune's officer has the current quarter to finish.
            let mine = try await app.report(unit: DemoProvince.communeCode, period: current.periodKey)
            #expect(mine.status == .draft)
        }
    }
}
