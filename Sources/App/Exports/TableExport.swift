import Foundation
import OfficeFormats
import ReportingCore
import Vapor

/// A flat table to export: a report's rows, the consolidated table (units as
/// rows, indicators as columns) or a plan's targets. The same table is
/// written as XLSX, CSV and JSON, so the three always agree.
struct ExportTable {
    enum Cell: Equatable {
        case empty
        case text(String)
        /// The number, and its exact decimal form when it was typed (so CSV shows "97,1", not 97.09999…).
        case number(Double, exact: ExactNumber?)

        init(_ value: ExportSource.Value?) {
            switch value {
            case .number(let number)?: self = .number(number.doubleValue, exact: number)
            case .text(let text)?: self = text.isEmpty ? .empty : .text(text)
            case nil: self = .empty
            }
        }

        static func maybe(_ string: String?) -> Cell { string.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        static func figure(_ value: Double?) -> Cell { value.map { .number($0, exact: nil) } ?? .empty }

        var xlsx: XLSXValue {
            switch self {
            case .empty: return .empty
            case .text(let text): return .string(text)
            case .number(let value, _): return .number(value)
            }
        }

        /// Numbers as officers write them ("1.609.226", "97,45"): a report's CSV reads back with `baocao validate`.
        var csv: String {
            switch self {
            case .empty: return ""
            case .text(let text): return text
            case .number(let value, let exact):
                // Typed numbers as typed; computed ones with every digit, so the CSV says what the JSON says.
                return exact.map(VietnameseNumber.format) ?? ExcelImport.vietnamese(value, shortest: true)
            }
        }
    }

    /// "report", "consolidated" or "targets".
    var kind: String
    var sheetName: String
    var title: String
    /// Machine column names: the CSV header and the JSON keys.
    var columns: [String]
    /// Vietnamese column headings: the XLSX header row.
    var header: [String]
    var rows: [[Cell]]
    var columnWidths: [Double]
    /// What the table is about: form, unit, period…, shown on a second sheet and in the JSON.
    var info: [(key: String, label: String, value: String)]

    // MARK: Writers

    /// The data sheet (header row, then rows) and an information sheet. The
    /// fast path writes one sheet straight to XML, for tables of 10,000+ rows.
    func xlsx(fast: Bool = false) throws -> Data {
        var custom: [String: String] = [:]
        for item in info { custom["BaoCao." + item.key] = item.value }
        let properties = OfficeDocumentProperties(title: title, creator: OfficeFormats.applicationName, custom: custom)
        if fast {
            return try XLSXWriter().writeTable(
                sheetName: sheetName, header: header, rows: rows.map { $0.map(\.xlsx) },
                columnWidths: columnWidths, properties: properties)
        }
        var data = XLSXSheet(name: sheetName)
        data.append(header.map { XLSXCell.string($0, .header) })
        for row in rows {
            data.append(
                row.map { cell in
                    switch cell {
                    case .empty: return .blank(.text)
                    case .text(let text): return .string(text, .text)
                    case .number(let value, _): return .number(value, value == value.rounded() ? .integer : .decimal)
                    }
                })
        }
        data.columns = columnWidths.enumerated().map { XLSXColumn($0.offset, width: $0.element) }
        data.frozenAt = CellReference(row: 1, column: 0)
        data.printFitToWidth = true
        var about = XLSXSheet(name: "Thông tin")
        about.append([.string(title, .bold)])
        for item in info { about.append([.string(item.label, .text), .string(item.value, .text)]) }
        about.columns = [XLSXColumn(0, width: 24), XLSXColumn(1, width: 80)]
        return try XLSXWriter().write(XLSXWorkbook(sheets: [data, about], properties: properties))
    }

    /// RFC 4180, UTF-8 with a byte-order mark so Excel shows the diacritics.
    func csv() -> Data {
        var text = "\u{FEFF}" + columns.map(Self.quote).joined(separator: ",") + "\r\n"
        for row in rows { text += row.map { Self.quote($0.csv) }.joined(separator: ",") + "\r\n" }
        return Data(text.utf8)
    }

    /// RFC 4180 quoting, with formula-like texts neutralised (`CSVField`).
    static func quote(_ field: String) -> String { CSVField.encode(field) }

    /// `{"table": …, "info": {…}, "columns": […], "header": […], "rows": [[…]]}`; numbers as JSON numbers.
    func json() throws -> Data {
        struct Body: Encodable {
            let table: String
            let title: String
            let info: [String: String]
            let columns: [String]
            let header: [String]
            let rows: [[JSONCell]]
        }
        struct JSONCell: Encodable {
            let cell: Cell
            func encode(to encoder: Encoder) throws {
                var container = encoder.singleValueContainer()
                switch cell {
                case .empty: try container.encodeNil()
                case .text(let text): try container.encode(text)
                case .number(let value, _): try container.encode(value)
                }
            }
        }
        var info: [String: String] = [:]
        for item in self.info { info[item.key] = item.value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(
            Body(
                table: kind, title: title, info: info, columns: columns, header: header,
                rows: rows.map { $0.map(JSONCell.init) }))
    }

    func data(_ format: ExportFormat) throws -> Data {
        switch format {
        case .xlsx: return try xlsx(fast: kind == "consolidated")
        case .csv: return csv()
        case .json: return try json()
        case .docx:
            throw ServiceError(
                .invalid, "Bảng này không xuất ra Word; chọn xlsx, csv hoặc json. Báo cáo Word (docx) xuất theo từng báo cáo.")
        }
    }
}

/// The export formats, as the web routes and the command line name them.
enum ExportFormat: String, CaseIterable, Sendable {
    case docx, xlsx, csv, json

    var mediaType: HTTPMediaType {
        switch self {
        case .docx: return HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
        case .xlsx: return HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        case .csv: return HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        case .json: return .json
        }
    }
}

/// Builds the three tables from the database (no Request: the CLI uses them too).
enum TableExport {
    static func reportTable(_ data: ExportSource.ReportData) -> ExportTable {
        let rows = data.form.indicators.map { indicator -> [ExportTable.Cell] in
            [
                .text(indicator.code), .text(indicator.name), .maybe(indicator.isHeading ? "" : indicator.unitLabel),
                ExportTable.Cell(data.value(indicator)), .maybe(data.note(indicator.code))
            ]
        }
        return ExportTable(
            kind: "report", sheetName: "Số liệu", title: "\(data.form.form.title) — \(data.unit.name) — \(data.periodLabel)",
            columns: ["code", "name", "unit", "value", "note"],
            header: ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
            rows: rows, columnWidths: [10, 70, 16, 16, 30],
            info: [
                ("form", "Biểu mẫu", data.form.id), ("formTitle", "Tên biểu mẫu", data.form.form.title),
                ("unit", "Mã đơn vị", data.unit.code), ("unitName", "Đơn vị", data.unit.name),
                ("period", "Kỳ báo cáo", data.report.periodKey), ("periodLabel", "Tên kỳ", data.periodLabel),
                ("status", "Trạng thái", data.report.status.label), ("version", "Phiên bản", String(data.report.version))
            ])
    }

    /// Units as rows, indicators as columns: every unit at and below `unitCode`
    /// that reports the form, each with its own counted values, and after each
    /// unit with units below it a "Tổng hợp" row with its consolidated figures.
    static func consolidatedTable(
        source: ExportSource, unitCode: String, formID: String, periodKey: String,
        basis: ConsolidationService.Basis
    ) async throws -> ExportTable {
        let tree = source.tree
        guard let unit = tree[unitCode], let position = tree.indexByCode[unitCode] else {
            throw ServiceError(.notFound, "Không có đơn vị mã “\(unitCode)”.")
        }
        guard let form = source.library.form(formID) else { throw ServiceError(.notFound, "Không có biểu mẫu “\(formID)”.") }
        guard let period = Period(key: periodKey) else {
            throw ServiceError(.invalid, PeriodKeyError(text: periodKey).description)
        }
        let result = try await ConsolidationService(database: source.database, library: source.library, tree: tree, cache: source.cache)
            .consolidate(formID: form.id, periodKey: period.key, basis: basis)
        let slots = form.indicators.indices.filter { !form.indicators[$0].isHeading }
        var rows: [[ExportTable.Cell]] = []
        for index in [position] + tree.descendantIndices(of: position) {
            let member = tree.units[index]
            let hasChildren = !tree.childIndices[index].isEmpty
            if let status = result.statuses[member.code] {
                let own = result.reports[index]
                rows.append(
                    [.text(member.code), .text(member.name), .text(member.kind.label), .text(status.label)]
                        + slots.map { slot in .figure(own?[slot] ?? nil) })
            }
            if hasChildren, let figures = result.figures[index] {
                let below = tree.descendantIndices(of: index)
                let assigned = below.filter { result.statuses[tree.units[$0].code] != nil }.count
                let counted = below.filter { result.reports[$0] != nil }.count
                rows.append(
                    [
                        .text(member.code), .text("Tổng hợp: \(member.name)"), .text("Tổng hợp"),
                        .text("Đã tính \(counted)/\(assigned) báo cáo")
                    ] + slots.map { .figure(figures[$0].value) })
            }
        }
        let header =
            ["Mã đơn vị", "Tên đơn vị", "Cấp", "Trạng thái"]
            + slots.map { slot -> String in
                let indicator = form.indicators[slot]
                let unitText = indicator.unit == .coded || indicator.unit == .text ? "" : " (\(indicator.unitLabel))"
                return "\(indicator.printedLabel) \(indicator.name)\(unitText)"
            }
        return ExportTable(
            kind: "consolidated", sheetName: "Tổng hợp", title: "Tổng hợp \(form.form.title) — \(unit.name) — \(period.label)",
            columns: ["unit_code", "unit_name", "kind", "status"] + slots.map { form.indicators[$0].code },
            header: header, rows: rows, columnWidths: [16, 40, 20, 24] + slots.map { _ in 18 },
            info: [
                ("form", "Biểu mẫu", form.id), ("formTitle", "Tên biểu mẫu", form.form.title), ("unit", "Mã đơn vị", unit.code),
                ("unitName", "Đơn vị", unit.name), ("period", "Kỳ báo cáo", period.key), ("periodLabel", "Tên kỳ", period.label),
                ("basis", "Cơ sở tổng hợp", basis.label)
            ])
    }

    static func targetsTable(_ table: ExportSource.TargetTable) -> ExportTable {
        let rows = table.rows.map { row -> [ExportTable.Cell] in
            let evaluation = row.evaluation
            return [
                .text(row.group.code), .text(row.target.code), .text(row.target.name), .maybe(row.target.responsible),
                .maybe(evaluation.reportedText ?? evaluation.valueText), .figure(evaluation.value),
                .text(evaluation.status.label),
                .maybe(row.lagging.isEmpty ? nil : TargetEvaluator.laggingSentence(row.lagging, percent: row.target.isPercent))
            ]
        }
        let period = Period(key: table.periodKey)?.label ?? table.periodKey
        return ExportTable(
            kind: "targets", sheetName: "Chỉ tiêu", title: "Kết quả thực hiện các chỉ tiêu — \(table.unit.name) — \(period)",
            columns: ["group", "code", "name", "responsible", "result", "value", "status", "lagging"],
            header: ["Nhóm", "Mã", "Chỉ tiêu", "Chủ trì theo dõi", "Kết quả", "Giá trị", "Đánh giá", "Đơn vị chưa đạt"],
            rows: rows, columnWidths: [8, 8, 70, 30, 16, 12, 16, 60],
            info: [
                ("plan", "Kế hoạch", table.plan.id), ("planTitle", "Tên kế hoạch", table.plan.title),
                ("unit", "Mã đơn vị", table.unit.code), ("unitName", "Đơn vị", table.unit.name),
                ("period", "Kỳ báo cáo", table.periodKey), ("periodLabel", "Tên kỳ", period),
                ("summary", "Tổng hợp", table.summary)
            ])
    }
}
