/// How an indicator's value is measured (đơn vị tính).
public enum MeasureKind: String, Sendable, Codable {
    case heading, count, percent, money, coded, text
}

/// One allowed value of a coded indicator ("Hoàn thành = 1").
public struct Choice: Sendable, Hashable, Codable {
    public var value: Int
    public var label: String
}

/// How a figure rolls up the hierarchy.
public enum ConsolidationRule: String, Sendable, Codable {
    case sum, recompute
    case shareOfUnits = "share_of_units"
    case min, max, mode, none
}

/// For "Tỷ lệ UBND cấp xã đã kết nối": the share of units of `level` below a
/// node whose own value satisfies `when`.
public struct ShareOfUnits: Sendable, Hashable, Codable {
    public var level: UnitKind
    public var when: String
}

/// One row of a form (chỉ tiêu).
public struct Indicator: Sendable, Codable {
    public var code: String
    public var label: String?
    public var name: String
    public var note: String?
    public var unit: MeasureKind
    public var unitWord: String?
    public var choices: [Choice]?
    public var levels: [UnitKind]?
    public var required: Bool?
    public var formula: String?
    public var partOf: String?
    public var sumOfChildren: Bool?
    public var consolidate: ConsolidationRule?
    public var shareOfUnits: ShareOfUnits?
    public var jumpFactor: Double?

    enum CodingKeys: String, CodingKey {
        case code, label, name, note, unit, choices, levels, required, formula, consolidate
        case unitWord = "unit_word"
        case partOf = "part_of"
        case sumOfChildren = "sum_of_children"
        case shareOfUnits = "share_of_units"
        case jumpFactor = "jump_factor"
    }

    public init(
        code: String, name: String, unit: MeasureKind, unitWord: String? = nil, choices: [Choice]? = nil,
        formula: String? = nil, partOf: String? = nil, consolidate: ConsolidationRule? = nil
    ) {
        self.code = code
        self.name = name
        self.unit = unit
        self.unitWord = unitWord
        self.choices = choices
        self.formula = formula
        self.partOf = partOf
        self.consolidate = consolidate
    }

    /// The parent code: "6.3.1" → "6.3"; nil for a top-level row.
    public var parentCode: String? {
        guard let dot = code.lastIndex(of: ".") else { return nil }
        return String(code[..<dot])
    }

    /// Nesting depth for indentation: "6" → 0, "6.3.1" → 2.
    public var depth: Int { code.split(separator: ".").count - 1 }

    /// STT as printed on the paper form.
    public var printedLabel: String { label ?? code }

    public var isHeading: Bool { unit == .heading }
    public var isComputed: Bool { formula != nil }

    /// Required unless said otherwise; a heading or a computed row never is.
    public var isRequired: Bool { !isHeading && !isComputed && (required ?? true) }

    /// The consolidation rule, defaulted from the unit of measure.
    public var consolidation: ConsolidationRule {
        if let consolidate { return consolidate }
        switch unit {
        case .count, .money: return .sum
        case .percent: return formula != nil ? .recompute : (shareOfUnits != nil ? .shareOfUnits : .none)
        case .coded: return .min
        case .heading, .text: return .none
        }
    }

    /// ĐVT as displayed: "%", "Hồ sơ", "Triệu đồng", or the coded legend.
    public var unitLabel: String {
        switch unit {
        case .percent: return "%"
        case .money: return unitWord ?? "Triệu đồng"
        case .count: return unitWord ?? "Số lượng"
        case .coded: return (choices ?? []).map { "\($0.label) = \($0.value)" }.joined(separator: "; ")
        case .text: return unitWord ?? "Văn bản"
        case .heading: return ""
        }
    }

    public func applies(to kind: UnitKind, formLevels: [UnitKind]) -> Bool {
        (levels ?? formLevels).contains(kind)
    }
}

/// A validation rule written in the form file.
public struct FormRule: Sendable, Codable {
    public enum Severity: String, Sendable, Codable { case error, warning }
    public var code: String
    public var check: String
    public var severity: Severity
    public var message: String
}

/// A statistics form (biểu mẫu): a table of indicators plus rules.
public struct Form: Sendable, Codable {
    public var id: String
    public var title: String
    public var shortTitle: String?
    public var source: String?
    public var version: String?
    public var levels: [UnitKind]
    public var indicators: [Indicator]
    public var rules: [FormRule]

    enum CodingKeys: String, CodingKey {
        case id, title, source, version, levels, indicators, rules
        case shortTitle = "short_title"
    }

    public init(
        id: String, title: String, levels: [UnitKind] = UnitKind.allCases,
        indicators: [Indicator], rules: [FormRule] = []
    ) {
        self.id = id
        self.title = title
        self.levels = levels
        self.indicators = indicators
        self.rules = rules
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        shortTitle = try container.decodeIfPresent(String.self, forKey: .shortTitle)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        levels = try container.decodeIfPresent([UnitKind].self, forKey: .levels) ?? UnitKind.allCases
        indicators = try container.decode([Indicator].self, forKey: .indicators)
        rules = try container.decodeIfPresent([FormRule].self, forKey: .rules) ?? []
    }

    public func indicator(_ code: String) -> Indicator? { indicators.first { $0.code == code } }

    public func children(of code: String) -> [Indicator] { indicators.filter { $0.parentCode == code } }

    public var displayTitle: String { shortTitle ?? title }
}
