import Foundation

/// Which periods the demo province holds, on which form and tree, and which
/// units report each: three levels up to mid-2025, two levels after.
public enum DemoPlan {
    /// The day the district level ended.
    public static let twoLevelSince = CivilDate(year: 2025, month: 7, day: 1)

    public struct PeriodPlan: Sendable, Hashable {
        public let periodKey: String
        public let formID: String
        public let title: String
        /// On the two-level tree (province → departments + communes).
        public let twoLevel: Bool
    }

    /// The past periods: 2023 on the 2022 form, 2024 on the 2024 form.
    public static let pastPeriods: [PeriodPlan] = [
        PeriodPlan(periodKey: "2023-H1", formID: "egov-2022", title: "Báo cáo thống kê CQĐT 6 tháng đầu năm 2023", twoLevel: false),
        PeriodPlan(periodKey: "2023", formID: "egov-2022", title: "Báo cáo thống kê CQĐT năm 2023", twoLevel: false),
        PeriodPlan(periodKey: "2024-Q1", formID: "egov-2024", title: "Báo cáo thống kê CQĐT, CQS Quý I năm 2024", twoLevel: false),
        PeriodPlan(periodKey: "2024-H1", formID: "egov-2024", title: "Báo cáo thống kê CQĐT, CQS 6 tháng đầu năm 2024", twoLevel: false)
    ]

    /// The quarter in progress on `today` and the one before it, on the two-level tree
    /// (no earlier than Quý III/2025 and Quý IV/2025, when `today` is before that).
    public static func currentPeriods(today: CivilDate) -> (previous: PeriodPlan, current: PeriodPlan) {
        var year = today.year, quarter = (today.month - 1) / 3 + 1
        if (year, quarter) < (2025, 4) { (year, quarter) = (2025, 4) }
        let previous = quarter == 1 ? Period.quarter(4, year - 1) : Period.quarter(quarter - 1, year)
        let current = Period.quarter(quarter, year)
        func plan(_ period: Period) -> PeriodPlan {
            PeriodPlan(periodKey: period.key, formID: "egov-2024", title: "Báo cáo thống kê CQĐT, CQS \(period.label)", twoLevel: true)
        }
        return (plan(previous), plan(current))
    }

    /// The units that report a period: on three levels the units of 2024 (the
    /// agencies, and the districts and communes retired in 2025); on two levels
    /// the units active since July 2025.
    public static func reportingUnits(_ tree: UnitTree, twoLevel: Bool) -> [ReportingUnit] {
        twoLevel
            ? tree.active(on: twoLevelSince)
            : tree.units.filter { $0.kind == .province || $0.kind == .department || $0.retiredOn == twoLevelSince }
    }
}
