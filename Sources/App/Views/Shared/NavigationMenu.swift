/// The header menu: what a role uses, and nothing it may not open. Computed
/// from the role and whether the user's unit has units below (consolidated
/// figures and dashboards need them), so it is tested without HTTP.
enum NavigationMenu {
    enum Entry: String, CaseIterable, Sendable {
        case home, myReports, toApprove, toReview, monitoring, consolidated, targets, dashboards, administration, openData

        var label: String {
            switch self {
            case .home: return "Trang chủ"
            case .myReports: return "Báo cáo của tôi"
            case .toApprove: return "Chờ tôi duyệt"
            case .toReview: return "Chờ tiếp nhận"
            case .monitoring: return "Theo dõi"
            case .consolidated: return "Số liệu tổng hợp"
            case .targets: return "Chỉ tiêu"
            case .dashboards: return "Biểu đồ"
            case .administration: return "Quản trị"
            case .openData: return "Dữ liệu mở"
            }
        }

        /// Where it goes. The three work lists are sections of the home page.
        var path: String {
            switch self {
            case .home: return "/"
            case .myReports: return "/#bao-cao-cua-toi"
            case .toApprove: return "/#cho-duyet"
            case .toReview: return "/#cho-tiep-nhan"
            case .monitoring: return "/monitor"
            case .consolidated: return "/consolidated"
            case .targets: return "/targets"
            case .dashboards: return "/dashboard"
            case .administration: return "/admin"
            case .openData: return "/open-data"
            }
        }

        /// The first path segment of the pages under this entry, for `aria-current`.
        var section: String? {
            switch self {
            case .home: return ""
            case .monitoring: return "monitor"
            case .consolidated: return "consolidated"
            case .targets: return "targets"
            case .dashboards: return "dashboard"
            case .administration: return "admin"
            case .openData: return "open-data"
            case .myReports, .toApprove, .toReview: return nil
            }
        }
    }

    struct Item: Encodable, Equatable {
        let key: String
        let label: String
        let path: String
        let current: Bool
    }

    static func entries(role: Role, hasUnitsBelow: Bool) -> [Entry] {
        let figures: [Entry] = hasUnitsBelow ? [.consolidated, .targets, .dashboards] : [.targets]
        switch role {
        case .reporter: return [.home, .myReports, .openData]
        case .leader: return [.home, .myReports, .toApprove] + figures + [.openData]
        case .reviewer: return [.home, .toReview, .monitoring] + figures + [.openData]
        case .admin: return [.home, .monitoring] + figures + [.administration, .openData]
        }
    }

    /// The menu for a page at `path` ("/consolidated/drill" marks "Số liệu tổng hợp" as current).
    static func items(role: Role, hasUnitsBelow: Bool, path: String) -> [Item] {
        let section = path.split(separator: "/", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        let assignmentPage = section == "assignments" // /assignments/:id/monitor belongs to monitoring
        return entries(role: role, hasUnitsBelow: hasUnitsBelow).map { entry in
            let current = entry.section == section || (assignmentPage && entry == .monitoring)
            return Item(key: entry.rawValue, label: entry.label, path: entry.path, current: current)
        }
    }
}
