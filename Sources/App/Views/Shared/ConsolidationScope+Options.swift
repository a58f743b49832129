import ReportingCore

/// The form, period and unit choices of the pages that consolidate (figures, dashboard).
extension ConsolidationScope {
    static func selectOptions(_ scope: ConsolidationScope, library: FormLibrary) -> (
        forms: [SelectOption], periods: [SelectOption], units: [SelectOption]
    ) {
        let assignedForms = Set(scope.assignments.map(\.formID)).union([scope.form.id])
        let forms = library.sortedForms.filter { assignedForms.contains($0.id) }.map {
            SelectOption(value: $0.id, label: $0.form.displayTitle, selected: $0.id == scope.form.id)
        }
        let keys = Set(scope.assignments.filter { $0.formID == scope.form.id }.map(\.periodKey)).union([scope.periodKey])
        let periods = keys.sorted(by: ConsolidationScope.latestFirst).map {
            SelectOption(value: $0, label: Period(key: $0)?.label ?? $0, selected: $0 == scope.periodKey)
        }
        let tree = scope.tree
        let units = tree.units.enumerated().filter { index, unit in
            !tree.childIndices[index].isEmpty && scope.access.canConsolidate(unitCode: unit.code)
        }.map { SelectOption(value: $0.element.code, label: $0.element.name, selected: $0.element.code == scope.unit.code) }
        return (forms, periods, units)
    }
}
