/// SDMX-CSV 2.0 (SDMX 3.0), the version both sdmx1 and pysdmx read:
/// `STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE`, one
/// observation per line, codes as SDMX ids (`SDMXIdentifier`), values in the plain
/// machine form. Every field is an id, a period or a number, so none needs quoting.
public enum SDMXCSVWriter {
    public static let header = "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE"

    public static func write(_ set: DataValueSet, dataflow: SDMXDataflow) -> String {
        var out = header + "\r\n"
        let lead = "dataflow," + field(dataflow.reference) + ",I,"
        for value in set.values {
            out += lead + SDMXIdentifier.encode(value.dataElement) + "," + SDMXIdentifier.encode(value.orgUnit) + ","
            out += value.period.sdmx + "," + value.value.description + "\r\n"
        }
        return out
    }

    /// RFC 4180 quoting, for an agency or version given by a caller.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
