import Foundation

/// ADX (IHE QRPH Aggregate Data Exchange, namespace urn:ihe:qrph:adx:2015): one
/// `<group>` per unit and period, in the order of the set. Every attribute and
/// text is escaped by construction; notes go in `<annotation>`.
public enum ADXWriter {
    public static let namespace = "urn:ihe:qrph:adx:2015"

    /// `exported` is the required timestamp of the message, written in UTC.
    public static func write(_ set: DataValueSet, exported: Date) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<adx xmlns=\"\(namespace)\" exported=\"\(timestamp(exported))\">\n"
        var index = 0
        let values = set.values
        while index < values.count {
            let unit = values[index].orgUnit, period = values[index].period
            out += "  <group dataSet=\"\(ExchangeText.xmlAttribute(set.dataSet))\" orgUnit=\"\(ExchangeText.xmlAttribute(unit))\""
            out += " period=\"\(period.adx)\">\n"
            while index < values.count && values[index].orgUnit == unit && values[index].period == period {
                let value = values[index]
                out += "    <dataValue dataElement=\"\(ExchangeText.xmlAttribute(value.dataElement))\" value=\"\(value.value.description)\""
                if let comment = value.comment {
                    out += "><annotation>\(ExchangeText.xmlText(comment))</annotation></dataValue>\n"
                } else {
                    out += "/>\n"
                }
                index += 1
            }
            out += "  </group>\n"
        }
        return out + "</adx>\n"
    }

    /// xs:dateTime in UTC, second precision: 2024-04-01T08:30:00Z. Computed, not
    /// formatted by ICU: total for any date (clamped to years 1–9999) and the same everywhere.
    static func timestamp(_ date: Date) -> String {
        let raw = date.timeIntervalSince1970
        let seconds = raw.isFinite ? Int64(Swift.min(Swift.max(raw, -62_135_596_800), 253_402_300_799).rounded(.down)) : 0
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let paddedYear = String(repeating: "0", count: Swift.max(0, 4 - String(year).count)) + String(year)
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(time / 3_600)):\(two(time % 3_600 / 60)):\(two(time % 60))Z"
    }
}
