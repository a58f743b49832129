import Fluent
import ReportingCore
import Vapor

/// Consolidated figures straight from the reports as they stand: no nightly
/// job, no analytics table. Loads one assignment's reports and runs the core
/// consolidator over the unit tree.
struct ConsolidationService {
    let database: Database
    let library: FormLibrary
    let tree: UnitTree

    /// Which reports count: accepted only (the default), or also sent ones.
    enum Basis: String, Codable, Sendable {
        case accepted, sent
        func includes(_ status: ReportStatus) -> Bool {
            self == .accepted ? status == .accepted : status.hasBeenSent
        }
        var label: String { self == .accepted ? "Chỉ báo cáo đã tiếp nhận" : "Cả báo cáo đã gửi" }
    }

    struct Result {
        let form: CompiledForm
        let period: String
        /// Figures of every unit that has units below it, by tree index.
        let figures: [Int: [ConsolidatedFigure]]
        /// Each unit's own counted values by slot, by tree index (nil: not counted).
        let reports: [[Double?]?]
        /// Every unit's report status, by unit code (units assigned the form).
        let statuses: [String: ReportStatus]

        func figures(at code: String, in tree: UnitTree) -> [ConsolidatedFigure]? {
            tree.indexByCode[code].flatMap { figures[$0] }
        }

        func ownValues(of code: String, in tree: UnitTree) -> [Double?]? {
            tree.indexByCode[code].flatMap { reports[$0] }
        }
    }

    /// Loads the reports of `formID` for `periodKey` and consolidates the whole tree.
    func consolidate(formID: String, periodKey: String, basis: Basis = .accepted) async throws -> Result {
        guard let form = library.form(formID) else {
            throw ServiceError(.notFound, "Không có biểu mẫu “\(formID)”.")
        }
        let reports = try await Report.query(on: database).filter(\.$formID == formID).filter(\.$periodKey == periodKey).all()
        let counted = reports.filter { basis.includes($0.status) }
        let ids = counted.compactMap(\.id)
        var slotsByReport: [UUID: [Double?]] = [:]
        if !ids.isEmpty {
            // One join on the form and period rather than an IN list of every
            // counted report: at national scale that list would pass the
            // databases' limits on bound parameters.
            let counts = Set(ids)
            let values = try await ReportValue.query(on: database)
                .join(Report.self, on: \ReportValue.$report.$id == \Report.$id)
                .filter(Report.self, \.$formID == formID).filter(Report.self, \.$periodKey == periodKey)
                .all()
            for value in values where counts.contains(value.$report.id) {
                guard let slot = form.slotByCode[value.code], let number = value.number.flatMap(ExactNumber.init(machine:)) else { continue }
                slotsByReport[value.$report.id, default: Array(repeating: nil, count: form.slotCount)][slot] = number.doubleValue
            }
        }
        var byIndex = Array<[Double?]?>(repeating: nil, count: tree.units.count)
        var statuses: [String: ReportStatus] = [:]
        for report in reports { statuses[report.unitCode] = report.status }
        for report in counted {
            guard let index = tree.indexByCode[report.unitCode] else { continue }
            var values = slotsByReport[report.id!] ?? Array(repeating: nil, count: form.slotCount)
            _ = form.computeFormulas(&values)
            byIndex[index] = values
        }
        let assigned = Set(reports.map(\.unitCode))
        let figures = Consolidator(form: form, tree: tree).consolidateAll(reports: byIndex) { assigned.contains($0.code) }
        return Result(form: form, period: periodKey, figures: figures, reports: byIndex, statuses: statuses)
    }
}
