import Fluent
import Foundation
import ReportingCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The consolidation read path (plain SQL rows, one per report, and the
/// cache keyed on the database's stamp) gives exactly what the path it
/// replaced gave: every Fluent model loaded and every number parsed.
@Suite("Consolidation read path")
struct ConsolidationReadPathTests {
    /// The path the read path replaced, kept here as the reference: every
    /// report and every value as a Fluent model, each number parsed from text.
    static func reference(
        _ app: Application, tree: UnitTree, formID: String, periodKey: String,
        basis: ConsolidationService.Basis
    ) async throws -> ConsolidationService.Result {
        let form = try #require(app.library.form(formID))
        let reports = try await Report.query(on: app.db).filter(\.$formID == formID).filter(\.$periodKey == periodKey).all()
        let counted = reports.filter { basis.includes($0.status) }
        let ids = Set(counted.compactMap(\.id))
        var slotsByReport: [UUID: [Double?]] = [:]
        let values = try await ReportValue.query(on: app.db)
            .join(Report.self, on: \ReportValue.$report.$id == \Report.$id)
            .filter(Report.self, \.$formID == formID).filter(Report.self, \.$periodKey == periodKey)
            .all()
        for value in values where ids.contains(value.$report.id) {
            guard let slot = form.slotByCode[value.code], let number = value.number.flatMap(ExactNumber.init(machine:)) else { continue }
            slotsByReport[value.$report.id, default: Array(repeating: nil, count: form.slotCount)][slot] = number.doubleValue
        }
        var byIndex = [[Double?]?](repeating: nil, count: tree.units.count)
        var statuses: [String: ReportStatus] = [:]
        for report in reports { statuses[report.unitCode] = report.status }
        for report in counted {
            guard let index = tree.indexByCode[report.unitCode], let id = report.id else { continue }
            var values = slotsByReport[id] ?? Array(repeating: nil, count: form.slotCount)
            _ = form.computeFormulas(&values)
            byIndex[index] = values
        }
        let assigned = Set(reports.map(\.unitCode))
        let figures = Consolidator(form: form, tree: tree).consolidateAll(reports: byIndex) { assigned.contains($0.code) }
        return ConsolidationService.Result(form: form, period: periodKey, figures: figures, reports: byIndex, statuses: statuses)
    }

    /// Figures (value, coverage n/m, units meeting), each unit's counted values and every status, all equal.
    static func expectSame(_ new: ConsolidationService.Result, _ old: ConsolidationService.Result, _ what: String) {
        #expect(new.figures == old.figures, "\(what): figures")
        #expect(new.reports.count == old.reports.count, "\(what): units")
        for (index, (a, b)) in zip(new.reports, old.reports).enumerated() where a != b {
            Issue.record("\(what): own values of unit \(index) differ")
        }
        #expect(new.statuses == old.statuses, "\(what): statuses")
    }

    func service(_ app: Application, _ tree: UnitTree, cached: Bool = true) -> ConsolidationService {
        ConsolidationService(database: app.db, library: app.library, tree: tree, cache: cached ? app.consolidationCache : nil)
    }

    /// The demo's first commune fills its report, sends it and has it accepted, as the workflow test does.
    static func acceptCommuneReport(_ app: Application) async throws -> Report {
        let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
        let path = "/reports/\(commune.id!.uuidString)"
        var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
        _ = try await reporter.get(path)
        #expect(try await reporter.save(path, form: WorkflowTests.completeCommuneForm(version: commune.version)).status == .ok)
        #expect(try await reporter.post(path + "/action", form: ["action": "ask_approval"]).status == .seeOther)
        var leader = try await Browser.signIn(app, as: "xa.lanhdao")
        _ = try await leader.get(path)
        #expect(try await leader.post(path + "/action", form: ["action": "send"]).status == .seeOther)
        var reviewer = try await Browser.signIn(app, as: "sotttt")
        _ = try await reviewer.get(path)
        #expect(try await reviewer.post(path + "/action", form: ["action": "accept"]).status == .seeOther)
        let accepted = try await app.report(unit: commune.unitCode, period: "2024-Q1")
        #expect(accepted.status == .accepted)
        return accepted
    }

    @Test func theDemoConsolidatesAsBeforeForEveryAssignmentAndBasis() async throws {
        try await withDemoApp { app in
            _ = try await Self.acceptCommuneReport(app)
            let tree = try await app.unitDirectory.tree(on: app.db)
            let assignments = try await Assignment.query(on: app.db).all()
            #expect(!assignments.isEmpty)
            var countedSomething = false
            for assignment in assignments {
                for basis in [ConsolidationService.Basis.accepted, .sent] {
                    let old = try await Self.reference(
                        app, tree: tree, formID: assignment.formID, periodKey: assignment.periodKey, basis: basis)
                    let what = "\(assignment.formID) \(assignment.periodKey) \(basis)"
                    Self.expectSame(
                        try await service(app, tree, cached: false).consolidate(
                            formID: assignment.formID, periodKey: assignment.periodKey, basis: basis), old, what + " uncached")
                    // Computed, then kept: both equal the reference.
                    for _ in 0..<2 {
                        Self.expectSame(
                            try await service(app, tree).consolidate(
                                formID: assignment.formID, periodKey: assignment.periodKey, basis: basis), old, what + " cached")
                    }
                    countedSomething = countedSomething || old.figures.values.contains { $0.contains { $0.reported > 0 } }
                }
            }
            #expect(countedSomething, "the demo has counted reports")
            #expect(app.consolidationCache.counts.hits >= assignments.count * 2)
        }
    }

    /// A generated national-shaped tree: reports in every state, cells left
    /// empty, a number that is not one; coverage and ratios checked from their parts.
    @Test func aGeneratedTreeConsolidatesAsBefore() async throws {
        let forms = FileManager.default.temporaryDirectory.appendingPathComponent("baocao-readpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: forms) }
        try BenchmarkData.formYAML(indicators: 30, id: BenchConsolidateDB.formID)
            .write(to: forms.appendingPathComponent("bench-form.yaml"), atomically: true, encoding: .utf8)
        try await withDemoApp(adjust: { $0.extraFormsDirectory = forms.path }) { app in
            let generated = try BenchmarkData.tree(units: 700, provinces: 5)
            let form = try #require(app.library.form(BenchConsolidateDB.formID))
            let bench = BenchConsolidateDB(units: 700, indicators: 30, sizes: [], port: 0)
            _ = try await bench.store(tree: generated, form: form, on: app.db)
            app.unitDirectory.invalidate()
            let sql = app.db as! any SQLDatabase
            let r = ReportsTable.self, v = ReportValuesTable.self
            // Every fifth report sent, every seventh returned; some cells gone, one not a number.
            let reports = try await Report.query(on: app.db).filter(\.$formID == BenchConsolidateDB.formID).sort(\.$unitCode).all()
            for (n, report) in reports.enumerated() {
                let id = try report.requireID()
                if n % 5 == 1 { try await sql.update(r.table).set(r.status, to: ReportStatus.sent.rawValue).where(r.id, .equal, id).run() }
                if n % 7 == 2 {
                    try await sql.update(r.table).set(r.status, to: ReportStatus.returned.rawValue).where(r.id, .equal, id).run()
                }
                if n % 3 == 0 { try await sql.delete(from: v.table).where(v.reportID, .equal, id).where(v.code, .equal, "2.1").run() }
                if n == 4 {
                    try await sql.update(v.table).set(v.number, to: "không phải số").where(v.reportID, .equal, id).where(
                        v.code, .equal, "3.1"
                    ).run()
                }
            }
            let tree = try await app.unitDirectory.tree(on: app.db)
            for basis in [ConsolidationService.Basis.accepted, .sent] {
                let old = try await Self.reference(app, tree: tree, formID: form.id, periodKey: BenchConsolidateDB.periodKey, basis: basis)
                let new = try await service(app, tree).consolidate(formID: form.id, periodKey: BenchConsolidateDB.periodKey, basis: basis)
                Self.expectSame(new, old, "generated \(basis)")
                // Coverage n/m at the nation: the counted reports of the units that must report.
                let nation = try #require(new.figures(at: "VN", in: tree))
                let countedUnits = reports.enumerated().filter { n, _ in
                    basis == .accepted ? (n % 5 != 1 && n % 7 != 2) : n % 7 != 2
                }.count
                let slot11 = try #require(form.slotByCode["1.1"]), slot12 = try #require(form.slotByCode["1.2"])
                let slot1 = try #require(form.slotByCode["1"])
                #expect(nation[slot11].expected == reports.count)
                #expect(nation[slot11].reported == countedUnits)
                #expect(nation[slot11].reported < nation[slot11].expected)
                // The ratio recomputed from the consolidated parts, not averaged.
                let parts = try #require(nation[slot12].value) / (try #require(nation[slot11].value)) * 100
                #expect(abs(try #require(nation[slot1].value) - parts) < 1e-9 * max(1, abs(parts)))
            }
        }
    }

    /// Values reach the consolidator without models: the bytes reader matches
    /// the dictionary lookup and `ExactNumber(machine:)` on odd cells too.
    @Test func theJoinedCellsAreReadLikeSeparateCells() throws {
        let form = try BenchmarkData.form(indicators: 9)
        let lookup = ConsolidationService.SlotLookup(form)
        var text = "1.1\u{1F}12\u{1E}1.2\u{1F}7.5\u{1E}zz\u{1F}3\u{1E}2.1\u{1F}x\u{1E}\u{1E}2.2\u{1F}-0.25\u{1E}3.1\u{1F} 4 "
        var values = [Double?](repeating: nil, count: form.slotCount)
        text.withUTF8 { lookup.fill(&values, from: $0) }
        #expect(values[form.slotByCode["1.1"]!] == 12)
        #expect(values[form.slotByCode["1.2"]!] == 7.5)
        #expect(values[form.slotByCode["2.1"]!] == nil)
        #expect(values[form.slotByCode["2.2"]!] == -0.25)
        #expect(values[form.slotByCode["3.1"]!] == ExactNumber(machine: " 4 ")?.doubleValue)
        #expect(values.compactMap { $0 }.count == 4)
    }

    /// The figure of a unit's row as the page shows it.
    static func figure(_ app: Application, _ tree: UnitTree, code: String, unit: String) async throws -> Double? {
        let result = try await ConsolidationService(database: app.db, library: app.library, tree: tree, cache: app.consolidationCache)
            .consolidate(formID: "egov-2024", periodKey: "2024-Q1")
        let slot = try #require(result.form.slotByCode[code])
        return result.figures(at: unit, in: tree)?[slot].value
    }

    /// Reopen, change a value, send and accept again: each step is on the next
    /// view, through this instance and through a second one on the same
    /// database, which never serves what it kept from before.
    @Test func aChangeIsOnTheNextViewOfEveryInstance() async throws {
        try await withTwoApps { first, second in
            let tree = try await first.unitDirectory.tree(on: first.db)
            let accepted = try await Self.acceptCommuneReport(first)
            let province = DemoLoader.provinceCode
            func check(_ step: String) async throws {
                for app in [first, second] {
                    let appTree = try await app.unitDirectory.tree(on: app.db)
                    let kept = try await ConsolidationService(
                        database: app.db, library: app.library, tree: appTree, cache: app.consolidationCache
                    )
                    .consolidate(formID: "egov-2024", periodKey: "2024-Q1")
                    let fresh = try await Self.reference(app, tree: appTree, formID: "egov-2024", periodKey: "2024-Q1", basis: .accepted)
                    Self.expectSame(kept, fresh, step + (app === first ? " (first)" : " (second)"))
                }
            }
            let before = try await Self.figure(second, tree, code: "6.3.1", unit: province)
            try await check("before")
            let reviewer = try #require(try await User.query(on: first.db).filter(\.$username == "sotttt").first())
            let reporter = User(
                username: "test.reporter", displayName: "Thử", passwordHash: "", role: .reporter, unitCode: accepted.unitCode)
            let leader = User(username: "test.leader", displayName: "Thử", passwordHash: "", role: .leader, unitCode: accepted.unitCode)
            func service(_ user: User) -> ReportService {
                ReportService(database: first.db, library: first.library, tree: tree, user: user)
            }
            func current() async throws -> Report { try #require(try await Report.find(accepted.id, on: first.db)) }

            try await service(reviewer).perform(.reopen, on: try await current(), comment: "Bổ sung", user: reviewer)
            try await check("reopened")
            #expect(try await Self.figure(second, tree, code: "6.3.1", unit: province) != before, "the reopened report no longer counts")
            let report = try await current()
            let stored = try await service(reporter).values(of: report)
            let old = try #require(stored.first { $0.code == "6.3.1" }?.number.flatMap(ExactNumber.init(machine:)))
            let raised = try #require(ExactNumber(rounding: old.doubleValue + 7, scale: old.scale))
            try await service(reporter).store(
                report,
                .init(
                    values: ["6.3.1": VietnameseNumber.format(raised)], notes: [:], narrative: nil,
                    version: report.version), user: reporter)
            try await check("saved after reopening")
            try await service(leader).perform(.send, on: try await current(), comment: nil, user: leader)
            try await service(reviewer).perform(.accept, on: try await current(), comment: nil, user: reviewer)
            try await check("accepted again")
            let after = try #require(try await Self.figure(second, tree, code: "6.3.1", unit: province))
            #expect(after == (before ?? 0) + 7, "the second instance shows the new value")
        }
    }
}

/// Two applications on one database: one SQLite file (or the PostgreSQL
/// database of DATABASE_URL), the demo loaded through the first.
func withTwoApps(_ body: (Application, Application) async throws -> Void) async throws {
    let usesPostgres = ProcessInfo.processInfo.environment["DATABASE_URL"].map { !$0.isEmpty } ?? false
    if usesPostgres { await PostgresTurn.shared.acquire() }
    defer { if usesPostgres { Task { await PostgresTurn.shared.release() } } }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baocao-two-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var apps: [Application] = []
    do {
        for n in 0..<2 {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .error
            apps.append(app)
            var config = try AppConfig.fromEnvironment(testing: true)
            config.loadDemo = false
            if case .sqliteMemory = config.database { config.database = .sqliteFile(directory.appendingPathComponent("one.sqlite").path) }
            try await configure(app, config: config)
            app.passwords.use(.plaintext)
            if n == 0 {
                if case .postgres = config.database { try await app.autoRevert() }
                try await app.autoMigrate()
                _ = try await DemoLoader(database: app.db, library: app.library, hasher: { $0 }).load(adminPassword: nil)
            }
        }
        try await body(apps[0], apps[1])
        for app in apps { try await app.asyncShutdown() }
    } catch {
        for app in apps { try? await app.asyncShutdown() }
        throw error
    }
}
