/// DHIS2's dataValueSets JSON (`POST /api/dataValueSets`), written by hand so the
/// order of keys and values is fixed and every string is escaped by construction.
///
/// dataElement and orgUnit carry BaoCao's codes, not DHIS2 UIDs: a DHIS2 server
/// imports them with `idScheme=CODE` (docs/exchange.md). Values are strings in
/// the plain machine form ("97.1", "-12.5"), as DHIS2 stores them.
public enum DHIS2JSONWriter {
    public static func write(_ set: DataValueSet) throws(ExchangeError) -> String {
        var periods: [Period: String] = [:]
        for value in set.values where periods[value.period] == nil {
            guard let id = value.period.dhis2 else { throw .noDHIS2Period(value.period) }
            periods[value.period] = id
        }
        var out = "{\n  \"dataSet\": \(ExchangeText.jsonString(set.dataSet)),\n"
        if let period = set.singlePeriod, let id = periods[period] { out += "  \"period\": \(ExchangeText.jsonString(id)),\n" }
        if let unit = set.singleOrgUnit { out += "  \"orgUnit\": \(ExchangeText.jsonString(unit)),\n" }
        out += "  \"dataValues\": ["
        for (position, value) in set.values.enumerated() {
            out += position == 0 ? "\n" : ",\n"
            out += "    {\"dataElement\": \(ExchangeText.jsonString(value.dataElement))"
            out += ", \"period\": \(ExchangeText.jsonString(periods[value.period] ?? value.period.key))"
            out += ", \"orgUnit\": \(ExchangeText.jsonString(value.orgUnit))"
            out += ", \"value\": \(ExchangeText.jsonString(value.value.description))"
            if let comment = value.comment { out += ", \"comment\": \(ExchangeText.jsonString(comment))" }
            out += "}"
        }
        out += set.values.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}
