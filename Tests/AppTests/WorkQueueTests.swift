import Foundation
import ReportingCore
import Testing

@testable import App

/// "What needs me now", from plain report lines, without a database.
@Suite struct WorkQueueTests {
    let tree: UnitTree
    let today = CivilDate(year: 2024, month: 3, day: 25)

    init() throws {
        tree = try UnitTree(units: [
            ReportingUnit(code: "P", name: "Tỉnh", kind: .province),
            ReportingUnit(code: "H", name: "Huyện H", kind: .district, parentCode: "P"),
            ReportingUnit(code: "A", name: "Xã A", kind: .commune, parentCode: "H"),
            ReportingUnit(code: "B", name: "Xã B", kind: .commune, parentCode: "H"),
            ReportingUnit(code: "C", name: "Xã C", kind: .commune, parentCode: "P")
        ])
    }

    func line(_ unit: String, _ status: ReportStatus, deadline: String = "2024-03-20", period: String = "2024-Q1") -> WorkQueue.Line {
        WorkQueue.Line(reportID: UUID(), unitCode: unit, formID: "egov-2024", periodKey: period, status: status, deadline: deadline)
    }

    func queue(_ lines: [WorkQueue.Line], _ role: Role, _ unit: String) -> [String: WorkQueue.Section] {
        let sections = WorkQueue.make(
            lines: lines, role: role, unitCode: unit, tree: tree, today: today,
            formTitles: ["egov-2024": "Biểu CQĐT"]
        ).sections
        return Dictionary(uniqueKeysWithValues: sections.map { ($0.key, $0) })
    }

    @Test func aReporterSeesWhatToEnterWithDaysLeftAndWhatWasReturned() throws {
        let lines = [
            line("A", .notStarted, deadline: "2024-03-28", period: "2024-Q2"), line("A", .draft, deadline: "2024-03-20"),
            line("A", .returned), line("A", .accepted), line("B", .draft)
        ]
        let sections = queue(lines, .reporter, "A")
        #expect(Set(sections.keys) == ["can-nhap", "bi-tra-lai"])
        let toEnter = try #require(sections["can-nhap"])
        #expect(toEnter.count == 2)
        // The most pressing first: 5 days overdue, then 3 days left.
        #expect(toEnter.items.map(\.timing) == ["quá hạn 5 ngày", "còn 3 ngày"])
        #expect(toEnter.items.map(\.late) == [true, false])
        #expect(toEnter.items.allSatisfy { $0.link.hasPrefix("/reports/") && $0.title == "Biểu CQĐT" })
        #expect(sections["bi-tra-lai"]?.count == 1)
        #expect(toEnter.link == "#can-nhap")
    }

    @Test func aLeaderSeesWhatWaitsForApproval() {
        let sections = queue(
            [line("A", .awaitingApproval), line("A", .awaitingApproval, period: "2024-Q2"), line("B", .awaitingApproval)],
            .leader, "A")
        #expect(sections["cho-duyet"]?.count == 2)
        #expect(sections["can-nhap"]?.count == 0)
    }

    @Test func aReviewerSeesReportsSentToItAndOverdueUnitsBelowOnly() throws {
        let lines = [
            line("A", .sent), line("B", .draft), line("C", .returned), line("H", .sent),
            line("B", .notStarted, deadline: "2024-04-10"), line("A", .accepted), line("P", .draft)
        ]
        let district = queue(lines, .reviewer, "H")
        #expect(Set(district.keys) == ["cho-tiep-nhan", "qua-han"])
        #expect(district["cho-tiep-nhan"]?.items.map(\.unitName) == ["Xã A"])
        // B's draft is overdue; its report due on 10/04 is not; C is not below the district.
        #expect(district["qua-han"]?.items.map(\.unitName) == ["Xã B"])
        #expect(district["qua-han"]?.link == "/monitor")
        let province = queue(lines, .reviewer, "P")
        #expect(province["cho-tiep-nhan"]?.count == 2)
        #expect(try #require(province["qua-han"]).items.map(\.unitName).sorted() == ["Xã B", "Xã C"])
    }

    @Test func anAdministratorSeesEveryOverdueUnit() {
        let sections = queue([line("A", .draft), line("P", .notStarted), line("C", .sent)], .admin, "P")
        #expect(Set(sections.keys) == ["qua-han"])
        #expect(sections["qua-han"]?.count == 2)
    }

    @Test func aLongListShowsItsFirstItemsAndCountsTheRest() throws {
        let lines = (0..<(WorkQueue.shown + 3)).map { _ in line("A", .sent) }
        let section = try #require(queue(lines, .reviewer, "P")["cho-tiep-nhan"])
        #expect(section.count == WorkQueue.shown + 3)
        #expect(section.items.count == WorkQueue.shown)
        #expect(section.more == 3)
    }
}
