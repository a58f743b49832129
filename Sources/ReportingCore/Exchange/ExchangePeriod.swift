/// How a BaoCao period is named in each exchange format.
///
/// The name is the calendar period the report is titled after: "Quý I/2024" is
/// 2024Q1 in DHIS2, 2024-01-01/P3M in ADX and 2024-Q1 in SDMX, although its
/// figures are counted over the NĐ 09 cut-off window 15/12/2023–14/03/2024
/// (`Period.cutOff`). docs/exchange.md says why.
extension Period {
    /// DHIS2's period id: 202403, 2024Q1, 2024S1 (Jan–Jun), 2024; nil for 9 months,
    /// which has no DHIS2 period type.
    public var dhis2: String? {
        switch kind {
        case .month: return "\(year)" + (index < 10 ? "0\(index)" : "\(index)")
        case .quarter: return "\(year)Q\(index)"
        case .firstHalf: return "\(year)S1"
        case .nineMonths: return nil
        case .year: return "\(year)"
        }
    }

    /// The period a DHIS2 period id names, nil when BaoCao has no such period.
    public init?(dhis2 text: String) {
        let utf8 = Array(text.utf8)
        guard (4...6).contains(utf8.count), utf8.prefix(4).allSatisfy({ (48...57).contains($0) }),
            let year = Int(String(decoding: utf8.prefix(4), as: UTF8.self)), (1900...2200).contains(year)
        else { return nil }
        let rest = String(decoding: utf8.dropFirst(4), as: UTF8.self)
        switch rest {
        case "": self = .year(year)
        case "Q1", "Q2", "Q3", "Q4": self = .quarter(Int(rest.dropFirst()) ?? 1, year)
        case "S1": self = .firstHalf(year)
        default:
            guard rest.count == 2, rest.utf8.allSatisfy({ (48...57).contains($0) }), let month = Int(rest), (1...12).contains(month)
            else { return nil }
            self = .month(month, year)
        }
    }

    /// ADX's ISO 8601 start/duration: 2024-01-01/P3M, 2024-01-01/P9M, 2024-01-01/P1Y.
    public var adx: String {
        let months: Int
        switch kind {
        case .month: months = 1
        case .quarter: months = 3
        case .firstHalf: months = 6
        case .nineMonths: months = 9
        case .year: months = 12
        }
        let start = "\(year)-" + (openingMonth < 10 ? "0\(openingMonth)" : "\(openingMonth)") + "-01"
        return start + (months == 12 ? "/P1Y" : "/P\(months)M")
    }

    /// SDMX TIME_PERIOD: 2024-03, 2024-Q1, 2024-S1, 2024, and for 9 months the
    /// time range 2024-01-01/P9M (SDMX has no nine-month reporting period).
    public var sdmx: String {
        switch kind {
        case .month: return key
        case .quarter: return "\(year)-Q\(index)"
        case .firstHalf: return "\(year)-S1"
        case .nineMonths: return adx
        case .year: return "\(year)"
        }
    }
}
