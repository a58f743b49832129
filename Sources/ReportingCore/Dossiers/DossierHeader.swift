/// Which column of a file holds which field, found from its header line by
/// name (any order, case and Unicode form ignored); other columns are ignored.
struct DossierHeader: Sendable {
    /// Column index by `DossierField.rawValue`, -1 when the file lacks it.
    let columns: [Int]
    let fieldCount: Int

    init(names: [String], mapping: DossierMapping) throws(DossierFileError) {
        var wanted: [String: DossierField] = [:]
        for field in DossierField.allCases {
            wanted[DossierWords.normalized(mapping.headers[field] ?? field.header)] = field
        }
        var columns = Array(repeating: -1, count: DossierField.allCases.count)
        for (index, name) in names.enumerated() {
            guard let field = wanted[DossierWords.normalized(name)] else { continue }
            if columns[field.rawValue] >= 0 { throw .duplicateColumn(name) }
            columns[field.rawValue] = index
        }
        let missing = DossierField.allCases.filter { $0.isRequired && columns[$0.rawValue] < 0 }
        if !missing.isEmpty { throw .missingColumns(missing.map { mapping.headers[$0] ?? $0.header }) }
        self.columns = columns
        fieldCount = names.count
    }

    subscript(field: DossierField) -> Int { columns[field.rawValue] }

    /// The last column any field needs: a row must have at least this many + 1.
    var lastNeeded: Int { columns.max() ?? 0 }
}
