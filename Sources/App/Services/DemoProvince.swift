import Fluent
import Foundation
import ReportingCore
import Vapor

/// The living demo province that `baocao serve` and `baocao demo` load: tỉnh
/// Bắc Giang's real tree (2024, three levels; since July 2025, two), figures
/// for every unit (`DemoFigures`), and a deadline day in motion: past periods
/// mostly accepted, a few returned and resent, one reopened; the current
/// quarter open with its deadline a few days ahead, reports in every state.
/// Dates of the two current quarters are relative to `today`.
///
/// The tests' fixture is the smaller `DemoLoader` province: its 35 units and
/// untouched reports are what the workflow tests start from.
struct DemoProvince {
    let database: Database
    let library: FormLibrary
    let hasher: @Sendable (String) throws -> String

    static let provinceCode = DemoLoader.provinceCode
    /// Where the demo accounts sit: a commune of the two-level tree, the
    /// district whose 6-month report was reopened, a department.
    static let communeCode = "W7210-2025", districtCode = "D217", departmentCode = "000.00.03.H05"
    /// Days from the load to the current quarter's deadline, and since the previous quarter's.
    static let daysLeft = 6, daysOverdue = 12

    struct Summary {
        let unitsByKind: [(UnitKind, Int)]
        let retired: Int
        let reportsByStatus: [(ReportStatus, Int)]
        let periods: [String]
        let users: [(String, String)]
        let adminPassword: String

        var units: Int { unitsByKind.reduce(0) { $0 + $1.1 } }

        /// For the log: units by kind, reports by state, periods.
        var lines: [String] {
            [
                "Đơn vị: " + unitsByKind.map { "\($0.0.label) \($0.1)" }.joined(separator: ", ")
                    + " (\(retired) đã thôi hoạt động từ 01/07/2025).",
                "Báo cáo: " + reportsByStatus.map { "\($0.0.label) \($0.1)" }.joined(separator: ", ") + ".",
                "Kỳ báo cáo: " + periods.joined(separator: ", ") + "."
            ]
        }
    }

    static func units() throws -> [ReportingUnit] {
        guard let url = Bundle.module.url(forResource: "Demo/bac-giang-demo-units", withExtension: "csv") else {
            throw UserFacingError("Thiếu tệp dữ liệu mẫu Demo/bac-giang-demo-units.csv trong bản cài đặt.")
        }
        return try UnitImporter.parseCSV(String(contentsOf: url, encoding: .utf8))
    }

    /// The periods, in order, with their deadlines.
    static func periods(today: CivilDate) -> [(plan: DemoPlan.PeriodPlan, deadline: CivilDate)] {
        let past = DemoPlan.pastPeriods.map { plan -> (DemoPlan.PeriodPlan, CivilDate) in
            let period = Period(key: plan.periodKey)
            let year = period?.year ?? 2024
            let month = plan.periodKey.hasSuffix("Q1") ? 3 : (plan.periodKey.hasSuffix("H1") ? 6 : 12)
            return (plan, CivilDate(year: year, month: month, day: 20))
        }
        let now = DemoPlan.currentPeriods(today: today)
        return past + [(now.previous, today.adding(days: -daysOverdue)), (now.current, today.adding(days: daysLeft))]
    }

    func load(adminPassword: String?, today: CivilDate = .today()) async throws -> Summary {
        let units = try Self.units()
        let tree = try UnitTree(units: units)
        let password = adminPassword ?? DemoLoader.demoPassword
        func name(_ code: String) -> String { tree[code]?.name ?? code }
        let users: [(String, String, Role, String)] = [
            ("admin", "Quản trị hệ thống", .admin, Self.provinceCode),
            ("sotttt", "Chuyên viên Sở TT&TT (tiếp nhận cho UBND tỉnh)", .reviewer, Self.provinceCode),
            ("tinh.nhaplieu", "Cán bộ nhập liệu cấp tỉnh", .reporter, Self.provinceCode),
            ("xa.nhaplieu", "Cán bộ nhập liệu \(name(Self.communeCode))", .reporter, Self.communeCode),
            ("xa.lanhdao", "Lãnh đạo \(name(Self.communeCode))", .leader, Self.communeCode),
            ("huyen.nhaplieu", "Cán bộ nhập liệu \(name(Self.districtCode))", .reporter, Self.districtCode),
            ("huyen.lanhdao", "Lãnh đạo \(name(Self.districtCode))", .leader, Self.districtCode),
            ("so.nhaplieu", "Cán bộ nhập liệu \(name(Self.departmentCode))", .reporter, Self.departmentCode),
            ("so.lanhdao", "Lãnh đạo \(name(Self.departmentCode))", .leader, Self.departmentCode)
        ]
        let hashes = try users.map { user in try hasher(user.0 == "admin" ? password : DemoLoader.demoPassword) }
        var batch = DemoBatch()
        for (period, deadline) in Self.periods(today: today) {
            guard let form = library.form(period.formID) else { continue }
            let reporting = DemoPlan.reportingUnits(tree, twoLevel: period.twoLevel)
            let entries = DemoFigures.entries(form: form, periodKey: period.periodKey, units: reporting, tree: tree)
            let assignment = Assignment(
                formID: period.formID, periodKey: period.periodKey, deadline: deadline.description,
                receiverCode: Self.provinceCode, title: period.title)
            assignment.id = UUID()
            batch.assignments.append(assignment)
            let fates = DemoFates.fates(period: period, units: reporting, today: today, deadline: deadline)
            for unit in reporting {
                batch.add(
                    unit: unit, form: form, assignment: assignment, entries: entries[unit.code] ?? [:],
                    fate: fates[unit.code] ?? .accepted, deadline: deadline)
            }
        }
        let targets = try targetResults(tree: tree)
        let rows = batch
        try await database.transaction { db in
            try await DemoBatch.insert(units.map(UnitRecord.init), on: db)
            try await ChangeCounters.bump(ChangeCounters.units, on: db)
            try await DemoBatch.insert(
                zip(users, hashes).map { user, hash in
                    User(username: user.0, displayName: user.1, passwordHash: hash, role: user.2, unitCode: user.3)
                }, on: db)
            try await rows.write(on: db)
            try await DemoBatch.insert(targets, on: db)
        }
        var byStatus: [ReportStatus: Int] = [:]
        for report in batch.reports { byStatus[report.status, default: 0] += 1 }
        return Summary(
            unitsByKind: UnitKind.allCases.map { kind in (kind, units.filter { $0.kind == kind }.count) }.filter { $0.1 > 0 },
            retired: units.filter { $0.retiredOn != nil }.count,
            reportsByStatus: ReportStatus.allCases.compactMap { status in byStatus[status].map { (status, $0) } },
            periods: Self.periods(today: today).map { Period(key: $0.plan.periodKey)?.label ?? $0.plan.periodKey },
            users: users.map { ($0.0, $0.2.label) }, adminPassword: password)
    }

    /// Kế hoạch 48, 6 tháng đầu năm 2024: the province's column of seed 001 as
    /// printed, and every unit's own ratio for the targets no form row measures.
    func targetResults(tree: UnitTree) throws -> [TargetResult] {
        func csv(_ name: String) throws -> [[String]] {
            guard let url = Bundle.module.url(forResource: "Demo/\(name)", withExtension: "csv") else { return [] }
            return Array(ValuesFile.records(try String(contentsOf: url, encoding: .utf8)).dropFirst())
        }
        var results: [TargetResult] = []
        for row in try csv("seed001-kh48-results") where row.count >= 3 && row[1].isEmpty {
            results.append(
                TargetResult(planID: "kh48-2024", targetCode: row[0], unitCode: Self.provinceCode, periodKey: "2024-H1", value: row[2]))
        }
        guard let plan = library.plans["kh48-2024"] else { return results }
        // Names in the prose are written loosely ("Văn hoá - Thể thao"): compare letters only.
        func key(_ name: String) -> String { name.lowercased().replacingOccurrences(of: "hoá", with: "hóa").filter { $0.isLetter } }
        let units = DemoPlan.reportingUnits(tree, twoLevel: false)
        let byName = Dictionary(units.map { (key($0.name), $0.code) }, uniquingKeysWith: { first, _ in first })
        var lagging: [String: [String: Double?]] = [:]
        for row in try csv("seed001-lagging-units") where row.count >= 4 {
            guard let code = byName[key(row[1])] else { continue }
            let printed = row[3].replacingOccurrences(of: "%", with: "")
            let value: Double? = printed.isEmpty ? nil : ExactNumber(machine: printed)?.doubleValue
            lagging[row[0], default: [:]].updateValue(value, forKey: code)
        }
        for measure in DemoTargetMeasures.measures(plan: plan, periodKey: "2024-H1", units: units, lagging: lagging) {
            results.append(
                TargetResult(
                    planID: "kh48-2024", targetCode: measure.target, unitCode: measure.unitCode,
                    periodKey: "2024-H1", value: measure.text))
        }
        return results
    }
}
