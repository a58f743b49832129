import Foundation
import ReportingCore
import Testing

@testable import App

/// The monitoring menu's list of assignments, from plain counts.
@Suite struct AssignmentOverviewTests {
    @Test func countsSentAcceptedAndOverduePerAssignmentTheUserFollows() throws {
        let tree = try UnitTree(units: [
            ReportingUnit(code: "P", name: "Tỉnh", kind: .province),
            ReportingUnit(code: "H", name: "Huyện H", kind: .district, parentCode: "P")
        ])
        let past = Assignment(formID: "egov-2024", periodKey: "2024-Q1", deadline: "2024-03-20", receiverCode: "P", title: "Quý I")
        past.id = UUID()
        let ahead = Assignment(formID: "egov-2024", periodKey: "2024-H1", deadline: "2024-06-20", receiverCode: "P", title: "6 tháng")
        ahead.id = UUID()
        let district = Assignment(formID: "egov-2024", periodKey: "2024-Q1", deadline: "2024-03-20", receiverCode: "H", title: "Huyện")
        district.id = UUID()
        let counts = [
            AssignmentOverview.Count(assignmentID: try #require(past.id), status: .accepted, count: 3),
            AssignmentOverview.Count(assignmentID: try #require(past.id), status: .sent, count: 2),
            AssignmentOverview.Count(assignmentID: try #require(past.id), status: .draft, count: 4),
            AssignmentOverview.Count(assignmentID: try #require(ahead.id), status: .notStarted, count: 9)
        ]
        let today = CivilDate(year: 2024, month: 3, day: 25)
        func rows(_ role: Role, _ unit: String) -> [AssignmentOverview.Row] {
            let user = User(username: "u", displayName: "U", passwordHash: "", role: role, unitCode: unit)
            return AssignmentOverview.make(
                assignments: [past, ahead, district], counts: counts,
                access: Access(user: user, tree: tree), today: today)
        }
        let province = rows(.reviewer, "P")
        #expect(province.map(\.title) == ["6 tháng", "Quý I", "Huyện"])
        let quarter = try #require(province.first { $0.title == "Quý I" })
        #expect((quarter.total, quarter.sent, quarter.accepted, quarter.overdue) == (9, 5, 3, 4))
        #expect(quarter.timing == "đã qua hạn 5 ngày")
        let half = try #require(province.first { $0.title == "6 tháng" })
        #expect(half.overdue == 0 && half.total == 9)
        // A district's reviewer follows only what its district receives.
        #expect(rows(.reviewer, "H").map(\.title) == ["Huyện"])
        #expect(rows(.reporter, "P").isEmpty)
        #expect(rows(.admin, "H").count == 3)
    }
}
