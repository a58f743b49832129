/// A period key that is not one: the one message every page, the API and the
/// command line give for it.
public struct PeriodKeyError: Error, Sendable, CustomStringConvertible {
    public let text: String

    public init(text: String) { self.text = text }

    public var description: String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "Kỳ báo cáo “\(shown)” không hợp lệ. Ghi theo dạng 2024-Q1 (quý), 2024-H1 (6 tháng), 2024-9M (9 tháng), "
            + "2024 (năm) hoặc 2024-03 (tháng)."
    }
}

extension Period {
    /// The period a key names, or `PeriodKeyError` with the message users see.
    public static func parse(_ key: String) throws(PeriodKeyError) -> Period {
        guard let period = Period(key: key) else { throw PeriodKeyError(text: key) }
        return period
    }
}
