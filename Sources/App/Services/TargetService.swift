import Fluent
import ReportingCore
import Vapor

/// Evaluates a plan's targets for a unit and period. A target linked to a form
/// row takes the unit's consolidated figure (or its own, for a unit with none
/// below); otherwise the result the responsible agency entered.
struct TargetService {
    let database: Database
    let library: FormLibrary
    let tree: UnitTree
    /// Consolidated results kept between requests (nil: computed every time).
    var cache: ConsolidationCache? = nil

    struct Row {
        let group: TargetGroup
        let target: Target
        let evaluation: TargetEvaluation
        let lagging: [LaggingUnit]
    }

    func evaluate(plan: TargetPlan, unitCode: String, periodKey: String) async throws -> [Row] {
        let results = try await TargetResult.query(on: database).filter(\.$planID == plan.id).filter(\.$periodKey == periodKey).all()
        var entered: [String: [String: String]] = [:] // target → unit → value
        for result in results { entered[result.targetCode, default: [:]][result.unitCode] = result.value }
        var consolidations: [String: ConsolidationService.Result] = [:]
        let service = ConsolidationService(database: database, library: library, tree: tree, cache: cache)
        let below = Set(tree.descendants(of: unitCode).map(\.code))
        var rows: [Row] = []
        for group in plan.groups {
            for target in group.targets {
                let level = tree[unitCode]?.kind
                let ownLevel: UnitKind? = level == .province ? nil : level
                var evaluation = TargetEvaluator.evaluate(target, reported: entered[target.code]?[unitCode], level: ownLevel)
                var unitValues: [(name: String, kind: UnitKind, value: Double)] = []
                if let reference = target.indicatorReference, library.form(reference.form) != nil {
                    let result: ConsolidationService.Result
                    if let known = consolidations[reference.form] {
                        result = known
                    } else {
                        result = try await service.consolidate(formID: reference.form, periodKey: periodKey)
                        consolidations[reference.form] = result
                    }
                    if let slot = result.form.slotByCode[reference.code] {
                        let value = result.ownValues(of: unitCode, in: tree)?[slot] ?? result.figures(at: unitCode, in: tree)?[slot].value
                        if let value, evaluation.status == .noData {
                            evaluation = TargetEvaluator.evaluate(target, value: value, level: ownLevel)
                        }
                        for unit in tree.descendants(of: unitCode) {
                            if let value = result.ownValues(of: unit.code, in: tree)?[slot] {
                                unitValues.append((unit.name, unit.kind, value))
                            }
                        }
                    }
                }
                for (code, raw) in entered[target.code] ?? [:] where below.contains(code) {
                    guard let unit = tree[code], case .success(let number) = VietnameseNumber.parse(raw) else { continue }
                    if !unitValues.contains(where: { $0.name == unit.name }) {
                        unitValues.append((unit.name, unit.kind, number.doubleValue))
                    }
                }
                rows.append(
                    Row(
                        group: group, target: target, evaluation: evaluation,
                        lagging: TargetEvaluator.lagging(target, values: unitValues)))
            }
        }
        return rows
    }
}
