import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The unit tree is kept in memory per instance. A change written by another
/// instance, or by the command line, reaches this one only through the
/// database: these tests write the change as such a writer does (rows and the
/// units counter, one transaction) without telling this instance.
@Suite struct UnitCoherenceTests {
    /// What another instance's rename does to the database.
    static func renameElsewhere(_ app: Application, code: String, to name: String) async throws {
        try await app.db.transaction { db in
            let record = try #require(try await UnitRecord.query(on: db).filter(\.$code == code).first())
            record.name = name
            try await record.save(on: db)
            try await ChangeCounters.bump(ChangeCounters.units, on: db)
        }
    }

    @Test func aRenameThroughAnotherInstanceShowsOnTheNextCachedView() async throws {
        try await withDemoApp { app in
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            let report = try #require(try await Report.query(on: app.db).filter(\.$unitCode == user.unitCode ?? "").first())
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let path = "/reports/\(try report.requireID().uuidString)"
            // Twice: the second view is the cached one, served on the event loop.
            _ = try await reporter.get(path)
            let before = try await reporter.get(path)
            #expect(before.status == .ok)
            #expect(!before.body.string.contains("Xã Đổi Tên Thử"))
            try await Self.renameElsewhere(app, code: report.unitCode, to: "Xã Đổi Tên Thử")
            let after = try await reporter.get(path)
            #expect(after.status == .ok)
            #expect(after.body.string.contains("Xã Đổi Tên Thử"))
            // And the admin's unit list, through the tree every other page uses.
            var admin = try await Browser.signIn(app, as: "admin")
            let units = try await admin.get("/admin/units")
            #expect(units.body.string.contains("Xã Đổi Tên Thử"))
        }
    }

    @Test func theTreeIsReadOnceWhileTheCounterStandsStill() async throws {
        try await withDemoApp { app in
            let directory = app.unitDirectory
            _ = try await directory.tree(on: app.db)
            let generation = directory.generation
            _ = try await directory.tree(on: app.db)
            #expect(directory.generation == generation)
            try await Self.renameElsewhere(app, code: DemoLoader.provinceCode, to: "UBND tỉnh Thử")
            let tree = try await directory.tree(on: app.db)
            #expect(tree[DemoLoader.provinceCode]?.name == "UBND tỉnh Thử")
            #expect(directory.generation == generation + 1)
        }
    }
}
