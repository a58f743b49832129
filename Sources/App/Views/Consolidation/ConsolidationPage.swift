import Foundation
import ReportingCore

/// An entry of a `<select>` or a choice of radio buttons.
/// The consolidated figures of a unit in the paper form's columns.
struct ConsolidationPage: Encodable {
    struct Row: Encodable {
        let code: String
        let label: String
        let name: String
        let unitLabel: String
        let depth: Int
        let isHeading: Bool
        let value: String
        let hasValue: Bool
        let coverage: String
        let complete: Bool
        /// "3/5 đơn vị" for share-of-units rows.
        let share: String?
        /// Why there is no consolidated value (a row each level reports itself).
        let note: String?
        let drillURL: String?
    }

    struct Difference: Encodable {
        let code: String
        let name: String
        let message: String
    }

    let layout: LayoutContext
    let formID: String
    let formTitle: String
    let periodKey: String
    let period: String
    let unitCode: String
    let unitName: String
    let basis: String
    let basisLabel: String
    let forms: [SelectOption]
    let periods: [SelectOption]
    let units: [SelectOption]
    let bases: [SelectOption]
    let rows: [Row]
    let counted: Int
    let assigned: Int
    let differences: [Difference]
    /// Why the unit's own report could not be compared, when it could not.
    let ownReportNote: String?
    let dashboardURL: String
    let targetsURL: String
}

/// The units behind one consolidated figure.
struct DrillPage: Encodable {
    struct Row: Encodable {
        let unitName: String
        let unitKind: String
        let value: String
        let hasValue: Bool
        let source: String
        let status: String
        let statusKey: String
        let counted: Bool
        let reportURL: String?
        let drillURL: String?
        let consolidatedURL: String?
    }

    let layout: LayoutContext
    let formTitle: String
    let period: String
    let unitName: String
    let code: String
    let label: String
    let name: String
    let unitLabel: String
    let value: String
    let hasValue: Bool
    let coverage: String
    let share: String?
    let basisLabel: String
    let rows: [Row]
    let backURL: String
    let parentDrillURL: String?
}

/// How a figure is written in a table: Vietnamese numbers, coded values with
/// their meaning, and nothing invented for a missing value.
enum FigureText {
    static func value(_ value: Double?, indicator: Indicator) -> String {
        guard !indicator.isHeading else { return "" }
        guard let value else { return "Chưa có số liệu" }
        if indicator.unit == .coded {
            let label = indicator.choices?.first { Double($0.value) == value }?.label
            return VietnameseNumber.format(value, decimals: 2) + (label.map { " (\($0))" } ?? "")
        }
        return VietnameseNumber.format(value, decimals: 2)
    }

    /// The same, with "%" for charts where there is no ĐVT column.
    static func withUnit(_ value: Double, indicator: Indicator) -> String {
        if indicator.unit == .percent { return VietnameseNumber.formatPercent(value) }
        return self.value(value, indicator: indicator)
    }

    static func share(_ figure: ConsolidatedFigure) -> String? {
        guard let meeting = figure.unitsMeeting, let counted = figure.unitsCounted, counted > 0 else { return nil }
        return "\(meeting)/\(counted) đơn vị"
    }
}
