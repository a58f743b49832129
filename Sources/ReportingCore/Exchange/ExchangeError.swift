/// A set of figures that a format cannot carry, with the message users see.
public enum ExchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// DHIS2 has no nine-month period type.
    case noDHIS2Period(Period)

    public var description: String {
        switch self {
        case .noDHIS2Period(let period):
            return "Kỳ “\(period.label)” (\(period.key)) không có loại kỳ tương ứng trong DHIS2 (chỉ có tháng, quý, 6 tháng, năm). "
                + "Hãy xuất theo định dạng ADX hoặc SDMX (kỳ 9 tháng ghi là \(period.adx)), hoặc xuất từng quý."
        }
    }
}
