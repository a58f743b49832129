import Foundation
import ReportingCore
import Vapor

/// The standard exchange formats other reporting systems read (docs/exchange.md).
enum ExchangeFormat: String, CaseIterable, Sendable {
    case dhis2, adx, sdmx
    case sdmxStructure = "sdmx-structure"

    var fileSuffix: String {
        switch self {
        case .dhis2: return "dhis2.json"
        case .adx: return "adx.xml"
        case .sdmx: return "sdmx.csv"
        case .sdmxStructure: return "sdmx-structure.xml"
        }
    }

    var mediaType: HTTPMediaType {
        switch self {
        case .dhis2: return .json
        case .adx, .sdmxStructure: return HTTPMediaType(type: "application", subType: "xml", parameters: ["charset": "utf-8"])
        case .sdmx: return HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        }
    }

    static func parse(_ text: String?) throws -> ExchangeFormat {
        guard let text, let format = ExchangeFormat(rawValue: text.lowercased()) else {
            throw ServiceError(
                .invalid,
                "Định dạng trao đổi “\(text ?? "")” không hợp lệ: "
                    + "dhis2 (JSON dataValueSets), adx, sdmx (SDMX-CSV) hoặc sdmx-structure (cấu trúc SDMX-ML).")
        }
        return format
    }
}

/// Accepted figures in the exchange formats: one unit's report, or the
/// consolidated figures of a unit and every unit below it. Web and CLI alike.
struct ExchangeExport {
    let source: ExportSource
    var now = Date()

    /// One report as entered (computed rows at two decimals), with its notes as comments.
    func report(_ report: Report, format: ExchangeFormat) async throws -> Data {
        let data = try await source.load(report)
        guard let period = data.period else { throw ServiceError(.invalid, PeriodKeyError(text: report.periodKey).description) }
        let notes = data.stored.compactMapValues { $0.note }
        let set = DataValueSet.report(form: data.form, unitCode: report.unitCode, period: period, validation: data.validation, notes: notes)
        return try encode(set, form: data.form, units: [data.unit], format: format)
    }

    /// The consolidated figures of `unitCode` and its subtree, from the reports `basis` counts.
    func consolidated(
        unitCode: String, formID: String, periodKey: String, basis: ConsolidationService.Basis,
        format: ExchangeFormat
    ) async throws -> Data {
        let tree = source.tree
        guard let root = tree.indexByCode[unitCode] else { throw ServiceError(.notFound, "Không có đơn vị mã “\(unitCode)”.") }
        guard let period = Period(key: periodKey) else { throw ServiceError(.invalid, PeriodKeyError(text: periodKey).description) }
        let service = ConsolidationService(database: source.database, library: source.library, tree: tree)
        let result = try await service.consolidate(formID: formID, periodKey: period.key, basis: basis)
        let subtree = Set([root] + tree.descendantIndices(of: root))
        let figures = result.figures.filter { subtree.contains($0.key) }
        let set = DataValueSet.consolidated(form: result.form, tree: tree, period: period, figures: figures)
        let units = subtree.sorted().map { tree.units[$0] }
        return try encode(set, form: result.form, units: units, format: format)
    }

    func encode(_ set: DataValueSet, form: CompiledForm, units: [ReportingUnit], format: ExchangeFormat) throws -> Data {
        let dataflow = SDMXDataflow(formID: form.id)
        if format == .sdmxStructure {
            return Data(SDMXStructureWriter.write(form: form.form, units: units, dataflow: dataflow, prepared: now).utf8)
        }
        guard !set.values.isEmpty else {
            throw ServiceError(
                .unprocessable,
                "Chưa có số liệu nào để xuất: báo cáo chưa có số, hoặc chưa có báo cáo nào được tính vào tổng hợp. "
                    + "Hãy chọn kỳ, biểu mẫu hoặc cơ sở tổng hợp khác (basis=sent để tính cả báo cáo đã gửi).")
        }
        switch format {
        case .dhis2:
            do { return Data(try DHIS2JSONWriter.write(set).utf8) } catch { throw ServiceError(.unprocessable, error.description) }
        case .adx: return Data(ADXWriter.write(set, exported: now).utf8)
        case .sdmx: return Data(SDMXCSVWriter.write(set, dataflow: dataflow).utf8)
        case .sdmxStructure: return Data()
        }
    }
}
