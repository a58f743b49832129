/// One consolidated figure with its coverage: how many of the units that
/// should have reported this row did.
public struct ConsolidatedFigure: Sendable, Hashable {
    public var value: Double?
    public var reported: Int
    public var expected: Int
    /// For share-of-units rows: how many units met the condition, of how many.
    public var unitsMeeting: Int?
    public var unitsCounted: Int?

    public var coverageText: String { "\(reported)/\(expected)" }
    public var isComplete: Bool { reported >= expected }
}

/// Rolls accepted reports up a unit tree, bottom-up, for every node at once.
///
/// Each node's figures come from all units below it (any depth), by each
/// indicator's rule: sums for counts and money; ratios recomputed from the
/// consolidated parts, never averaged; shares of units meeting a condition;
/// min, max or mode of coded values. Partial aggregates are composable, so
/// the whole tree costs one pass over the reports.
public struct Consolidator: Sendable {
    public let form: CompiledForm
    public let tree: UnitTree

    public init(form: CompiledForm, tree: UnitTree) {
        self.form = form
        self.tree = tree
    }

    struct Accumulator {
        var sum = 0.0
        var reported: Int32 = 0
        var expected: Int32 = 0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var meeting: Int32 = 0
        var counted: Int32 = 0

        mutating func merge(_ other: Accumulator) {
            sum += other.sum
            reported += other.reported
            expected += other.expected
            minimum = Swift.min(minimum, other.minimum)
            maximum = Swift.max(maximum, other.maximum)
            meeting += other.meeting
            counted += other.counted
        }
    }

    /// Figures for every unit that has units below it, keyed by tree index.
    /// `reports[i]` holds unit i's values by slot, or nil when unit i's report
    /// is not counted (not sent, not accepted). `expects(i)` tells whether
    /// unit i must report this form at all.
    public func consolidateAll(reports: [[Double?]?], expects: (ReportingUnit) -> Bool) -> [Int: [ConsolidatedFigure]] {
        let slotCount = form.slotCount
        let indicators = form.indicators
        let levels = form.form.levels
        let rules = indicators.map(\.consolidation)
        let codedSlots = indicators.indices.filter { rules[$0] == .mode }
        let choiceValues = indicators.map { ($0.choices ?? []).map { Double($0.value) } }
        let shareSlots = form.shareConditions.sorted { $0.key < $1.key }
        let shareLevel = indicators.map { $0.shareOfUnits?.level }

        // Post-order: children before parents.
        var order: [Int] = []
        order.reserveCapacity(tree.units.count)
        var stack: [(Int, Bool)] = tree.roots.map { ($0, false) }
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            stack.append((node, true))
            for child in tree.childIndices[node] { stack.append((child, false)) }
        }

        var partial: [Int: [Accumulator]] = [:]
        var modeCounts: [Int: [[Int32]]] = [:]
        var results: [Int: [ConsolidatedFigure]] = [:]
        for node in order {
            let children = tree.childIndices[node]
            guard !children.isEmpty else { continue }
            var accumulators = Array(repeating: Accumulator(), count: slotCount)
            var modes = codedSlots.map { Array(repeating: Int32(0), count: choiceValues[$0].count) }
            for child in children {
                if let childPartial = partial.removeValue(forKey: child) {
                    for slot in 0..<slotCount { accumulators[slot].merge(childPartial[slot]) }
                    if let childModes = modeCounts.removeValue(forKey: child) {
                        for i in modes.indices { for j in modes[i].indices { modes[i][j] += childModes[i][j] } }
                    }
                }
                let unit = tree.units[child]
                guard expects(unit) else { continue }
                let report = reports[child]
                for slot in 0..<slotCount where indicators[slot].applies(to: unit.kind, formLevels: levels) {
                    accumulators[slot].expected += 1
                    guard let value = report?[slot] ?? nil else { continue }
                    accumulators[slot].reported += 1
                    accumulators[slot].sum += value
                    if value < accumulators[slot].minimum { accumulators[slot].minimum = value }
                    if value > accumulators[slot].maximum { accumulators[slot].maximum = value }
                }
                if let report {
                    for (slot, condition) in shareSlots where shareLevel[slot] == unit.kind {
                        guard let own = report[slot] else { continue }
                        accumulators[slot].counted += 1
                        if let met = condition.evaluate(report, own: own), met != 0 { accumulators[slot].meeting += 1 }
                    }
                    for (i, slot) in codedSlots.enumerated() {
                        if let value = report[slot], let choice = choiceValues[slot].firstIndex(of: value) { modes[i][choice] += 1 }
                    }
                }
            }
            results[node] = figures(accumulators, modes: modes, codedSlots: codedSlots, choiceValues: choiceValues, rules: rules)
            partial[node] = accumulators
            modeCounts[node] = modes
        }
        return results
    }

    func figures(
        _ accumulators: [Accumulator], modes: [[Int32]], codedSlots: [Int], choiceValues: [[Double]],
        rules: [ConsolidationRule]
    ) -> [ConsolidatedFigure] {
        var values = [Double?](repeating: nil, count: accumulators.count)
        var figures: [ConsolidatedFigure] = []
        figures.reserveCapacity(accumulators.count)
        for (slot, accumulator) in accumulators.enumerated() {
            var figure = ConsolidatedFigure(value: nil, reported: Int(accumulator.reported), expected: Int(accumulator.expected))
            let any = accumulator.reported > 0
            switch rules[slot] {
            case .sum: figure.value = any ? accumulator.sum : nil
            case .min: figure.value = any ? accumulator.minimum : nil
            case .max: figure.value = any ? accumulator.maximum : nil
            case .mode:
                if let i = codedSlots.firstIndex(of: slot), let best = modes[i].max(), best > 0,
                    let choice = modes[i].firstIndex(of: best)
                {
                    // Ties go to the lowest code, the more cautious reading.
                    figure.value = choiceValues[slot][choice]
                }
            case .shareOfUnits:
                figure.unitsMeeting = Int(accumulator.meeting)
                figure.unitsCounted = Int(accumulator.counted)
                figure.value = accumulator.counted > 0 ? Double(accumulator.meeting) / Double(accumulator.counted) * 100 : nil
            case .recompute, .none: break
            }
            values[slot] = figure.value
            figures.append(figure)
        }
        // Ratios from the consolidated parts.
        for (slot, expression, _) in form.formulas where rules[slot] == .recompute {
            let value = expression.evaluate(values, previous: nil)
            values[slot] = value
            figures[slot].value = value
        }
        return figures
    }

    /// Figures for one node.
    public func consolidate(at code: String, reports: [String: [Double?]], expects: (ReportingUnit) -> Bool = { _ in true })
        -> [ConsolidatedFigure]?
    {
        guard let position = tree.indexByCode[code] else { return nil }
        var byIndex = [[Double?]?](repeating: nil, count: tree.units.count)
        for (unitCode, values) in reports { if let index = tree.indexByCode[unitCode] { byIndex[index] = values } }
        return consolidateAll(reports: byIndex, expects: expects)[position]
    }

    /// Slot values from a `code → number` dictionary.
    public func slots(_ values: [String: Double]) -> [Double?] {
        var result = [Double?](repeating: nil, count: form.slotCount)
        for (code, value) in values { if let slot = form.slotByCode[code] { result[slot] = value } }
        return result
    }
}

/// A figure that the province entered itself but that differs from what its
/// units' reports add up to.
public struct EnteredDifference: Sendable, Hashable {
    public var code: String
    public var entered: Double
    public var consolidated: Double

    public var message: String {
        "Chỉ tiêu \(code): số liệu nhập \(VietnameseNumber.format(entered)) khác số tổng hợp từ đơn vị cấp dưới \(VietnameseNumber.format(consolidated, decimals: 2))."
    }

    /// Entered-vs-consolidated differences beyond rounding of the entered value.
    public static func compare(form: CompiledForm, entered: [Double?], consolidated: [ConsolidatedFigure]) -> [EnteredDifference] {
        var result: [EnteredDifference] = []
        for (slot, indicator) in form.indicators.enumerated() {
            guard let mine = entered[slot], let theirs = consolidated[slot].value else { continue }
            let tolerance = indicator.unit == .percent ? 0.05 : 1e-6
            if abs(mine - theirs) > tolerance {
                result.append(EnteredDifference(code: indicator.code, entered: mine, consolidated: theirs))
            }
        }
        return result
    }
}
