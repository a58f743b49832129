import Fluent
import Foundation
import ReportingCore
import SQLKit

/// What the dashboard's charts are drawn from, for one scope: each form and
/// period consolidated once per page (through the shared cache), an
/// indicator's series across form versions, the states of the assignment's
/// reports, and the plan's evaluated targets. No request, no HTML.
struct DashboardService {
    let database: any Database
    let library: FormLibrary
    let tree: UnitTree
    let cache: ConsolidationCache?
    private var results: [String: ConsolidationService.Result] = [:]

    init(database: any Database, library: FormLibrary, tree: UnitTree, cache: ConsolidationCache?) {
        self.database = database
        self.library = library
        self.tree = tree
        self.cache = cache
    }

    /// The accepted reports of `form` for `period`, consolidated; computed once per page.
    mutating func consolidation(form: String, period: String) async throws -> ConsolidationService.Result {
        let key = "\(form)|\(period)"
        if let known = results[key] { return known }
        let result = try await ConsolidationService(database: database, library: library, tree: tree, cache: cache)
            .consolidate(formID: form, periodKey: period, basis: .accepted)
        results[key] = result
        return result
    }

    /// The unit's figure of `indicator` in every assigned period of every form that held it.
    mutating func series(
        unit: ReportingUnit, formID: String, indicator: Indicator,
        assignments: [Assignment]
    ) async throws -> [DashboardCharts.SeriesPoint] {
        var points: [DashboardCharts.SeriesPoint] = []
        for (order, source) in library.seriesSources(form: formID, code: indicator.code).enumerated() {
            guard let sourceForm = library.form(source.form), let slot = sourceForm.slotByCode[source.code] else { continue }
            for key in Set(assignments.filter { $0.formID == source.form }.map(\.periodKey)) {
                guard let period = Period(key: key) else { continue }
                let result = try await consolidation(form: source.form, period: period.key)
                points.append(
                    DashboardCharts.SeriesPoint(
                        period: period, order: order, formTitle: sourceForm.form.displayTitle,
                        printedLabel: sourceForm.indicators[slot].printedLabel,
                        found: DashboardCharts.figure(result, unit: unit.code, slot: slot, tree: tree), note: source.note))
            }
        }
        return points
    }

    /// The reports of the scope's assignments of its form and period, within
    /// the unit's subtree (nil: no such assignment), and the monitoring page
    /// of the first assignment the user may follow.
    func submissions(scope: ConsolidationScope) async throws -> (reports: [DashboardCharts.Submitted]?, monitorLink: String?) {
        let assignments = scope.assignments.filter { $0.formID == scope.form.id && $0.periodKey == scope.periodKey }
        guard !assignments.isEmpty else { return (nil, nil) }
        let within = Set([scope.unit.code] + tree.descendants(of: scope.unit.code).map(\.code))
        let reports = try await Self.statuses(ofAssignments: assignments.compactMap(\.id), on: database)
            .filter { within.contains($0.unitCode) }
        let access = scope.access
        let monitored = assignments.first {
            access.user.role == .admin || (access.user.role == .reviewer && access.canRead(unitCode: $0.receiverCode))
        }
        return (reports, monitored.flatMap { $0.id.map { "/assignments/\($0.uuidString)/monitor" } })
    }

    /// Two columns of the assignments' reports in plain SQL, not a model per report.
    static func statuses(ofAssignments ids: [UUID], on database: any Database) async throws -> [DashboardCharts.Submitted] {
        guard !ids.isEmpty, let sql = database as? any SQLDatabase else { return [] }
        let r = ReportsTable.self
        return try await sql.raw(
            """
            SELECT \(ident: r.unitCode) AS unit_code, \(ident: r.status) AS status FROM \(ident: r.table) \
            WHERE \(ident: r.assignmentID) IN (\(binds: ids))
            """
        ).all().compactMap { row in
            ReportStatus(rawValue: try row.decode(column: "status", as: String.self))
                .map { DashboardCharts.Submitted(unitCode: (try? row.decode(column: "unit_code", as: String.self)) ?? "", status: $0) }
        }
    }

    /// The plan's targets evaluated for the unit, those that apply to its level.
    func targetRows(plan: TargetPlan, unit: ReportingUnit, periodKey: String) async throws -> [TargetService.Row] {
        try await TargetService(database: database, library: library, tree: tree, cache: cache)
            .evaluate(plan: plan, unitCode: unit.code, periodKey: periodKey)
            .filter { $0.target.appliesTo?.contains(unit.kind) ?? true }
    }
}
