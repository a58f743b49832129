/// Where one row of a time series takes its values in each version of a form.
public struct SeriesSource: Sendable, Hashable {
    public var form: String
    public var code: String
    /// The mapping's note for the row ("mức độ 4 tương ứng toàn trình …"), nil for the row itself.
    public var note: String?

    public init(form: String, code: String, note: String? = nil) {
        self.form = form
        self.code = code
        self.note = note
    }
}

extension FormLibrary {
    /// The rows a time series of `form`'s row `code` reads: the row itself,
    /// then every older version's row whose value counts for it through the
    /// version mappings (an old report's value for X counts for
    /// `mapping.target(of: X)`), following chains of versions. Rows a mapping
    /// leaves without counterpart are not included: nothing is guessed.
    public func seriesSources(form: String, code: String) -> [SeriesSource] {
        var result = [SeriesSource(form: form, code: code)]
        var seen: Set<String> = ["\(form)|\(code)"]
        var index = 0
        while index < result.count {
            let current = result[index]
            index += 1
            for mapping in mappings where mapping.to == current.form {
                for row in mapping.rows where mapping.target(of: row.from) == current.code {
                    guard seen.insert("\(mapping.from)|\(row.from)").inserted else { continue }
                    result.append(SeriesSource(form: mapping.from, code: row.from, note: row.note ?? current.note))
                }
            }
        }
        return result
    }
}
