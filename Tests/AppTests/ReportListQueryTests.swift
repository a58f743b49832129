import Fluent
import Foundation
import ReportingCore
import SQLKit
import Testing
import Vapor

@testable import App

/// The API's report list filters, orders, counts and slices in SQL exactly
/// as it did in memory over every report.
@Suite("Report list in SQL")
struct ReportListQueryTests {
    /// The list as it was made before: every matching report read, then filtered by Access and sorted.
    static func inMemory(_ app: Application, access: Access, filter: ReportListQuery.Filter) async throws -> [Report] {
        let tree = access.tree
        return try await Report.query(on: app.db).all().filter { report in
            (filter.periodKey.map { report.periodKey == $0 } ?? true) && (filter.formID.map { report.formID == $0 } ?? true)
                && (filter.status.map { report.status == $0 } ?? true) && (filter.unitCode.map { report.unitCode == $0 } ?? true)
                && access.canRead(unitCode: report.unitCode)
        }.sorted {
            ($1.periodKey, tree[$0.unitCode]?.name ?? $0.unitCode, $0.id?.uuidString ?? "")
                < ($0.periodKey, tree[$1.unitCode]?.name ?? $1.unitCode, $1.id?.uuidString ?? "")
        }
    }

    @Test func everyUserAndFilterListsAsBefore() async throws {
        try await withDemoApp { app in
            let tree = try await app.unitDirectory.tree(on: app.db)
            let sql = app.db as! any SQLDatabase
            let users = try await User.query(on: app.db).all()
            #expect(
                users.contains { $0.role == .reviewer } && users.contains { $0.role == .admin } && users.contains { $0.role == .reporter })
            let someUnit = try #require(try await Report.query(on: app.db).first()).unitCode
            let filters: [ReportListQuery.Filter] = [
                .init(), .init(periodKey: "2024-Q1"), .init(formID: "egov-2024", status: .accepted),
                .init(status: .notStarted), .init(unitCode: someUnit), .init(periodKey: "2024-Q1", formID: "egov-2024", status: .draft)
            ]
            var nonEmpty = 0
            for user in users {
                let access = Access(user: user, tree: tree)
                // The IN list, and for a reviewer the walk of the units table too.
                var ways: [ReportListQuery.Readable] = [.of(access)]
                if user.role == .reviewer { ways.append(.of(access, listLimit: 0)) }
                for filter in filters {
                    let expected = try await Self.inMemory(app, access: access, filter: filter)
                    if !expected.isEmpty { nonEmpty += 1 }
                    for readable in ways {
                        let query = ReportListQuery(filter: filter, readable: readable)
                        #expect(try await query.count(on: sql) == expected.count, "\(user.username) \(filter) \(readable)")
                        let all = try await query.page(limit: 1000, offset: 0, on: sql)
                        #expect(all.map(\.id) == expected.map(\.id), "\(user.username) \(filter) \(readable)")
                        // Slices are the same slices.
                        let slice = try await query.page(limit: 3, offset: 2, on: sql)
                        #expect(slice.map(\.id) == Array(expected.dropFirst(2).prefix(3)).map(\.id), "\(user.username) \(filter) slice")
                        for (listed, known) in zip(all, expected) {
                            #expect(listed.version == known.version && listed.status == known.status && listed.unitCode == known.unitCode)
                            #expect(listed.deadline != nil)
                        }
                    }
                }
            }
            #expect(nonEmpty > users.count, "most lists have reports")
        }
    }
}
