import Fluent
import ReportingCore

/// What a consolidated page is about, checked: the form, the period, the
/// unit (which the user may consolidate) and which reports count.
struct ConsolidationScope {
    let access: Access
    let form: CompiledForm
    let periodKey: String
    let unit: ReportingUnit
    let basis: ConsolidationService.Basis
    let assignments: [Assignment]

    var tree: UnitTree { access.tree }

    /// Resolves the query with defaults: the user's own unit, the form and
    /// period of the latest assignment. Refuses users who may not see the
    /// unit's consolidated figures (403) before anything is computed.
    static func resolve(
        access: Access, database: any Database, library: FormLibrary, form formID: String?, period periodKey: String?,
        unit unitCode: String?, basis basisKey: String?
    ) async throws -> ConsolidationScope {
        let code = unitCode.nonBlank ?? access.user.unitCode
        guard let unit = access.tree[code] else {
            throw ServiceError(.notFound, "Không có đơn vị mã “\(code)”.")
        }
        guard access.canConsolidate(unitCode: unit.code) else {
            throw ServiceError(
                .forbidden,
                "Bạn không có quyền xem số liệu tổng hợp của \(unit.name). Chỉ cán bộ tiếp nhận của đơn vị hoặc cấp trên, lãnh đạo đơn vị và quản trị hệ thống mới xem được."
            )
        }
        let assignments = try await Assignment.query(on: database).all()
        let latest = assignments.max { latestFirst($1.periodKey, $0.periodKey) }
        guard let id = formID.nonBlank ?? latest?.formID, let form = library.form(id) else {
            throw ServiceError(.notFound, "Không có biểu mẫu “\(formID ?? "")”.")
        }
        let latestOfForm = assignments.filter { $0.formID == form.id }.max { latestFirst($1.periodKey, $0.periodKey) }
        guard let key = periodKey.nonBlank ?? latestOfForm?.periodKey else {
            throw ServiceError(
                .notFound, "Biểu mẫu “\(form.form.displayTitle)” chưa được giao cho kỳ nào; hãy chọn kỳ báo cáo (ví dụ period=2024-Q1).")
        }
        guard let period = Period(key: key) else {
            throw ServiceError(.invalid, PeriodKeyError(text: key).description)
        }
        guard let basis = ConsolidationService.Basis(rawValue: basisKey.nonBlank ?? "accepted") else {
            throw ServiceError(
                .invalid,
                "Cơ sở tổng hợp “\(basisKey ?? "")” không hợp lệ: chọn accepted (chỉ báo cáo đã tiếp nhận) hoặc sent (cả báo cáo đã gửi).")
        }
        return ConsolidationScope(access: access, form: form, periodKey: period.key, unit: unit, basis: basis, assignments: assignments)
    }

    /// Newest period first; keys that are not periods sort last.
    static func latestFirst(_ a: String, _ b: String) -> Bool {
        switch (Period(key: a), Period(key: b)) {
        case let (x?, y?): return y < x
        case (.some, nil): return true
        default: return false
        }
    }
}
