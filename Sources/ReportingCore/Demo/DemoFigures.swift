import Foundation

/// The demo province's figures: for every unit that reports a period, what its
/// officer typed into the e-government form (egov-2022 or egov-2024), made up
/// but deterministic and consistent with the seeds:
/// - Quý I/2024: the units' dossier rows (6.3.x, 6.4.x) add up exactly to
///   seed 000's province figures; the catalogue rows decompose them (below).
/// - every generated report passes the form's checks.
///
/// Catalogue rows (procedures, services) are the same for every unit of a
/// level, since the province publishes one list per level; each department
/// owns its own procedures. The province's catalogue figure is therefore the
/// departments' sum plus the district list plus the commune list. The rows
/// counting services "có phát sinh hồ sơ" vary by unit; for them the widest
/// district and the widest commune stand for their level (their union).
public enum DemoFigures {
    /// Seed 000, Phụ lục II: the province's Quý I/2024 report as entered.
    public static let seedProvinceQ1: [(code: String, raw: String)] = [
        ("1", "1"), ("2", "2"), ("3", "100"), ("4", "2"), ("5.1.1", "100"), ("5.1.2", "100"), ("5.1.3", "100"),
        ("5.2", "100"), ("5.2.1", "100"), ("5.2.2", "100"), ("5.2.3", "100"), ("5.3.1", "100"), ("5.3.2", "100"),
        ("5.3.3", "100"), ("6.1", "100"), ("6.1.1", "812"), ("6.1.2", "812"), ("6.2", "100"), ("6.2.1", "359"),
        ("6.2.2", "359"), ("6.3", "97,1"), ("6.3.1", "29140"), ("6.3.2", "28295"), ("6.4", "99,8"), ("6.4.1", "73846"),
        ("6.4.2", "73698"), ("6.5", "100"), ("6.5.1", "537"), ("6.5.2", "537")
    ]
    /// The seed period, whose totals are exact.
    public static let seedPeriod = "2024-Q1"
    static let dossierRows2024 = ["6.3.1", "6.3.2", "6.4.1", "6.4.2"]
    static let catalogueRows2024 = ["6.1.1", "6.1.2", "6.2.1", "6.2.2", "6.5.1", "6.5.2"]

    static func seed(_ code: String) -> Int { seedProvinceQ1.first { $0.code == code }.flatMap { Int($0.raw) } ?? 0 }

    /// A number in [0, 1) fixed by its key: FNV-1a, not `Hasher`, which changes per process.
    public static func noise(_ key: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }

    /// `total` split by `weights` into integers that add up to it exactly (largest remainder).
    public static func distribute(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        let shares = weights.map { Double(total) * max($0, 0) / sum }
        var result = shares.map { Int($0.rounded(.down)) }
        var left = total - result.reduce(0, +)
        let order = shares.indices.sorted { a, b in
            let (ra, rb) = (shares[a] - Double(result[a]), shares[b] - Double(result[b]))
            return ra != rb ? ra > rb : a < b
        }
        for index in order where left > 0 && weights[index] > 0 {
            result[index] += 1
            left -= 1
        }
        return result
    }

    /// How much work with procedures a department has, relative to the others (0: none on the Cổng DVC).
    public static func departmentWeight(_ name: String) -> Double {
        let table: [(String, Double)] = [
            ("Tư pháp", 3.0), ("Giao thông", 4.0), ("Tài nguyên", 2.5), ("Kế hoạch", 2.5), ("Lao động", 1.5), ("Y tế", 1.5),
            ("Công Thương", 1.2), ("Giáo dục", 1.2), ("khu công nghiệp", 1.2), ("Nông nghiệp", 1.0), ("Xây dựng", 1.0),
            ("Tài chính", 0.6), ("Văn hóa", 0.6), ("Nội vụ", 0.5), ("Thông tin", 0.4), ("Văn phòng", 0.3), ("Khoa học", 0.3)
        ]
        return table.first { name.contains($0.0) }?.1 ?? 0
    }

    /// A commune's or district's size, fixed by its code; wards (phường) and towns busier than rural communes.
    static func localWeight(_ unit: ReportingUnit) -> Double {
        let base = 0.6 + DemoFigures.noise("w|" + unit.code)
        let urban = unit.name.contains("phường") || unit.name.contains("thị trấn") ? 1.6 : 1.0
        return base * urban
    }

    /// Every unit's entries for one period, by unit code then row code (raw text, as typed).
    /// `units` are the units that report it, the province among them; `tree` their tree.
    public static func entries(
        form: CompiledForm, periodKey: String, units: [ReportingUnit],
        tree: UnitTree
    ) -> [String: [String: String]] {
        var builder = Builder(form: form, periodKey: periodKey, units: units, tree: tree)
        return builder.build()
    }

    struct Builder {
        let form: CompiledForm
        let periodKey: String
        let units: [ReportingUnit]
        let tree: UnitTree
        var values: [String: [String: Int]] = [:] // integers: counts and coded
        var tenths: [String: [String: Int]] = [:] // percents, in tenths

        init(form: CompiledForm, periodKey: String, units: [ReportingUnit], tree: UnitTree) {
            self.form = form
            self.periodKey = periodKey
            self.units = units
            self.tree = tree
        }

        var period: Period? { Period(key: periodKey) }
        var year: Int { period?.year ?? 2024 }
        var isTwoLevel: Bool { !units.contains { $0.kind == .district } }
        func n(_ unit: ReportingUnit, _ what: String) -> Double { DemoFigures.noise("\(periodKey)|\(unit.code)|\(what)") }
        var lower: [ReportingUnit] { units.filter { $0.kind != .province } }

        /// How many months the period covers: dossiers accumulate.
        var months: Double {
            guard let period else { return 3 }
            return Double(period.closingMonth - period.openingMonth + 1)
        }

        mutating func build() -> [String: [String: String]] {
            general()
            if form.slotByCode["6.2.3"] != nil { section6Form2022() } else { section6Form2024() }
            // The province's own report: what it sends up, from its units' figures.
            for unit in units where unit.kind == .province { provinceTotals(unit) }
            var result: [String: [String: String]] = [:]
            // Rows about a level the tree no longer has (cấp huyện after July 2025) stay empty.
            let present = Set(lower.map(\.kind))
            func describesPresentLevel(_ indicator: Indicator) -> Bool {
                indicator.levels.map { levels in levels.contains { $0 != .province && present.contains($0) } } ?? true
            }
            for unit in units {
                var entries: [String: String] = [:]
                for indicator in form.indicators
                where !indicator.isHeading && indicator.applies(to: unit.kind, formLevels: form.form.levels)
                    && describesPresentLevel(indicator)
                {
                    if let value = values[unit.code]?[indicator.code] {
                        entries[indicator.code] = String(value)
                    } else if let tenth = tenths[unit.code]?[indicator.code] {
                        entries[indicator.code] = VietnameseNumber.format(ExactNumber(mantissa: Int64(tenth), scale: 1).normalized)
                    }
                }
                result[unit.code] = entries
            }
            if periodKey == DemoFigures.seedPeriod, form.id == "egov-2024", let province = units.first(where: { $0.kind == .province }) {
                // As printed: the province's report is seed 000's, and its sums are what the units' figures add up to.
                result[province.code] = Dictionary(uniqueKeysWithValues: DemoFigures.seedProvinceQ1.map { ($0.code, $0.raw) })
            }
            return result
        }

        /// Rows 1–5.3.3, the same in both forms.
        mutating func general() {
            let early = year < 2024
            for unit in lower {
                for indicator in form.indicators where indicator.applies(to: unit.kind, formLevels: form.form.levels) {
                    let roll = n(unit, indicator.code)
                    switch indicator.unit {
                    case .coded:
                        let top = (indicator.choices ?? []).map(\.value).max() ?? 0
                        values[unit.code, default: [:]][indicator.code] =
                            early && unit.kind == .commune && roll < 0.3 ? max(top - 1, 0) : top
                    case .percent where indicator.formula == nil && indicator.shareOfUnits == nil:
                        let base = early ? 800 : 920
                        tenths[unit.code, default: [:]][indicator.code] =
                            roll < 0.5 ? 1000 : base + Int((roll - 0.5) * 2 * Double(1000 - base))
                    default: break
                    }
                }
            }
            // Connections: a unit of the row's level reports its own (100 or 0); the others the share below them.
            for indicator in form.indicators {
                guard let share = indicator.shareOfUnits else { continue }
                for unit in lower where unit.kind == share.level && indicator.applies(to: unit.kind, formLevels: form.form.levels) {
                    let connected = !(early && n(unit, "c" + indicator.code) < 0.08)
                    tenths[unit.code, default: [:]][indicator.code] = connected ? 1000 : 0
                }
                for unit in units where unit.kind != share.level && indicator.applies(to: unit.kind, formLevels: form.form.levels) {
                    let below = tree.descendants(of: unit.code).filter { $0.kind == share.level && tenths[$0.code]?[indicator.code] != nil }
                    guard !below.isEmpty else { continue }
                    let meeting = below.filter { (tenths[$0.code]?[indicator.code] ?? 0) >= 1000 }.count
                    tenths[unit.code, default: [:]][indicator.code] = Int((Double(meeting * 1000) / Double(below.count)).rounded())
                }
            }
        }

        /// Catalogue size of a unit's level: commune, district; departments by weight.
        func scale(_ unit: ReportingUnit) -> Double {
            switch unit.kind {
            case .commune: return isTwoLevel ? 2.6 : 1
            case .district: return 2.4
            default: return DemoFigures.departmentWeight(unit.name)
            }
        }

        /// Dossiers a unit received in the period, before any seed total: by level, size and months.
        func dossierWeight(_ unit: ReportingUnit) -> Double {
            switch unit.kind {
            case .department: return DemoFigures.departmentWeight(unit.name) * 700
            case .district: return 1000 * (0.7 + n(unit, "dw"))
            case .commune: return DemoFigures.localWeight(unit) * (isTwoLevel ? 600 : 170)
            default: return 0
            }
        }

        mutating func set(_ unit: ReportingUnit, _ code: String, _ value: Int) { values[unit.code, default: [:]][code] = value }
        func get(_ unit: ReportingUnit, _ code: String) -> Int { values[unit.code]?[code] ?? 0 }

        mutating func ratio(_ unit: ReportingUnit, _ code: String, _ part: String, _ total: String) {
            let (p, t) = (get(unit, part), get(unit, total))
            guard t > 0 else { return }
            tenths[unit.code, default: [:]][code] = Int((Double(p) * 1000 / Double(t)).rounded())
        }

        /// Dossier totals and their online parts: exact seed sums in the seed period.
        mutating func dossiers(_ totalCode: String, _ onlineCode: String, seedShares: [UnitKind: Double], onlineRate: ClosedRange<Double>) {
            let seedTotal = periodKey == DemoFigures.seedPeriod ? DemoFigures.seed(totalCode) : 0
            let seedOnline = periodKey == DemoFigures.seedPeriod ? DemoFigures.seed(onlineCode) : 0
            var totals: [Int] = []
            if seedTotal > 0 {
                // Each level's share of the seed total, then each unit's share of its level's.
                var byUnit = Array(repeating: 0, count: lower.count)
                let kinds: [UnitKind] = [.department, .district, .commune]
                let levelTotals = DemoFigures.distribute(seedTotal, weights: kinds.map { seedShares[$0] ?? 0 })
                for (kind, levelTotal) in zip(kinds, levelTotals) {
                    let indices = lower.indices.filter { lower[$0].kind == kind }
                    for (index, value) in zip(
                        indices, DemoFigures.distribute(levelTotal, weights: indices.map { dossierWeight(lower[$0]) }))
                    {
                        byUnit[index] = value
                    }
                }
                totals = byUnit
            } else {
                totals = lower.map { unit in Int((dossierWeight(unit) * (0.85 + 0.3 * n(unit, totalCode)) * months / 3).rounded()) }
            }
            let online: [Int]
            if seedTotal > 0 {
                // The offline dossiers spread over the units in proportion to their totals.
                let offline = DemoFigures.distribute(seedTotal - seedOnline, weights: totals.map(Double.init))
                online = zip(totals, offline).map { max($0 - $1, 0) }
            } else {
                online = zip(lower, totals).map { unit, total in
                    Int(
                        (Double(total) * (onlineRate.lowerBound + (onlineRate.upperBound - onlineRate.lowerBound) * n(unit, onlineCode)))
                            .rounded(.down))
                }
            }
            for (index, unit) in lower.enumerated() {
                set(unit, totalCode, totals[index])
                set(unit, onlineCode, min(online[index], totals[index]))
            }
        }

        mutating func section6Form2024() {
            let seedPeriod = periodKey == DemoFigures.seedPeriod
            let departments = lower.filter { $0.kind == .department }
            // Catalogues: one list per level; departments share the province's own.
            let communeList = isTwoLevel ? (165, 82) : (62, 30), districtList = (150, 70)
            let localToatTrinh = communeList.0 + (isTwoLevel ? 0 : districtList.0)
            let localPayments = communeList.1 + (isTwoLevel ? 0 : districtList.1)
            let departmentToanTrinh = DemoFigures.distribute(
                max(DemoFigures.seed("6.1.1") - localToatTrinh, 0),
                weights: departments.map { scale($0) })
            let departmentPayments = DemoFigures.distribute(
                max(DemoFigures.seed("6.5.1") - localPayments, 0),
                weights: departments.map { scale($0) })
            for (index, unit) in departments.enumerated() {
                set(unit, "6.1.1", departmentToanTrinh[index])
                set(unit, "6.5.1", departmentPayments[index])
            }
            for unit in lower where unit.kind != .department {
                set(unit, "6.1.1", unit.kind == .commune ? communeList.0 : districtList.0)
                set(unit, "6.5.1", unit.kind == .commune ? communeList.1 : districtList.1)
            }
            for unit in lower {
                // 100% since 2024 (seed 000: 812/812, 537/537).
                set(unit, "6.1.2", get(unit, "6.1.1"))
                set(unit, "6.5.2", get(unit, "6.5.1"))
            }
            dossiers("6.3.1", "6.3.2", seedShares: [.department: 0.4, .district: 0.2, .commune: 0.4], onlineRate: 0.93...0.995)
            dossiers("6.4.1", "6.4.2", seedShares: [.department: 0.35, .district: 0.35, .commune: 0.3], onlineRate: 0.97...1.0)
            // Services with dossiers: the widest commune and district stand for their level.
            let widest = (commune: isTwoLevel ? 110 : 40, district: 80)
            var firstOf: Set<UnitKind> = []
            for unit in lower where unit.kind != .department {
                let top = unit.kind == .commune ? widest.commune : widest.district
                let value = firstOf.insert(unit.kind).inserted ? top : Int(Double(top) * (0.5 + 0.45 * n(unit, "6.2.1")))
                set(unit, "6.2.1", value)
            }
            let localWidest = widest.commune + (isTwoLevel ? 0 : widest.district)
            let departmentServices =
                seedPeriod
                ? DemoFigures.distribute(max(DemoFigures.seed("6.2.1") - localWidest, 0), weights: departments.map { scale($0) })
                : departments.map { Int((14 * scale($0) / 1.2 * (0.8 + 0.4 * n($0, "6.2.1"))).rounded()) }
            for (index, unit) in departments.enumerated() { set(unit, "6.2.1", departmentServices[index]) }
            for unit in lower {
                // A service with dossiers has at least one; every one of them had online dossiers (seed 000: 359/359).
                let dossiers = get(unit, "6.3.1") + get(unit, "6.4.1"), online = get(unit, "6.3.2") + get(unit, "6.4.2")
                set(unit, "6.2.1", min(get(unit, "6.2.1"), dossiers))
                set(unit, "6.2.2", min(get(unit, "6.2.1"), online))
                for (code, part, total) in [
                    ("6.1", "6.1.2", "6.1.1"), ("6.2", "6.2.2", "6.2.1"), ("6.3", "6.3.2", "6.3.1"),
                    ("6.4", "6.4.2", "6.4.1"), ("6.5", "6.5.2", "6.5.1")
                ] {
                    ratio(unit, code, part, total)
                }
            }
        }

        mutating func section6Form2022() {
            // Mức độ 3 / 4 lists; 2023: not all offered yet, online dossiers for a share of the procedures.
            let lists: [UnitKind: (Int, Int, Int)] = [.commune: (40, 58, 30), .district: (95, 130, 70)]
            for unit in lower {
                let list = lists[unit.kind] ?? (Int(60 * scale(unit)), Int(90 * scale(unit)), Int(45 * scale(unit)))
                let level = unit.kind == .department ? "d" + unit.code : unit.kind.rawValue // one list per local level
                let offered3 = Int(Double(list.0) * (0.9 + 0.1 * DemoFigures.noise(periodKey + level + "3")))
                let offered4 = Int(Double(list.1) * (0.85 + 0.15 * DemoFigures.noise(periodKey + level + "4")))
                set(unit, "6.1.1", list.0)
                set(unit, "6.1.2", offered3)
                set(unit, "6.1.3", Int(Double(offered3) * (0.3 + 0.4 * n(unit, "6.1.3"))))
                set(unit, "6.2.1", list.1)
                set(unit, "6.2.2", offered4)
                set(unit, "6.2.3", Int(Double(offered4) * (0.3 + 0.4 * n(unit, "6.2.3"))))
                set(unit, "6.3.1", offered3 + offered4)
                set(unit, "6.3.2", Int(Double(offered3 + offered4) * (0.9 + 0.1 * DemoFigures.noise(periodKey + level + "i"))))
                set(unit, "6.5.1", list.2)
                set(unit, "6.5.2", Int(Double(list.2) * (0.6 + 0.3 * DemoFigures.noise(periodKey + level + "p"))))
            }
            dossiers("6.4.1", "6.4.2", seedShares: [:], onlineRate: 0.55...0.85)
            for unit in lower {
                // Every procedure with online dossiers has at least one.
                let needed = get(unit, "6.1.3") + get(unit, "6.2.3")
                if get(unit, "6.4.2") < needed { set(unit, "6.4.2", min(needed, get(unit, "6.4.1"))) }
                if get(unit, "6.4.2") < needed { set(unit, "6.1.3", 0); set(unit, "6.2.3", 0) }
                for (code, part, total) in [
                    ("6.1", "6.1.2", "6.1.1"), ("6.2", "6.2.2", "6.2.1"), ("6.3", "6.3.2", "6.3.1"),
                    ("6.4", "6.4.2", "6.4.1"), ("6.5", "6.5.2", "6.5.1")
                ] {
                    ratio(unit, code, part, total)
                }
            }
        }

        /// The province's report: dossier sums, catalogue = departments + one list per local level, ratios recomputed.
        mutating func provinceTotals(_ province: ReportingUnit) {
            for indicator in form.indicators where indicator.applies(to: .province, formLevels: form.form.levels) {
                switch indicator.unit {
                case .coded:
                    let lowest = lower.compactMap { values[$0.code]?[indicator.code] }.min()
                    set(province, indicator.code, lowest ?? ((indicator.choices ?? []).map(\.value).max() ?? 0))
                case .percent where indicator.formula == nil && indicator.shareOfUnits == nil:
                    tenths[province.code, default: [:]][indicator.code] = 1000
                case .count where indicator.consolidation == .sum:
                    set(province, indicator.code, lower.reduce(0) { $0 + get($1, indicator.code) })
                case .count:
                    var total = lower.filter { $0.kind == .department }.reduce(0) { $0 + get($1, indicator.code) }
                    for kind in [UnitKind.district, .commune] {
                        total += lower.filter { $0.kind == kind }.map { get($0, indicator.code) }.max() ?? 0
                    }
                    set(province, indicator.code, total)
                default: break
                }
            }
            for indicator in form.indicators where indicator.formula != nil {
                let parts = indicator.code + ".1", whole = indicator.code + ".2"
                ratio(province, indicator.code, whole, parts)
            }
        }
    }
}
