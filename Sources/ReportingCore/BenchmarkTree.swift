/// Synthetic national-scale data for benchmarks: a tree and a form of the
/// requested size, with deterministic values (no randomness between runs).
public enum BenchmarkData {
    /// A two-level tree in the post-2025 shape: 1 nation, `provinces`
    /// provinces, each with departments and communes, `total` units in all.
    public static func tree(units total: Int, provinces: Int = 34) throws -> UnitTree {
        var units = [ReportingUnit(code: "VN", name: "Việt Nam", kind: .other)]
        let perProvince = max((total - 1) / provinces - 1, 1)
        for p in 0..<provinces {
            let provinceCode = "P\(p)"
            units.append(ReportingUnit(code: provinceCode, name: "Tỉnh \(p)", kind: .province, parentCode: "VN"))
            for u in 0..<perProvince {
                let kind: UnitKind = u < 20 ? .department : .commune
                units.append(ReportingUnit(code: "\(provinceCode)-\(u)", name: "Đơn vị \(p)-\(u)", kind: kind, parentCode: provinceCode))
            }
        }
        return try UnitTree(units: units)
    }

    /// A form of `indicators` rows in groups of three: a ratio and its two parts,
    /// with the usual part-of check, like the e-government form.
    public static func form(indicators: Int) throws -> CompiledForm {
        var rows: [Indicator] = []
        var group = 1
        while rows.count < indicators {
            var ratio = Indicator(
                code: "\(group)", name: "Tỷ lệ \(group)", unit: .percent,
                formula: "[\(group).2] / [\(group).1] * 100", consolidate: .recompute)
            ratio.required = false
            rows.append(ratio)
            rows.append(Indicator(code: "\(group).1", name: "Tổng \(group)", unit: .count, unitWord: "Hồ sơ"))
            rows.append(Indicator(code: "\(group).2", name: "Trực tuyến \(group)", unit: .count, unitWord: "Hồ sơ", partOf: "\(group).1"))
            group += 1
        }
        return try CompiledForm(Form(id: "bench", title: "Biểu mẫu thử", indicators: Array(rows.prefix(indicators))))
    }

    /// The same form as a form file, for benchmarks that go through the web app.
    public static func formYAML(indicators: Int, id: String = "bench-form") throws -> String {
        let form = try self.form(indicators: indicators)
        var lines = [
            "id: \(id)", "title: \"Biểu mẫu thử hiệu năng (\(indicators) chỉ tiêu)\"", "levels: [province, department, district, commune]",
            "indicators:"
        ]
        for indicator in form.indicators {
            lines.append("  - code: \"\(indicator.code)\"")
            lines.append("    name: \"\(indicator.name)\"")
            lines.append("    unit: \(indicator.unit.rawValue)")
            if let word = indicator.unitWord { lines.append("    unit_word: \"\(word)\"") }
            if let formula = indicator.formula { lines.append("    formula: \"\(formula)\"") }
            if let partOf = indicator.partOf { lines.append("    part_of: \"\(partOf)\"") }
            if indicator.required == false { lines.append("    required: false") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Values for unit `unit`: totals and parts, the parts never above totals.
    public static func values(form: CompiledForm, unit: Int) -> [Double?] {
        func base(_ slot: Int) -> Double {
            let mixed = UInt64(truncatingIfNeeded: unit) &* 2_654_435_761 &+ UInt64(slot) &* 40_503
            return Double(mixed % 1000 + 10)
        }
        var result = [Double?](repeating: nil, count: form.slotCount)
        for (slot, indicator) in form.indicators.enumerated() where indicator.unit == .count {
            if let total = form.partOfSlot[slot] {
                result[slot] = (base(total) * 0.75).rounded(.down)
            } else {
                result[slot] = base(slot)
            }
        }
        return result
    }
}
