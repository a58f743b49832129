/// One figure computed from dossier records: `unit,code,value`.
public struct DossierFigure: Sendable, Hashable, Codable {
    public var unit: String
    public var code: String
    public var value: ExactNumber
}

/// Turns a summary into the rows of a form (or the targets of a plan) through
/// its figure map. Without a tree each unit gets its own dossiers; with one,
/// every unit gets its own plus those of all units below it, and a row is
/// given only to the units of the levels the form assigns it to.
public enum DossierFigures {
    public static func compute(
        _ map: DossierFigureMap, summary: DossierSummary, library: FormLibrary,
        tree: UnitTree? = nil
    ) throws(DossierFileError) -> [DossierFigure] {
        let needsKinds = map.rows.contains { $0.fromKinds != nil }
        if needsKinds && tree == nil { throw .needsUnitTree(form: map.id) }
        // Units in output order: the tree's (depth first from the roots) or the file's codes sorted.
        var order: [(code: String, kind: UnitKind?)] = []
        var plain: [String: DossierUnitCounts] = summary.units
        var byKinds: [[UnitKind]: [String: DossierUnitCounts]] = [:]
        if let tree {
            plain = try summary.consolidated(over: tree)
            for kinds in Set(map.rows.compactMap(\.fromKinds)) { byKinds[kinds] = try summary.consolidated(over: tree, kinds: Set(kinds)) }
            var stack = tree.roots.reversed().map { $0 }
            while let node = stack.popLast() {
                order.append((tree.units[node].code, tree.units[node].kind))
                stack.append(contentsOf: tree.childIndices[node].reversed())
            }
        } else {
            order = summary.units.keys.sorted().map { ($0, nil) }
        }
        var figures: [DossierFigure] = []
        for (code, kind) in order {
            for row in map.rows {
                if let needed = row.requires, !summary.fields.contains(needed) { continue }
                if let kind, !applies(row.code, to: kind, map: map, library: library) { continue }
                let source = row.fromKinds.map { byKinds[$0] ?? [:] } ?? plain
                guard let counts = source[code], let value = try value(of: row, counts, decimals: map.decimals) else { continue }
                // Trailing zeros dropped, as every computed figure is shown (100, 12,5, 97,45).
                figures.append(DossierFigure(unit: code, code: row.code, value: value.normalized))
            }
        }
        return figures
    }

    static func applies(_ code: String, to kind: UnitKind, map: DossierFigureMap, library: FormLibrary) -> Bool {
        if let form = map.form.flatMap({ library.form($0) }), let indicator = form.indicators.first(where: { $0.code == code }) {
            return indicator.applies(to: kind, formLevels: form.form.levels)
        }
        if let plan = map.plan.flatMap({ library.plans[$0] }), let target = plan.target(code) {
            return (target.appliesTo ?? UnitKind.allCases).contains(kind)
        }
        return true
    }

    static func value(of row: DossierFigureMap.Row, _ counts: DossierUnitCounts, decimals: Int) throws(DossierFileError) -> ExactNumber? {
        if let counter = row.count {
            let number = ExactNumber(counts[counter])
            guard number.isWithinCellBounds else { throw .overflow }
            return number
        }
        if let ratio = row.ratio { return percent(counts[ratio.part], of: counts[ratio.whole], decimals: decimals) }
        if let ratios = row.lowestOf {
            var lowest: ExactNumber?
            for ratio in ratios {
                guard let value = percent(counts[ratio.part], of: counts[ratio.whole], decimals: decimals) else { return nil }
                lowest = lowest.map { Swift.min($0, value) } ?? value
            }
            return lowest
        }
        return nil
    }

    /// part / whole × 100 rounded half up to `decimals`, exactly (128-bit
    /// integers, no floating point); nil when there is no whole to divide by.
    public static func percent(_ part: Int, of whole: Int, decimals: Int) -> ExactNumber? {
        guard whole > 0, part >= 0, (0...6).contains(decimals) else { return nil }
        var scale: Int128 = 100
        for _ in 0..<decimals { scale *= 10 }
        let numerator = Int128(part) * scale * 2 + Int128(whole)
        let quotient = numerator / (Int128(whole) * 2)
        guard let mantissa = Int64(exactly: quotient) else { return nil }
        return ExactNumber(mantissa: mantissa, scale: Int8(decimals))
    }
}
