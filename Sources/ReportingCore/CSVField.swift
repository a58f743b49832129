/// One field of a CSV file BaoCao writes (RFC 4180), made safe to open in a
/// spreadsheet: a text that a spreadsheet would run as a formula
/// (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, or one starting with a tab or carriage
/// return) gets a leading apostrophe, so it stays text. A number, negative or
/// not ("-12,5", "-1.609.226", "97,45%"), is left as it is.
public enum CSVField {
    public static func encode(_ field: String) -> String {
        let safe = isFormulaLike(field) ? "'" + field : field
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func isFormulaLike(_ field: String) -> Bool {
        guard let first = field.first, triggers.contains(first) else { return false }
        return !isSignedNumber(field)
    }

    /// "-12,5", "+3", "-1.609.226", "-97,45%", "-12.50": a sign, then digits with
    /// the separators a number uses; nothing a spreadsheet could run.
    static func isSignedNumber(_ field: String) -> Bool {
        guard let first = field.first, first == "-" || first == "+" else { return false }
        let body = field.dropFirst()
        guard let lead = body.first, lead.isASCII, lead.isNumber else { return false }
        return body.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "," || $0 == "%" }
    }
}
