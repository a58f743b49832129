import Testing

@testable import App

/// The header menu of each role, without HTTP.
@Suite struct NavigationMenuTests {
    func labels(_ role: Role, below: Bool = true) -> [String] {
        NavigationMenu.items(role: role, hasUnitsBelow: below, path: "/").map(\.label)
    }

    @Test func eachRoleSeesWhatItUses() {
        #expect(labels(.reporter) == ["Trang chủ", "Báo cáo của tôi", "Dữ liệu mở"])
        #expect(
            labels(.leader) == ["Trang chủ", "Báo cáo của tôi", "Chờ tôi duyệt", "Số liệu tổng hợp", "Chỉ tiêu", "Biểu đồ", "Dữ liệu mở"])
        #expect(labels(.reviewer) == ["Trang chủ", "Chờ tiếp nhận", "Theo dõi", "Số liệu tổng hợp", "Chỉ tiêu", "Biểu đồ", "Dữ liệu mở"])
        #expect(labels(.admin) == ["Trang chủ", "Theo dõi", "Số liệu tổng hợp", "Chỉ tiêu", "Biểu đồ", "Quản trị", "Dữ liệu mở"])
    }

    @Test func onlyAdministratorsSeeAdministration() {
        for role in Role.allCases {
            let paths = NavigationMenu.items(role: role, hasUnitsBelow: true, path: "/").map(\.path)
            #expect(paths.contains("/admin") == (role == .admin), "\(role)")
        }
    }

    @Test func aUnitWithNothingBelowHasNoConsolidatedFigures() {
        // A commune's leader: no units below, so no consolidated table nor dashboard (they would refuse).
        let communeLeader = labels(.leader, below: false)
        #expect(!communeLeader.contains("Số liệu tổng hợp") && !communeLeader.contains("Biểu đồ"))
        #expect(communeLeader.contains("Chỉ tiêu") && communeLeader.contains("Chờ tôi duyệt"))
    }

    @Test func thePageBeingShownIsMarkedCurrent() {
        func current(_ path: String) -> [String] {
            NavigationMenu.items(role: .admin, hasUnitsBelow: true, path: path).filter(\.current).map(\.key)
        }
        #expect(current("/") == ["home"])
        #expect(current("/consolidated/drill") == ["consolidated"])
        #expect(current("/assignments/abc/monitor") == ["monitoring"])
        #expect(current("/admin/users") == ["administration"])
        #expect(current("/reports/abc").isEmpty)
    }
}
