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

    /// xs:dateTime in UTC, second precision: 2024-04-01T08:30:00Z.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
