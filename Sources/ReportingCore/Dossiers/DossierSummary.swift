/// The aggregates of one dossier file for one period, per unit (each unit's
/// own dossiers; `consolidated(over:)` adds the units below).
public struct DossierSummary: Sendable, Equatable {
    public var period: Period
    public var units: [String: DossierUnitCounts]
    /// Data rows read (every row of the file, in the period or not).
    public var rows: Int
    /// The fields whose column the file has (optional ones may be missing).
    public var fields: Set<DossierField>

    public init(period: Period, units: [String: DossierUnitCounts], rows: Int, fields: Set<DossierField> = Set(DossierField.allCases)) {
        self.period = period
        self.units = units
        self.rows = rows
        self.fields = fields
    }

    /// The totals of all units in the file.
    public func total() throws(DossierFileError) -> DossierUnitCounts {
        var total = DossierUnitCounts()
        for counts in units.values where !total.add(counts) { throw .overflow }
        return total
    }

    /// Each unit of the tree with its own dossiers plus those of every unit
    /// below it (dossier counts summed, distinct procedures unioned). Units of
    /// the tree with no dossier anywhere below are left out. With `kinds`, only
    /// the dossiers of units of those kinds are counted (CCHC BM3 3.1–3.3).
    public func consolidated(over tree: UnitTree, kinds: Set<UnitKind>? = nil) throws(DossierFileError) -> [String: DossierUnitCounts] {
        var totals: [DossierUnitCounts?] = tree.units.map { unit in
            kinds.map { $0.contains(unit.kind) } ?? true ? units[unit.code] : nil
        }
        // Children before parents: positions in reverse breadth-first order (no recursion).
        var order: [Int] = []
        order.reserveCapacity(tree.units.count)
        var queue = tree.roots
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            order.append(node)
            queue.append(contentsOf: tree.childIndices[node])
        }
        for node in order.reversed() {
            guard let own = totals[node], let parent = tree.parentIndex[node] else { continue }
            var sum = totals[parent] ?? DossierUnitCounts()
            guard sum.add(own) else { throw .overflow }
            totals[parent] = sum
        }
        var result: [String: DossierUnitCounts] = [:]
        for (position, counts) in totals.enumerated() { if let counts { result[tree.units[position].code] = counts } }
        return result
    }
}
