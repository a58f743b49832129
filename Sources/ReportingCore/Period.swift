/// A reporting period with its cut-off window under Nghị định 09/2019/NĐ-CP.
///
/// The deadline is not here: it belongs to a reporting regime or an
/// assignment, because it is a setting, not a rule of the calendar.
public struct Period: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case month, quarter, firstHalf, nineMonths, year
    }

    public let kind: Kind
    public let year: Int
    /// Month (1–12) for `.month`, quarter (1–4) for `.quarter`, unused otherwise.
    public let index: Int

    public init(kind: Kind, year: Int, index: Int = 0) {
        self.kind = kind
        self.year = year
        self.index = index
    }

    public static func month(_ month: Int, _ year: Int) -> Period { Period(kind: .month, year: year, index: month) }
    public static func quarter(_ quarter: Int, _ year: Int) -> Period { Period(kind: .quarter, year: year, index: quarter) }
    public static func firstHalf(_ year: Int) -> Period { Period(kind: .firstHalf, year: year) }
    public static func nineMonths(_ year: Int) -> Period { Period(kind: .nineMonths, year: year) }
    public static func year(_ year: Int) -> Period { Period(kind: .year, year: year) }

    /// Stable key: `2024-Q1`, `2024-H1`, `2024-9M`, `2024`, `2024-03`.
    public var key: String {
        switch kind {
        case .month: return "\(year)-" + (index < 10 ? "0\(index)" : "\(index)")
        case .quarter: return "\(year)-Q\(index)"
        case .firstHalf: return "\(year)-H1"
        case .nineMonths: return "\(year)-9M"
        case .year: return "\(year)"
        }
    }

    public var description: String { key }

    public init?(key: String) {
        let text = key.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first), (1900...2200).contains(year) else { return nil }
        if parts.count == 1 { self = .year(year); return }
        guard parts.count == 2 else { return nil }
        let suffix = parts[1]
        switch suffix {
        case "H1": self = .firstHalf(year)
        case "9M": self = .nineMonths(year)
        case "Q1", "Q2", "Q3", "Q4": self = .quarter(Int(String(suffix.dropFirst()))!, year)
        default:
            guard suffix.count == 2, let month = Int(suffix), (1...12).contains(month) else { return nil }
            self = .month(month, year)
        }
    }

    /// "Quý I năm 2024", "6 tháng đầu năm 2024", "Tháng 3 năm 2024".
    public var label: String {
        switch kind {
        case .month: return "Tháng \(index) năm \(year)"
        case .quarter: return "Quý \(Period.roman[index]) năm \(year)"
        case .firstHalf: return "6 tháng đầu năm \(year)"
        case .nineMonths: return "9 tháng đầu năm \(year)"
        case .year: return "Năm \(year)"
        }
    }

    static let roman = ["", "I", "II", "III", "IV"]

    /// The last month whose 14th closes the window.
    var closingMonth: Int {
        switch kind {
        case .month: return index
        case .quarter: return index * 3
        case .firstHalf: return 6
        case .nineMonths: return 9
        case .year: return 12
        }
    }

    /// First month counted in the period (its window opens on the 15th of the month before).
    var openingMonth: Int {
        switch kind {
        case .month: return index
        case .quarter: return index * 3 - 2
        case .firstHalf, .nineMonths, .year: return 1
        }
    }

    /// The cut-off window: from the 15th of the month before the period to the
    /// 14th of its last month (Q1 2024 = 15/12/2023–14/03/2024).
    public var cutOff: ClosedRange<CivilDate> {
        let startMonth = openingMonth == 1 ? 12 : openingMonth - 1
        let startYear = openingMonth == 1 ? year - 1 : year
        return CivilDate(year: startYear, month: startMonth, day: 15)...CivilDate(year: year, month: closingMonth, day: 14)
    }

    /// The period an outlier check compares with: the previous month or quarter,
    /// and last year's for periods that occur once a year.
    public var previous: Period {
        switch kind {
        case .month: return index == 1 ? .month(12, year - 1) : .month(index - 1, year)
        case .quarter: return index == 1 ? .quarter(4, year - 1) : .quarter(index - 1, year)
        case .firstHalf, .nineMonths, .year: return Period(kind: kind, year: year - 1, index: index)
        }
    }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.cutOff.upperBound, lhs.cutOff.lowerBound) < (rhs.cutOff.upperBound, rhs.cutOff.lowerBound)
    }
}
