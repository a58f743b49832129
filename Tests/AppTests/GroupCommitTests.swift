import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Saves that arrive together are committed together on SQLite (WriteGate);
/// each still claims its own version.
@Suite("Saves committed together")
struct GroupCommitTests {
    /// Quý I/2024 reports with no 6.3.1 yet, so that each save inserts it.
    static func reportsWithout631(_ app: Application, count: Int) async throws -> [Report] {
        var reports: [Report] = []
        for report in try await Report.query(on: app.db).filter(\.$periodKey == "2024-Q1").sort(\.$unitCode).all()
        where reports.count < count {
            if try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").count() == 0 {
                reports.append(report)
            }
        }
        #expect(reports.count == count)
        return reports
    }

    /// A save of 6.3.1 (a count) by the user "test", as the web page sends it.
    static func write(_ report: Report, raw: String) -> SaveWrite {
        SaveWrite(
            reportID: report.id!, version: report.version, previousStatus: report.status, status: .draft,
            narrative: .init(achievements: "", assessment: "", nextTasks: "", proposals: ""), at: Date(), username: "test",
            values: ["6.3.1": raw], notes: [:], numbers: ["6.3.1": raw])
    }

    @Test func concurrentSavesAllLandAndAStaleTwinIsRefusedAlone() async throws {
        try await withDemoApp { app in
            let reports = try await Self.reportsWithout631(app, count: 10)
            let gate = app.writeGate
            let db = app.db
            // Every report gets two saves of the same version: exactly one of each pair may land.
            let outcomes = try await withThrowingTaskGroup(of: (UUID, Bool).self) { group in
                for report in reports {
                    for twin in 0..<2 {
                        let id = report.id!
                        let write = Self.write(report, raw: "\(100 + twin)")
                        group.addTask { (id, try await write.commit(on: db, gate: gate) != nil) }
                    }
                }
                return try await group.reduce(into: [(UUID, Bool)]()) { $0.append($1) }
            }
            for report in reports {
                let mine = outcomes.filter { $0.0 == report.id! }.map(\.1)
                #expect(mine.count == 2 && mine.filter { $0 }.count == 1, "\(report.unitCode): \(mine)")
                let stored = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").all()
                #expect(stored.count == 1)
                #expect(try await Report.find(report.id!, on: app.db)?.version == report.version + 1)
                #expect(
                    try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).filter(\.$username == "test").filter(
                        \.$action == "value"
                    ).count() == 1)
            }
        }
    }

    /// A save the database refuses (here: a cell whose row id is taken) fails alone;
    /// the saves queued with it still land.
    @Test func aFailingSaveDoesNotTakeItsBatchDown() async throws {
        try await withDemoApp { app in
            let reports = try await Self.reportsWithout631(app, count: 6)
            let gate = app.writeGate
            let db = app.db
            let taken = try #require(try await ReportValue.query(on: app.db).first()?.id)
            func write(_ report: Report, rowID: UUID) -> SaveWrite {
                var save = Self.write(report, raw: "7")
                save.newRowIDs = ["6.3.1": rowID]
                return save
            }
            let broken = reports[0]
            let outcomes = await withTaskGroup(of: (UUID, Result<Bool, any Error>).self) { group in
                for (n, report) in reports.enumerated() {
                    let save = write(report, rowID: n == 0 ? taken : UUID())
                    group.addTask {
                        do { return (report.id!, .success(try await save.commit(on: db, gate: gate) != nil)) } catch {
                            return (report.id!, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: [UUID: Result<Bool, any Error>]()) { $0[$1.0] = $1.1 }
            }
            for report in reports {
                let stored = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").count()
                let version = try await Report.find(report.id!, on: app.db)?.version
                if report.id == broken.id {
                    if case .success = outcomes[report.id!]! { Issue.record("the broken save was reported as saved") }
                    #expect(stored == 0)
                    #expect(version == report.version)
                } else {
                    #expect((try? outcomes[report.id!]!.get()) == true)
                    #expect(stored == 1)
                    #expect(version == report.version + 1)
                }
            }
        }
    }
}
