import Foundation

/// One figure to exchange: an indicator's value for a unit and a period.
public struct DataValue: Sendable, Hashable {
    /// The indicator code (`6.1.2`).
    public var dataElement: String
    public var period: Period
    /// The unit code (`000.00.00.H05`).
    public var orgUnit: String
    public var value: ExactNumber
    public var comment: String?

    public init(dataElement: String, period: Period, orgUnit: String, value: ExactNumber, comment: String? = nil) {
        self.dataElement = dataElement
        self.period = period
        self.orgUnit = orgUnit
        self.value = value
        self.comment = comment
    }
}

/// The figures of one form for one or more units and periods, in a fixed order,
/// ready for every exchange writer (DHIS2 JSON, ADX, SDMX-CSV).
///
/// Only numbers travel: headings and text rows are left out, because ADX and
/// SDMX carry decimal values only (docs/exchange.md).
public struct DataValueSet: Sendable, Hashable {
    /// The form id.
    public var dataSet: String
    /// In the order the builders put them: units as given (parents before
    /// children for a tree), then rows in form order.
    public var values: [DataValue]

    public init(dataSet: String, values: [DataValue]) {
        self.dataSet = dataSet
        self.values = values
    }

    /// The one unit every value belongs to, if they all belong to one.
    public var singleOrgUnit: String? {
        guard let first = values.first?.orgUnit, values.allSatisfy({ $0.orgUnit == first }) else { return nil }
        return first
    }

    /// The one period every value belongs to, if they all belong to one.
    public var singlePeriod: Period? {
        guard let first = values.first?.period, values.allSatisfy({ $0.period == first }) else { return nil }
        return first
    }

    /// Whether an indicator's values travel: numbers only (counts, money, percentages, codes).
    static func exchanges(_ indicator: Indicator) -> Bool { !indicator.isHeading && indicator.unit != .text }

    /// One unit's report: its numbers by code, with notes as comments; rows in
    /// form order, codes the form does not have are left out.
    public static func report(
        form: CompiledForm, unitCode: String, period: Period,
        numbers: [String: ExactNumber], comments: [String: String] = [:]
    ) -> DataValueSet {
        var values: [DataValue] = []
        for indicator in form.indicators where exchanges(indicator) {
            guard let number = numbers[indicator.code] else { continue }
            let note = comments[indicator.code].flatMap { $0.trimmed.isEmpty ? nil : $0 }
            values.append(DataValue(dataElement: indicator.code, period: period, orgUnit: unitCode, value: number, comment: note))
        }
        return DataValueSet(dataSet: form.id, values: values)
    }

    /// One unit's validated report: the numbers as entered, and the computed rows
    /// the officer left empty at two decimals, as the report page shows them.
    public static func report(
        form: CompiledForm, unitCode: String, period: Period,
        validation: ValidationReport, notes: [String: String] = [:]
    ) -> DataValueSet {
        var numbers: [String: ExactNumber] = [:]
        for (code, value) in validation.values { if let number = value.number { numbers[code] = number } }
        for (code, value) in validation.computed where numbers[code] == nil {
            if let number = exact(value, decimals: 2) { numbers[code] = number }
        }
        return report(form: form, unitCode: unitCode, period: period, numbers: numbers, comments: notes)
    }

    /// Consolidated figures of a tree, as `Consolidator.consolidateAll` gives them
    /// (keyed by tree index): every unit that has figures, parents before
    /// children, rows in form order. Percentages at two decimals, other figures
    /// at up to six (`ExactNumber.maxScale`).
    public static func consolidated(
        form: CompiledForm, tree: UnitTree, period: Period,
        figures: [Int: [ConsolidatedFigure]]
    ) -> DataValueSet {
        var order: [Int] = []
        for root in tree.roots { order.append(root); order.append(contentsOf: tree.descendantIndices(of: root)) }
        var values: [DataValue] = []
        for position in order {
            guard let row = figures[position], row.count == form.slotCount else { continue }
            let unitCode = tree.units[position].code
            for (slot, indicator) in form.indicators.enumerated() where exchanges(indicator) {
                guard let value = row[slot].value,
                    let number = exact(value, decimals: indicator.unit == .percent ? 2 : ExactNumber.maxScale)
                else { continue }
                values.append(DataValue(dataElement: indicator.code, period: period, orgUnit: unitCode, value: number))
            }
        }
        return DataValueSet(dataSet: form.id, values: values)
    }

    /// A computed figure as an exact number with at most `decimals` decimals (fewer
    /// when it is too large for them); nil for NaN, an infinity, or beyond 64 bits.
    static func exact(_ value: Double, decimals: Int8) -> ExactNumber? {
        guard value.isFinite else { return nil }
        var places = decimals
        while places >= 0 {
            if let number = ExactNumber(rounding: value, scale: places) { return number.normalized }
            places -= 1
        }
        return nil
    }
}
