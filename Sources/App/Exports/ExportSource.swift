import Fluent
import ReportingCore
import Vapor

/// What the exports (Word report, Excel template, tables) read, loaded from
/// the database without a Request, so the web routes and `baocao export`
/// produce the same files from the same code.
struct ExportSource {
    let database: Database
    let library: FormLibrary
    let tree: UnitTree
    /// Consolidated results kept between requests (nil: computed every time).
    var cache: ConsolidationCache? = nil

    /// A cell as the exports show it: a number kept exact, or a text.
    enum Value: Equatable {
        case number(ExactNumber)
        case text(String)

        /// "1.609.226", "97,1", or the text.
        var vietnamese: String {
            switch self {
            case .number(let number): return VietnameseNumber.format(number)
            case .text(let text): return text
            }
        }

        var double: Double? {
            if case .number(let number) = self { return number.doubleValue }
            return nil
        }

        /// Computed figures are shown to 2 decimals, like the report page.
        /// One that no exact number holds (not finite, beyond 64 bits) is shown as text, never as a wrong figure.
        static func computed(_ value: Double) -> Value {
            ExactNumber(rounding: value, scale: 2).map { Value.number($0.normalized) } ?? Value.text(VietnameseNumber.format(value))
        }
    }

    /// One report with everything its exports need.
    struct ReportData {
        let report: Report
        let form: CompiledForm
        let unit: ReportingUnit
        let assignment: Assignment?
        /// Stored cells by code.
        let stored: [String: ReportValue]
        /// The stored cells validated: parsed values and computed rows.
        let validation: ValidationReport
        let documents: [DocumentEntry]

        var period: Period? { Period(key: report.periodKey) }
        var periodLabel: String { period?.label ?? report.periodKey }

        /// The unit's own value of a row: as entered, else computed from its parts,
        /// else the unparsed text (so a wrong entry is shown, not hidden).
        func value(_ indicator: Indicator) -> Value? {
            guard !indicator.isHeading || !(stored[indicator.code]?.raw ?? "").isEmpty else { return nil }
            switch validation.values[indicator.code] {
            case .number(let number)?: return .number(number)
            case .text(let text)?: return .text(text)
            case nil: break
            }
            if let computed = validation.computed[indicator.code] { return .computed(computed) }
            if let raw = stored[indicator.code]?.raw, !raw.isEmpty { return .text(raw) }
            return nil
        }

        func note(_ code: String) -> String { stored[code]?.note ?? "" }
    }

    /// The report of a unit for a form and period, or a 404 that says which.
    func report(unit unitCode: String, period periodKey: String, form formID: String) async throws -> Report {
        guard let unit = tree[unitCode] else { throw ServiceError(.notFound, "Không có đơn vị mã “\(unitCode)”.") }
        guard let form = library.form(formID) else {
            throw ServiceError(
                .notFound, "Không có biểu mẫu “\(formID)”. Các biểu mẫu: \(library.sortedForms.map(\.id).joined(separator: ", ")).")
        }
        guard let period = Period(key: periodKey) else {
            throw ServiceError(.invalid, PeriodKeyError(text: periodKey).description)
        }
        guard
            let report = try await Report.query(on: database).filter(\.$unitCode == unit.code)
                .filter(\.$formID == form.id).filter(\.$periodKey == period.key).first()
        else {
            throw ServiceError(.notFound, "\(unit.name) không có báo cáo “\(form.form.displayTitle)” kỳ \(period.label).")
        }
        return report
    }

    func load(_ report: Report) async throws -> ReportData {
        guard let form = library.form(report.formID) else {
            throw ServiceError(.internalError, "Biểu mẫu \(report.formID) không còn trong hệ thống.")
        }
        let unit = tree[report.unitCode] ?? ReportingUnit(code: report.unitCode, name: report.unitCode, kind: .other)
        let id = try report.requireID()
        let values = try await ReportValue.query(on: database).filter(\.$report.$id == id).all()
        var stored: [String: ReportValue] = [:]
        for value in values { stored[value.code] = value }
        let validation = Validator(form: form).validate(
            entries: stored.mapValues(\.raw), notes: stored.compactMapValues(\.note), unitKind: unit.kind)
        let documents = try await DocumentEntry.query(on: database).filter(\.$report.$id == id).all()
        let assignment = try await Assignment.find(report.$assignment.id, on: database)
        return ReportData(
            report: report, form: form, unit: unit, assignment: assignment, stored: stored,
            validation: validation, documents: documents)
    }

    // MARK: Phụ lục II figures

    /// One row of the statistics table: the figure and where it comes from.
    struct FigureRow {
        let indicator: Indicator
        let value: Value?
        let note: String
    }

    /// The form's rows for the report: for a unit with units below it (when
    /// `consolidate`), the consolidated figure with its coverage; the unit's
    /// own value where nothing below counts yet or the row is not consolidated.
    struct Figures {
        let rows: [FigureRow]
        /// Where the figures come from, printed under the table when units below exist.
        let source: String?
    }

    func figures(_ data: ReportData, consolidate: Bool, basis: ConsolidationService.Basis = .accepted) async throws -> Figures {
        var consolidated: [ConsolidatedFigure]?
        if consolidate, !tree.children(of: data.unit.code).isEmpty {
            let result = try await ConsolidationService(database: database, library: library, tree: tree, cache: cache)
                .consolidate(formID: data.form.id, periodKey: data.report.periodKey, basis: basis)
            consolidated = result.figures(at: data.unit.code, in: tree)
        }
        // Nothing below counted yet: the unit's own figures, said once under the table, not on every row.
        let anyCounted = consolidated?.contains { $0.reported > 0 } ?? false
        var source: String?
        if consolidated != nil {
            let basisText = basis == .accepted ? "chỉ tính báo cáo đã tiếp nhận" : "tính cả báo cáo đã gửi"
            source =
                anyCounted
                ? "Số liệu tổng hợp từ báo cáo của các đơn vị cấp dưới (\(basisText)); cột Ghi chú ghi số đơn vị đã tính trên số đơn vị phải báo cáo."
                : "Chưa có báo cáo nào của các đơn vị cấp dưới được tính (\(basisText)); số liệu trong bảng là số liệu \(data.unit.name) tự báo cáo."
        }
        let rows = data.form.indicators.enumerated().map { slot, indicator in
            var notes: [String] = []
            var value = data.value(indicator)
            if anyCounted, let figure = consolidated?[slot], !indicator.isHeading, figure.expected > 0 {
                if let number = figure.value {
                    value =
                        indicator.unit == .count || indicator.unit == .coded
                        ? (ExactNumber(rounding: number, scale: 0).map(Value.number) ?? .computed(number)) : .computed(number)
                    var coverage = "Tổng hợp \(figure.coverageText) đơn vị"
                    if let share = FigureText.share(figure) { coverage += "; đạt: \(share)" }
                    notes.append(coverage)
                } else if value != nil {
                    notes.append("Số liệu của đơn vị")
                }
            }
            let own = data.note(indicator.code)
            if !own.isEmpty { notes.append(own) }
            return FigureRow(indicator: indicator, value: value, note: notes.joined(separator: ". "))
        }
        return Figures(rows: rows, source: source)
    }

    // MARK: Targets

    /// A plan's targets evaluated for a unit and period (rows of levels the unit is not at left out).
    struct TargetTable {
        let plan: TargetPlan
        let unit: ReportingUnit
        let periodKey: String
        let rows: [TargetService.Row]

        var summary: String { TargetEvaluator.summary(rows.map(\.evaluation)) }
    }

    func targets(plan: TargetPlan, unit: ReportingUnit, periodKey: String) async throws -> TargetTable {
        let rows = try await TargetService(database: database, library: library, tree: tree, cache: cache)
            .evaluate(plan: plan, unitCode: unit.code, periodKey: periodKey)
            .filter { $0.target.appliesTo?.contains(unit.kind) ?? true }
        return TargetTable(plan: plan, unit: unit, periodKey: periodKey, rows: rows)
    }

    func plan(_ id: String) async throws -> TargetPlan {
        let catalog = PlanCatalog(database: database, library: library)
        guard let plan = try await catalog.plan(id) else {
            let known = try await catalog.all().map(\.plan.id)
            throw ServiceError(.notFound, "Không có kế hoạch “\(id)”. Các kế hoạch: \(known.joined(separator: ", ")).")
        }
        return plan
    }

    /// Plans that concern a report: one of their targets is measured by the
    /// report's form, or results were entered for the period.
    func plans(for data: ReportData) async throws -> [TargetPlan] {
        let entered = Set(try await TargetResult.query(on: database).filter(\.$periodKey == data.report.periodKey).all().map(\.planID))
        return try await PlanCatalog(database: database, library: library).all().map(\.plan).filter { plan in
            entered.contains(plan.id) || plan.targets.contains { $0.indicatorReference?.form == data.form.id }
        }
    }

    /// The first target of `plans` measured by a row, for "đạt 97,1% (được giao 80%)".
    static func linkedTargets(_ plans: [TargetPlan], formID: String) -> [String: Target] {
        var result: [String: Target] = [:]
        for plan in plans {
            for target in plan.targets {
                if let reference = target.indicatorReference, reference.form == formID, result[reference.code] == nil {
                    result[reference.code] = target
                }
            }
        }
        return result
    }
}
