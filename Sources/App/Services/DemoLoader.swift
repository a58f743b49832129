import Fluent
import Foundation
import ReportingCore
import Vapor

/// Loads the demo province (Bắc Giang, from the seeds) into an empty database:
/// its units, one user per role, the Quý I/2024 and 6-month assignments of the
/// e-government form, and the province's own report filled with seed 000's figures.
struct DemoLoader {
    let database: Database
    let library: FormLibrary
    let hasher: @Sendable (String) throws -> String

    static let provinceCode = "000.00.00.H05"
    static let demoPassword = "baocao2024"

    struct Summary {
        let units: Int
        let users: [(String, String)]
        let adminPassword: String
    }

    static func units() throws -> [ReportingUnit] {
        let url = Bundle.module.url(forResource: "Demo/bac-giang-units", withExtension: "csv")!
        return try UnitImporter.parseCSV(String(contentsOf: url, encoding: .utf8))
    }

    /// How to sign in as admin, for the log: the password only when it is the demo's own.
    static func adminLine(configured: Bool) -> String {
        configured
            ? "Đăng nhập quản trị: admin, mật khẩu là giá trị của BAOCAO_ADMIN_PASSWORD."
            : "Đăng nhập quản trị: admin / \(demoPassword)"
    }

    func isEmpty() async throws -> Bool { try await UnitRecord.query(on: database).count() == 0 }

    func load(adminPassword: String?) async throws -> Summary {
        let units = try Self.units()
        let password = adminPassword ?? Self.demoPassword
        let commune = units.first { $0.kind == .commune }!
        let district = units.first { $0.kind == .district }!
        let users: [(String, String, Role, String)] = [
            ("admin", "Quản trị hệ thống", .admin, Self.provinceCode),
            ("sotttt", "Chuyên viên Sở TT&TT (tiếp nhận cho UBND tỉnh)", .reviewer, Self.provinceCode),
            ("tinh.nhaplieu", "Cán bộ nhập liệu cấp tỉnh", .reporter, Self.provinceCode),
            ("xa.nhaplieu", "Cán bộ nhập liệu \(commune.name)", .reporter, commune.code),
            ("xa.lanhdao", "Lãnh đạo \(commune.name)", .leader, commune.code),
            ("huyen.nhaplieu", "Cán bộ nhập liệu \(district.name)", .reporter, district.code),
            ("huyen.lanhdao", "Lãnh đạo \(district.name)", .leader, district.code)
        ]
        let hashes = try users.map { user in try hasher(user.0 == "admin" ? password : Self.demoPassword) }
        try await database.transaction { db in
            for unit in units { try await UnitRecord(unit).save(on: db) }
            try await ChangeCounters.bump(ChangeCounters.units, on: db)
            for (user, hash) in zip(users, hashes) {
                try await User(username: user.0, displayName: user.1, passwordHash: hash, role: user.2, unitCode: user.3).save(on: db)
            }
            // Reviewers sit at the province for the demo: the Sở TT&TT reviews on its behalf.
            let receiver = Self.provinceCode
            for (period, deadline, title) in [
                ("2024-Q1", "2024-03-20", "Báo cáo thống kê CQĐT, CQS Quý I năm 2024"),
                ("2024-H1", "2024-06-20", "Báo cáo thống kê CQĐT, CQS 6 tháng đầu năm 2024")
            ] {
                let assignment = Assignment(
                    formID: "egov-2024", periodKey: period, deadline: deadline, receiverCode: receiver, title: title)
                try await assignment.save(on: db)
                for unit in units where unit.kind != .province || unit.code == Self.provinceCode {
                    try await Report(assignmentID: assignment.id!, unitCode: unit.code, formID: "egov-2024", periodKey: period).save(on: db)
                }
            }
        }
        try await fillProvinceReport()
        try await loadTargetResults(units: units)
        return Summary(units: units.count, users: users.map { ($0.0, $0.2.label) }, adminPassword: password)
    }

    /// Kế hoạch 48's results for 6 tháng đầu năm 2024 as seed 001 gives them: the
    /// province's column of Phụ lục II and the lagging units named in its prose.
    func loadTargetResults(units: [ReportingUnit]) async throws {
        func csv(_ name: String) throws -> [[String]] {
            let url = Bundle.module.url(forResource: "Demo/\(name)", withExtension: "csv")!
            return Array(ValuesFile.records(try String(contentsOf: url, encoding: .utf8)).dropFirst())
        }
        // Names in the prose are written loosely ("Văn hoá - Thể thao"): compare letters only.
        func key(_ name: String) -> String {
            name.lowercased().replacingOccurrences(of: "hoá", with: "hóa").filter { $0.isLetter }
        }
        let byName = Dictionary(units.map { (key($0.name), $0.code) }, uniquingKeysWith: { first, _ in first })
        var results: [TargetResult] = []
        for row in try csv("seed001-kh48-results") where row.count >= 3 && row[1].isEmpty {
            results.append(
                TargetResult(planID: "kh48-2024", targetCode: row[0], unitCode: Self.provinceCode, periodKey: "2024-H1", value: row[2]))
        }
        for row in try csv("seed001-lagging-units") where row.count >= 4 {
            // The prose writes "44.97%": a decimal point, kept exact via the machine form.
            guard let code = byName[key(row[1])],
                let number = ExactNumber(machine: row[3].replacingOccurrences(of: "%", with: ""))
            else { continue }
            results.append(
                TargetResult(
                    planID: "kh48-2024", targetCode: row[0], unitCode: code, periodKey: "2024-H1",
                    value: VietnameseNumber.format(number) + "%"))
        }
        var seen: Set<String> = []
        let unique = results.filter { seen.insert("\($0.targetCode)|\($0.unitCode)").inserted }
        try await database.transaction { db in
            for result in unique { try await result.save(on: db) }
        }
    }

    /// The province's own Quý I/2024 report, with seed 000 Phụ lục II as entered, accepted.
    func fillProvinceReport() async throws {
        guard let form = library.form("egov-2024"),
            let report = try await Report.query(on: database).filter(\.$unitCode == Self.provinceCode)
                .filter(\.$periodKey == "2024-Q1").first()
        else { return }
        let seed: [(String, String)] = [
            ("1", "1"), ("2", "2"), ("3", "100"), ("4", "2"), ("5.1.1", "100"), ("5.1.2", "100"), ("5.1.3", "100"),
            ("5.2", "100"), ("5.2.1", "100"), ("5.2.2", "100"), ("5.2.3", "100"), ("5.3.1", "100"), ("5.3.2", "100"),
            ("5.3.3", "100"), ("6.1", "100"), ("6.1.1", "812"), ("6.1.2", "812"), ("6.2", "100"), ("6.2.1", "359"),
            ("6.2.2", "359"), ("6.3", "97,1"), ("6.3.1", "29140"), ("6.3.2", "28295"), ("6.4", "99,8"), ("6.4.1", "73846"),
            ("6.4.2", "73698"), ("6.5", "100"), ("6.5.1", "537"), ("6.5.2", "537")
        ]
        let validation = Validator(form: form).validate(entries: Dictionary(uniqueKeysWithValues: seed))
        try await database.transaction { db in
            for (code, raw) in seed where form.slotByCode[code] != nil {
                try await ReportValue(
                    reportID: report.id!, code: code, raw: raw, number: validation.values[code]?.number?.description, note: nil
                ).save(on: db)
            }
            report.achievements =
                "Quý I năm 2024, Chủ tịch UBND tỉnh đã ban hành 01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo về chuyển đổi số."
            report.assessment =
                "Hạ tầng kỹ thuật Trung tâm tích hợp dữ liệu tỉnh, Trung tâm Phục vụ hành chính công tỉnh tiếp tục vận hành ổn định."
            report.nextTasks = "Trình Chủ tịch UBND tỉnh ban hành Danh mục cơ sở dữ liệu dùng chung tỉnh Bắc Giang năm 2024 (cập nhật)."
            report.proposals = ""
            report.status = .accepted
            report.sentAt = Date(timeIntervalSince1970: 1_710_460_800)
            report.acceptedAt = Date(timeIntervalSince1970: 1_710_547_200)
            report.version = 1
            try await report.save(on: db)
        }
    }
}
