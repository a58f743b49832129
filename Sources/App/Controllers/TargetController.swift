import Fluent
import ReportingCore
import Vapor

/// The results of a plan's targets for a unit and period, the units below
/// each threshold, entering a result, and uploading a new plan file.
struct TargetController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("targets", use: page)
        routes.post("targets", "results", use: saveResult)
        routes.post("admin", "plans", use: uploadPlan)
    }

    struct Query: Decodable {
        var plan: String?
        var unit: String?
        var period: String?
        var saved: String?
        var uploaded: String?
    }

    func page(req: Request) async throws -> View {
        let query = try req.query.decode(Query.self)
        return try await render(req, plan: query.plan, unit: query.unit, period: query.period, saved: query.saved, uploaded: query.uploaded)
    }

    /// Renders the page; `error` is shown above the table (a refused entry or upload).
    func render(
        _ req: Request, plan planID: String?, unit unitCode: String?, period periodKey: String?,
        saved: String? = nil, uploaded: String? = nil, error: String? = nil
    ) async throws -> View {
        let access = try await req.access()
        let tree = access.tree
        let code = unitCode.nonBlank ?? access.user.unitCode
        guard let unit = tree[code] else { throw Abort(.notFound, reason: "Không có đơn vị mã “\(code)”.") }
        guard access.canConsolidate(unitCode: unit.code) else {
            throw Abort(
                .forbidden,
                reason:
                    "Bạn không có quyền xem kết quả thực hiện chỉ tiêu của \(unit.name). Chỉ cán bộ tiếp nhận của đơn vị hoặc cấp trên, lãnh đạo đơn vị và quản trị hệ thống mới xem được."
            )
        }
        let catalog = req.plans
        let entries = try await catalog.all()
        let results = try await TargetResult.query(on: req.db).all()
        // The plan being followed now: the one with the latest result, unless one is asked for.
        let latestPlan = results.max { ConsolidationScope.latestFirst($1.periodKey, $0.periodKey) }?.planID
        guard let id = planID.nonBlank ?? latestPlan ?? entries.first?.plan.id,
            let entry = entries.first(where: { $0.plan.id == id })
        else {
            throw Abort(
                .notFound,
                reason: "Không có kế hoạch “\(planID ?? "")”. Các kế hoạch hiện có: \(entries.map(\.plan.id).joined(separator: ", ")).")
        }
        let plan = entry.plan
        let planPeriods = Set(results.filter { $0.planID == plan.id }.map(\.periodKey))
        let assignmentPeriods = Set(try await Assignment.query(on: req.db).all().map(\.periodKey))
        let fallback =
            planPeriods.sorted(by: ConsolidationScope.latestFirst).first
            ?? assignmentPeriods.sorted(by: ConsolidationScope.latestFirst).first ?? String(CivilDate.today().year)
        let key = periodKey.nonBlank ?? fallback
        guard let period = Period(key: key) else {
            throw Abort(.badRequest, reason: PeriodKeyError(text: key).description)
        }

        let rows = try await TargetService(database: req.db, library: req.library, tree: tree, cache: req.consolidationCache)
            .evaluate(plan: plan, unitCode: unit.code, periodKey: period.key)
            .filter { $0.target.appliesTo?.contains(unit.kind) ?? true }
        let enteredCodes = Set(
            results.filter { $0.planID == plan.id && $0.periodKey == period.key && $0.unitCode == unit.code }.map(\.targetCode))
        var groups: [TargetPage.Group] = []
        var lagging: [TargetPage.Lagging] = []
        for group in plan.groups {
            let groupRows = rows.filter { $0.group.code == group.code }
            guard !groupRows.isEmpty else { continue }
            let pageRows = groupRows.enumerated().map { index, row -> TargetPage.Row in
                let evaluation = row.evaluation
                var source: String?
                if evaluation.value != nil, !enteredCodes.contains(row.target.code), let reference = row.target.indicatorReference {
                    source =
                        "Tính từ \(req.library.form(reference.form)?.form.displayTitle ?? reference.form), chỉ tiêu \(reference.code) (báo cáo đã tiếp nhận)"
                }
                let sentence = row.lagging.isEmpty ? nil : TargetEvaluator.laggingSentence(row.lagging, percent: row.target.isPercent)
                return TargetPage.Row(
                    stt: String(index + 1), code: row.target.code, name: row.target.name, responsible: row.target.responsible ?? "",
                    result: evaluation.reportedText ?? evaluation.valueText, status: evaluation.status.label,
                    statusKey: evaluation.status.rawValue, explanation: evaluation.explanation,
                    onStrictBoundary: evaluation.onStrictBoundary, source: source, lagging: sentence)
            }
            groups.append(TargetPage.Group(code: group.code, name: group.name, rows: pageRows))
            for row in groupRows where !row.lagging.isEmpty {
                lagging.append(
                    TargetPage.Lagging(
                        code: row.target.code, name: row.target.name,
                        threshold: row.target.threshold.display(percent: row.target.isPercent),
                        sentence: TargetEvaluator.laggingSentence(row.lagging, percent: row.target.isPercent)))
            }
        }

        var message: String?
        if let saved, let target = plan.target(saved) { message = "Đã lưu kết quả chỉ tiêu \(target.code)." }
        if uploaded != nil, !entry.isBuiltIn {
            message = "Đã lưu kế hoạch “\(plan.id)”: \(plan.targets.count) chỉ tiêu trong \(plan.groups.count) nhóm."
        }
        let isAdmin = access.user.role == .admin
        let periodKeys = planPeriods.union(assignmentPeriods).union([period.key]).sorted(by: ConsolidationScope.latestFirst)
        return try await req.view.render(
            "targets",
            TargetPage(
                layout: try await .make(req, title: "Kết quả thực hiện các chỉ tiêu"),
                planID: plan.id, planTitle: plan.title, isStoredPlan: !entry.isBuiltIn, periodKey: period.key, period: period.label,
                unitCode: unit.code, unitName: unit.name,
                plans: entries.map {
                    SelectOption(
                        value: $0.plan.id, label: $0.plan.id + ($0.isBuiltIn ? "" : " (đã tải lên)"), selected: $0.plan.id == plan.id)
                },
                periods: periodKeys.map { SelectOption(value: $0, label: Period(key: $0)?.label ?? $0, selected: $0 == period.key) },
                units: tree.units.filter { access.canConsolidate(unitCode: $0.code) }.map {
                    SelectOption(value: $0.code, label: $0.name, selected: $0.code == unit.code)
                },
                groups: groups, summary: TargetEvaluator.summary(rows.map(\.evaluation)), lagging: lagging,
                message: message, error: error, isAdmin: isAdmin,
                targetOptions: isAdmin
                    ? plan.targets.map {
                        SelectOption(value: $0.code, label: "\($0.code). \(SVGChart.shortened($0.name, to: 90))", selected: false)
                    } : [],
                entryUnits: isAdmin ? tree.units.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == unit.code) } : [],
                dashboardURL: PageLink.to("/dashboard", [("unit", unit.code), ("period", period.key), ("plan", plan.id)])))
    }

    /// Refused input: the page again with the reason, status 422, nothing written.
    func refuse(_ req: Request, _ reason: String, plan: String?, unit: String?, period: String?) async throws -> Response {
        // The context itself may be what is wrong: fall back to the defaults then.
        let view: View
        do { view = try await render(req, plan: plan, unit: unit, period: period, error: reason) } catch {
            view = try await render(req, plan: nil, unit: nil, period: nil, error: reason)
        }
        let response = try await view.encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }

    // MARK: Entering a result

    struct ResultForm: Content {
        var plan: String
        var period: String
        var target: String
        var unit: String
        var value: String
        /// The unit whose page the form was on.
        var view: String?
    }

    func saveResult(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.role == .admin else {
            throw Abort(.forbidden, reason: "Chỉ quản trị hệ thống mới nhập, sửa được kết quả thực hiện chỉ tiêu.")
        }
        let form: ResultForm
        do { form = try req.content.decode(ResultForm.self) } catch {
            throw Abort(.badRequest, reason: "Thiếu thông tin: cần kế hoạch, kỳ, chỉ tiêu, đơn vị và kết quả.")
        }
        let back = form.view.nonBlank ?? form.unit
        func refuse(_ reason: String) async throws -> Response {
            try await self.refuse(req, reason, plan: form.plan, unit: back, period: form.period)
        }
        guard let plan = try await req.plans.plan(form.plan) else { return try await refuse("Không có kế hoạch “\(form.plan)”.") }
        guard let target = plan.target(form.target) else {
            return try await refuse("Kế hoạch \(plan.id) không có chỉ tiêu mã “\(form.target)”.")
        }
        let tree = try await req.unitTree()
        guard let unit = tree[form.unit] else { return try await refuse("Không có đơn vị mã “\(form.unit)”.") }
        if let levels = target.appliesTo, !levels.contains(unit.kind) {
            return try await refuse(
                "Chỉ tiêu \(target.code) không áp dụng cho \(unit.name) (\(unit.kind.label)); chỉ áp dụng cho: \(levels.map(\.label).joined(separator: ", "))."
            )
        }
        guard let period = Period(key: form.period) else {
            return try await refuse(PeriodKeyError(text: form.period).description)
        }
        let value = form.value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = Self.problem(in: value, target: target) {
            return try await refuse(problem)
        }
        let username = try req.requireUser().username
        try await req.db.transaction { db in
            let subject = "\(plan.id) \(target.code), \(unit.code), \(period.key)"
            if let existing = try await TargetResult.query(on: db).filter(\.$planID == plan.id).filter(\.$targetCode == target.code)
                .filter(\.$unitCode == unit.code).filter(\.$periodKey == period.key).first()
            {
                let before = existing.value
                existing.value = value
                try await existing.save(on: db)
                try await AdminAuditLog.record(
                    .plans, "Sửa kết quả chỉ tiêu", subject: subject, by: username, from: before, to: value, on: db)
            } else {
                try await TargetResult(planID: plan.id, targetCode: target.code, unitCode: unit.code, periodKey: period.key, value: value)
                    .save(on: db)
                try await AdminAuditLog.record(.plans, "Nhập kết quả chỉ tiêu", subject: subject, by: username, to: value, on: db)
            }
        }
        return req.redirect(
            to: PageLink.to(
                "/targets",
                [
                    ("plan", plan.id), ("unit", tree[back] != nil ? back : unit.code),
                    ("period", period.key), ("saved", target.code)
                ]))
    }

    /// What is wrong with a typed result, nil when it can be stored. A result
    /// is a number ("34,6%"), a number with a comment ("20% (đã triển khai …)")
    /// or words saying why there is none ("Sở Tư pháp đang thống kê").
    static func problem(in value: String, target: Target) -> String? {
        guard !value.isEmpty else {
            return "Chưa nhập kết quả cho chỉ tiêu \(target.code). Nhập số (ví dụ 34,6%) hoặc ghi rõ lý do chưa có số liệu."
        }
        guard value.count <= 300 else { return "Kết quả của chỉ tiêu \(target.code) quá dài (tối đa 300 ký tự)." }
        // The leading number must read unambiguously: "97.1" is refused, as on the forms.
        guard let match = value.firstMatch(of: /^[-−]?[0-9][0-9.,]*/) else { return nil }
        if case .failure(let error) = VietnameseNumber.parse(String(match.0)) {
            return "Chỉ tiêu \(target.code): \(error.message)"
        }
        return nil
    }

    // MARK: Uploading a plan

    struct Upload: Content {
        var file: File?
    }

    func uploadPlan(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.role == .admin else {
            throw Abort(.forbidden, reason: "Chỉ quản trị hệ thống mới thêm được kế hoạch.")
        }
        func refuse(_ reason: String) async throws -> Response {
            try await self.refuse(req, reason, plan: nil, unit: nil, period: nil)
        }
        guard let upload = try? req.content.decode(Upload.self), let file = upload.file, file.data.readableBytes > 0 else {
            return try await refuse("Hãy chọn tệp kế hoạch (.yaml) theo mẫu “Plan file” trong docs/forms.md.")
        }
        guard let yaml = String(bytes: Array(file.data.readableBytesView), encoding: .utf8) else {
            return try await refuse("Tệp \(file.filename) không phải văn bản UTF-8. Hãy lưu tệp YAML với bảng mã UTF-8.")
        }
        let plan: TargetPlan
        do {
            plan = try await req.plans.store(
                yaml: yaml, fileName: file.filename.isEmpty ? "tệp tải lên" : file.filename,
                by: try req.requireUser().username)
        } catch let abort as any AbortError where abort.status == .unprocessableEntity { return try await refuse(abort.reason) }
        return req.redirect(to: PageLink.to("/targets", [("plan", plan.id), ("uploaded", "1")]))
    }
}
