/// Why the options of `baocao check-text` cannot make a context, in Vietnamese.
public enum NarrativeContextError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownPeriod(String)
    case unknownForm(String, known: [String])
    case unknownPlan(String, known: [String])
    case values(String)
    case badValue(code: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .unknownPeriod(let key):
            return "Kỳ báo cáo “\(key.prefix(40))” không hợp lệ: dùng dạng 2024-Q1, 2024-H1, 2024-9M, 2024 hoặc 2024-03."
        case .unknownForm(let id, let known):
            return "Không có biểu mẫu “\(id.prefix(40))” (các biểu mẫu hiện có: \(known.joined(separator: ", ")))."
        case .unknownPlan(let id, let known):
            return "Không có kế hoạch “\(id.prefix(40))” (các kế hoạch hiện có: \(known.joined(separator: ", ")))."
        case .values(let reason):
            return "Tệp số liệu không đọc được: \(reason)"
        case .badValue(let code, let value, let reason):
            return "Tệp số liệu, chỉ tiêu \(code): “\(value.prefix(40))” không dùng được. \(reason)"
        }
    }
}

extension NarrativeContext {
    /// The context of `baocao check-text FILE [--period KEY] [--form F --values FILE.csv] [--plan P]`, in one call.
    ///
    /// The values file (`code,value` or `target,value`) gives the form's cells and, with a plan, the results
    /// per target code; rows with a `level` are per-level results and are left out. Phụ lục I is read from
    /// the text itself (`documents` stays nil).
    public init(
        library: FormLibrary, periodKey: String? = nil, formID: String? = nil, valuesCSV: String? = nil,
        planID: String? = nil, unitKind: UnitKind? = nil
    ) throws(NarrativeContextError) {
        self.init(unitKind: unitKind)
        if let periodKey {
            guard let period = Period(key: periodKey) else { throw .unknownPeriod(periodKey) }
            self.period = period
        }
        if let formID {
            guard let form = library.form(formID) else { throw .unknownForm(formID, known: library.forms.keys.sorted()) }
            self.form = form
        }
        if let planID {
            guard let plan = library.plans[planID] else { throw .unknownPlan(planID, known: library.plans.keys.sorted()) }
            self.plan = plan
        }
        guard let valuesCSV else { return }
        let rows: [ValuesFile.Row]
        do { rows = try ValuesFile.parse(valuesCSV) } catch { throw .values(error.description) }
        let targetCodes = Set(plan?.targets.map(\.code) ?? [])
        for row in rows where row.level == nil {
            if targetCodes.contains(row.code) { targetResults[row.code] = row.value }
            guard let form, form.slotByCode[row.code] != nil, !row.value.trimmed.isEmpty else { continue }
            switch VietnameseNumber.parse(row.value) {
            case .success(let number): values[row.code] = number
            case .failure(let error):
                // A coded or text cell is not a number the prose can state; anything else is a typing error.
                let unit = form.indicators[form.slotByCode[row.code] ?? 0].unit
                if unit == .text || unit == .coded { continue }
                throw .badValue(code: row.code, value: row.value, reason: error.message)
            }
        }
    }
}
