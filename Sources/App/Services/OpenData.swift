import Fluent
import Foundation
import ReportingCore
import SQLKit
import Vapor

/// The figures of a published dataset, for the public open-data pages.
///
/// Decision: figures are computed when a page is requested, from accepted
/// reports only (`ConsolidationService` with basis `.accepted`), not frozen
/// at publication. Accepted reports cannot be edited; one only changes after
/// a reviewer reopens it, and then it stops counting until accepted again,
/// so the public never sees unaccepted data, and a corrected report shows
/// without republishing. Sent, draft or returned reports never count.
///
/// For each indicator the unit's own accepted report is used when it has the
/// value (the unit's own, reviewed statement: seed 000's province report is
/// the province's consolidated figure); otherwise the consolidation of the
/// accepted reports below it. Each row says which.
struct OpenData {
    let database: Database
    let library: FormLibrary
    let tree: UnitTree
    /// Consolidated results kept between requests (nil: computed every time).
    var cache: ConsolidationCache? = nil

    /// "egov-2024-2024-Q1-000.00.00.H05": stable, readable, URL-safe.
    static func slug(formID: String, periodKey: String, unitCode: String) -> String {
        String(
            "\(formID)-\(periodKey)-\(unitCode)".map { character in
                character.isASCII && (character.isLetter || character.isNumber || "-._".contains(character)) ? character : "_"
            })
    }

    struct Row: Encodable {
        let code: String
        let label: String
        let name: String
        let unit: String
        let depth: Int
        let isHeading: Bool
        let value: Double?
        /// As people read it: "29.140", "97,1%", "Hoàn thành".
        let display: String
        /// Machine form for CSV: "29140", "97.1002".
        let machine: String
        let source: String
        let method: String
    }

    struct Figures {
        let form: CompiledForm
        let unitName: String
        let rows: [Row]
        let acceptedReports: Int
        let lastAcceptedAt: Date?

        var title: String { form.form.displayTitle }
    }

    /// The accepted reports of the unit and of every unit below it.
    /// An accepted report as the open-data pages count it.
    struct AcceptedReport {
        let unitCode: String
        let acceptedAt: Date?
    }

    /// The accepted reports of the unit and of every unit below it: two columns
    /// of the period's reports in plain SQL, not a model per report.
    func acceptedReports(formID: String, periodKey: String, unitCode: String) async throws -> [AcceptedReport] {
        let codes = Set([unitCode] + tree.descendants(of: unitCode).map(\.code))
        guard let sql = database as? any SQLDatabase else { return [] }
        let r = ReportsTable.self
        return try await sql.raw(
            """
            SELECT \(ident: r.unitCode) AS unit_code, \(ident: r.acceptedAt) AS accepted_at FROM \(ident: r.table) \
            WHERE \(ident: r.formID) = \(bind: formID) AND \(ident: r.periodKey) = \(bind: periodKey) \
            AND \(ident: r.status) = \(bind: ReportStatus.accepted.rawValue)
            """
        ).all().compactMap { row -> AcceptedReport? in
            let code = try row.decode(column: "unit_code", as: String.self)
            guard codes.contains(code) else { return nil }
            return AcceptedReport(unitCode: code, acceptedAt: try row.decode(column: "accepted_at", as: Date?.self))
        }
    }

    func figures(formID: String, periodKey: String, unitCode: String) async throws -> Figures {
        guard let form = library.form(formID) else { throw ServiceError(.notFound, "Không còn biểu mẫu “\(formID)”.") }
        let accepted = try await acceptedReports(formID: formID, periodKey: periodKey, unitCode: unitCode)
        let result = try await ConsolidationService(database: database, library: library, tree: tree, cache: cache)
            .consolidate(formID: formID, periodKey: periodKey, basis: .accepted)
        let own = result.ownValues(of: unitCode, in: tree)
        let below = result.figures(at: unitCode, in: tree)
        let unitName = tree[unitCode]?.name ?? unitCode
        let rows = form.indicators.enumerated().map { slot, indicator -> Row in
            var value: Double?
            var source = ""
            if indicator.isHeading {
                source = ""
            } else if let mine = own?[slot] ?? nil {
                value = mine
                source = "Báo cáo của \(unitName)"
            } else if let figure = below?[slot], let consolidated = figure.value {
                value = consolidated
                source =
                    indicator.consolidation == .shareOfUnits
                    ? "Tổng hợp: \(figure.unitsMeeting ?? 0)/\(figure.unitsCounted ?? 0) đơn vị đạt"
                    : "Tổng hợp từ \(figure.reported)/\(figure.expected) đơn vị"
            } else {
                source = "Chưa có số liệu đã tiếp nhận"
            }
            return Row(
                code: indicator.code, label: indicator.printedLabel, name: indicator.name,
                unit: indicator.unit == .coded ? "Mã hóa" : indicator.unitLabel, depth: indicator.depth,
                isHeading: indicator.isHeading, value: value,
                display: value.map { Self.display($0, indicator) } ?? "",
                machine: value.flatMap {
                    (ExactNumber(rounding: $0, scale: 4) ?? ExactNumber(rounding: $0, scale: 0))?.normalized.description
                } ?? "",
                source: source, method: Self.method(indicator))
        }
        return Figures(
            form: form, unitName: unitName, rows: rows, acceptedReports: accepted.count,
            lastAcceptedAt: accepted.compactMap(\.acceptedAt).max())
    }

    static func display(_ value: Double, _ indicator: Indicator) -> String {
        switch indicator.unit {
        case .percent: return VietnameseNumber.formatPercent(value)
        case .coded:
            let label = indicator.choices?.first { Double($0.value) == value }?.label
            return label.map { "\($0) (\(VietnameseNumber.format(value)))" } ?? VietnameseNumber.format(value)
        default: return VietnameseNumber.format(value)
        }
    }

    /// How the figure is obtained, in words, from the form file's definition.
    static func method(_ indicator: Indicator) -> String {
        guard !indicator.isHeading else { return "" }
        var parts: [String] = []
        if let formula = indicator.formula {
            parts.append(
                "Tính theo công thức \(formula.replacingOccurrences(of: "*", with: "×")); khi tổng hợp, tỷ lệ được tính lại từ các số liệu đã tổng hợp, không lấy trung bình các tỷ lệ."
            )
        } else {
            switch indicator.consolidation {
            case .sum: parts.append("Số liệu do đơn vị báo cáo; khi tổng hợp, cộng số liệu của các đơn vị.")
            case .min:
                parts.append(
                    "Số liệu do đơn vị báo cáo; khi tổng hợp, lấy mức thấp nhất trong các đơn vị (chỉ đạt mức cao khi mọi đơn vị đều đạt).")
            case .max: parts.append("Số liệu do đơn vị báo cáo; khi tổng hợp, lấy mức cao nhất trong các đơn vị.")
            case .mode: parts.append("Số liệu do đơn vị báo cáo; khi tổng hợp, lấy giá trị có nhiều đơn vị báo cáo nhất.")
            case .shareOfUnits:
                if let share = indicator.shareOfUnits {
                    let condition = share.when.replacingOccurrences(of: "value", with: "giá trị").replacingOccurrences(of: ">=", with: "≥")
                        .replacingOccurrences(of: "<=", with: "≤")
                    parts.append(
                        "Mỗi đơn vị cấp dưới báo cáo tình trạng của mình; khi tổng hợp, là tỷ lệ đơn vị thuộc loại “\(share.level.label)” có \(condition) trên số đơn vị loại đó đã báo cáo."
                    )
                }
            case .recompute, .none:
                parts.append("Mỗi cấp tự báo cáo số liệu của cấp mình; không cộng dồn từ cấp dưới.")
            }
        }
        if let total = indicator.partOf { parts.append("Là một phần của chỉ tiêu \(total), không lớn hơn chỉ tiêu đó.") }
        if indicator.unit == .coded, let choices = indicator.choices {
            parts.append("Giá trị mã hóa: " + choices.map { "\($0.label) = \($0.value)" }.joined(separator: "; ") + ".")
        }
        if let note = indicator.note { parts.append(note) }
        return parts.joined(separator: " ")
    }

    /// Horizontal bars for the percentage rows, drawn on the server.
    struct Chart: Encodable {
        struct Bar: Encodable {
            let y: Int
            let textY: Int
            let width: Int
            let valueX: Int
            let code: String
            let name: String
            let value: String
        }
        let width: Int
        let height: Int
        let barStart: Int
        let fullWidth: Int
        let bars: [Bar]
    }

    static func chart(_ rows: [Row], form: CompiledForm) -> Chart {
        let barStart = 60, fullWidth = 440, rowHeight = 24
        let percentRows = rows.filter { row in
            form.slotByCode[row.code].map { form.indicators[$0].unit == .percent } == true && row.value != nil
        }
        let bars = percentRows.enumerated().map { index, row -> Chart.Bar in
            let clamped = min(max(row.value ?? 0, 0), 100)
            let width = Int((clamped / 100 * Double(fullWidth)).rounded())
            return Chart.Bar(
                y: 8 + index * rowHeight, textY: 8 + index * rowHeight + 13, width: width,
                valueX: barStart + width + 6, code: row.code, name: row.name, value: row.display)
        }
        return Chart(
            width: barStart + fullWidth + 80, height: 16 + bars.count * rowHeight, barStart: barStart,
            fullWidth: fullWidth, bars: bars)
    }

    /// A small column chart of the same rows, for the list of datasets.
    struct MiniChart: Encodable {
        struct Column: Encodable {
            let x: Int
            let y: Int
            let height: Int
            let title: String
        }
        let width: Int
        let columns: [Column]
    }

    static func miniChart(_ rows: [Row], form: CompiledForm) -> MiniChart {
        let chart = chart(rows, form: form)
        let columns = chart.bars.enumerated().map { index, bar -> MiniChart.Column in
            let height = max(1, Int((Double(bar.width) / Double(chart.fullWidth) * 40).rounded()))
            return MiniChart.Column(x: 2 + index * 10, y: 42 - height, height: height, title: "\(bar.code): \(bar.value)")
        }
        return MiniChart(width: max(40, 4 + columns.count * 10), columns: columns)
    }

    /// RFC 4180 CSV, UTF-8 with a byte-order mark (so Excel shows the
    /// diacritics): code,label,name,unit,value,display,source.
    static func csv(_ rows: [Row]) -> String {
        var lines = ["\u{FEFF}code,label,name,unit,value,display,source"]
        for row in rows where !row.isHeading {
            lines.append(
                [row.code, row.label, row.name, row.unit, row.machine, row.display, row.source].map(ExportTable.quote).joined(
                    separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
