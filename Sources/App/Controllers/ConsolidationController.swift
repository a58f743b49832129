import Fluent
import ReportingCore
import Vapor

/// Consolidated figures of a unit with units below it, computed from the
/// reports as they stand on every request (no cached table), and the units
/// behind each figure.
struct ConsolidationController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let consolidated = routes.grouped("consolidated")
        consolidated.get(use: page)
        consolidated.get("drill", use: drill)
    }

    struct Query: Decodable {
        var form: String?
        var period: String?
        var unit: String?
        var basis: String?
        var code: String?
        var assignment: String?
    }

    // MARK: The table

    func page(req: Request) async throws -> Response {
        let query = try req.query.decode(Query.self)
        if let id = query.assignment {
            // The home page links an assignment; its receiver's figures are meant.
            guard let uuid = UUID(uuidString: id), let assignment = try await Assignment.find(uuid, on: req.db) else {
                throw Abort(.notFound, reason: "Không tìm thấy đợt giao báo cáo.")
            }
            return req.redirect(
                to: PageLink.to(
                    "/consolidated", [("form", assignment.formID), ("period", assignment.periodKey), ("unit", assignment.receiverCode)]))
        }
        let scope = try await ConsolidationScope.resolve(
            access: try await req.access(), database: req.db, library: req.library,
            form: query.form, period: query.period, unit: query.unit, basis: query.basis)
        let tree = scope.tree, form = scope.form, unit = scope.unit
        guard !tree.children(of: unit.code).isEmpty else {
            throw Abort(
                .unprocessableEntity,
                reason: "\(unit.name) không có đơn vị cấp dưới nên không có số liệu tổng hợp. Xem báo cáo của chính đơn vị trên trang chủ.")
        }
        let result = try await ConsolidationService(database: req.db, library: req.library, tree: tree, cache: req.consolidationCache)
            .consolidate(formID: form.id, periodKey: scope.periodKey, basis: scope.basis)
        // Every unit with units below has figures, even when no report counts yet.
        guard let figures = result.figures(at: unit.code, in: tree) else {
            throw Abort(.internalServerError, reason: "Không tính được số liệu tổng hợp của \(unit.name).")
        }
        func link(_ path: String, unit code: String = unit.code, extra: [(String, String?)] = []) -> String {
            PageLink.to(path, [("form", form.id), ("period", scope.periodKey), ("unit", code), ("basis", scope.basis.rawValue)] + extra)
        }
        let rows = form.indicators.enumerated().map { slot, indicator -> ConsolidationPage.Row in
            let figure = figures[slot]
            var note: String?
            if !indicator.isHeading && figure.value == nil {
                switch indicator.consolidation {
                case .none: note = "Không cộng từ đơn vị cấp dưới: mỗi cấp tự báo cáo số của mình."
                case .recompute: note = "Tính lại từ các số thành phần đã tổng hợp; chưa đủ số thành phần."
                default: break
                }
            }
            return ConsolidationPage.Row(
                code: indicator.code, label: indicator.printedLabel, name: indicator.name,
                unitLabel: indicator.unit == .coded ? "" : indicator.unitLabel, depth: indicator.depth, isHeading: indicator.isHeading,
                value: note == nil ? FigureText.value(figure.value, indicator: indicator) : "—", hasValue: figure.value != nil,
                coverage: indicator.isHeading ? "" : figure.coverageText, complete: figure.isComplete,
                share: FigureText.share(figure), note: note,
                drillURL: indicator.isHeading ? nil : link("/consolidated/drill", extra: [("code", indicator.code)]))
        }
        var differences: [ConsolidationPage.Difference] = []
        var ownNote: String?
        if let own = result.ownValues(of: unit.code, in: tree) {
            differences = EnteredDifference.compare(form: form, entered: own, consolidated: figures).map {
                ConsolidationPage.Difference(code: $0.code, name: form.form.indicator($0.code)?.name ?? "", message: $0.message)
            }
        } else if let status = result.statuses[unit.code] {
            ownNote =
                "Báo cáo của chính \(unit.name) đang ở trạng thái “\(status.label)”, chưa được tính theo cơ sở đã chọn nên chưa so sánh được với số tổng hợp."
        } else {
            ownNote = "\(unit.name) không được giao tự báo cáo biểu này cho kỳ đã chọn."
        }
        let below = tree.descendants(of: unit.code)
        let assigned = below.filter { result.statuses[$0.code] != nil }.count
        let counted = below.filter { result.ownValues(of: $0.code, in: tree) != nil }.count
        let options = ConsolidationScope.selectOptions(scope, library: req.library)
        let page = ConsolidationPage(
            layout: try await .make(req, title: "Số liệu tổng hợp"),
            formID: form.id, formTitle: form.form.title, periodKey: scope.periodKey,
            period: Period(key: scope.periodKey)?.label ?? scope.periodKey, unitCode: unit.code, unitName: unit.name,
            basis: scope.basis.rawValue, basisLabel: scope.basis.label,
            forms: options.forms, periods: options.periods, units: options.units,
            bases: [ConsolidationService.Basis.accepted, .sent].map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == scope.basis)
            },
            rows: rows, counted: counted, assigned: assigned, differences: differences, ownReportNote: ownNote,
            dashboardURL: PageLink.to("/dashboard", [("form", form.id), ("period", scope.periodKey), ("unit", unit.code)]),
            targetsURL: PageLink.to("/targets", [("unit", unit.code)]))
        return try await req.view.render("consolidated", page).encodeResponse(for: req)
    }

    // MARK: Drill-down

    func drill(req: Request) async throws -> View {
        let query = try req.query.decode(Query.self)
        let scope = try await ConsolidationScope.resolve(
            access: try await req.access(), database: req.db, library: req.library,
            form: query.form, period: query.period, unit: query.unit, basis: query.basis)
        let tree = scope.tree, form = scope.form, unit = scope.unit, access = scope.access
        guard let code = query.code.nonBlank else {
            throw Abort(.badRequest, reason: "Hãy chọn chỉ tiêu cần xem chi tiết (tham số code, ví dụ code=6.3.1).")
        }
        guard let slot = form.slotByCode[code] else {
            throw Abort(.notFound, reason: "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu mã \(code).")
        }
        let indicator = form.indicators[slot]
        guard !indicator.isHeading else {
            throw Abort(.unprocessableEntity, reason: "Chỉ tiêu \(code) là đề mục, không có số liệu.")
        }
        let children = tree.children(of: unit.code)
        guard !children.isEmpty else {
            throw Abort(.unprocessableEntity, reason: "\(unit.name) không có đơn vị cấp dưới nên không có số liệu tổng hợp.")
        }
        let result = try await ConsolidationService(database: req.db, library: req.library, tree: tree, cache: req.consolidationCache)
            .consolidate(formID: form.id, periodKey: scope.periodKey, basis: scope.basis)
        let reports = try await Report.query(on: req.db).filter(\.$formID == form.id).filter(\.$periodKey == scope.periodKey)
            .filter(\.$unitCode ~~ children.map(\.code)).all()
        var reportIDs: [String: UUID] = [:]
        for report in reports { reportIDs[report.unitCode] = report.id }
        func link(_ path: String, unit code: String, withCode: Bool) -> String {
            PageLink.to(
                path,
                [("form", form.id), ("period", scope.periodKey), ("unit", code), ("basis", scope.basis.rawValue)]
                    + (withCode ? [("code", indicator.code)] : []))
        }
        let rows = children.compactMap { child -> DrillPage.Row? in
            let hasChildren = !tree.children(of: child.code).isEmpty
            guard indicator.applies(to: child.kind, formLevels: form.form.levels) || hasChildren else { return nil }
            let consolidated = hasChildren ? result.figures(at: child.code, in: tree)?[slot] : nil
            let own = result.ownValues(of: child.code, in: tree)?[slot] ?? nil
            let status = result.statuses[child.code]
            var value: Double?
            var source: String
            if let figure = consolidated, let number = figure.value {
                value = number
                source = "Tổng hợp từ \(figure.coverageText) đơn vị" + (FigureText.share(figure).map { " (đạt: \($0))" } ?? "")
            } else if let own {
                value = own
                source = hasChildren ? "Đơn vị tự báo cáo (chỉ tiêu không cộng từ cấp dưới)" : "Đơn vị tự báo cáo"
            } else if status == nil && !hasChildren {
                source = "Không được giao báo cáo"
            } else {
                source = "Chưa có số liệu được tính"
            }
            let counted = result.ownValues(of: child.code, in: tree) != nil
            return DrillPage.Row(
                unitName: child.name, unitKind: child.kind.label,
                value: value.map { FigureText.value($0, indicator: indicator) } ?? "—", hasValue: value != nil, source: source,
                status: status?.label ?? "Không được giao", statusKey: status?.rawValue ?? "none", counted: counted,
                reportURL: reportIDs[child.code].flatMap { access.canRead(unitCode: child.code) ? "/reports/\($0.uuidString)" : nil },
                drillURL: hasChildren && access.canConsolidate(unitCode: child.code)
                    ? link("/consolidated/drill", unit: child.code, withCode: true) : nil,
                consolidatedURL: hasChildren && access.canConsolidate(unitCode: child.code)
                    ? link("/consolidated", unit: child.code, withCode: false) : nil)
        }
        let figure = result.figures(at: unit.code, in: tree)?[slot]
        let parent = tree.path(to: unit.code).dropLast().last
        return try await req.view.render(
            "consolidated-drill",
            DrillPage(
                layout: try await .make(req, title: "Chi tiết chỉ tiêu \(indicator.printedLabel)"),
                formTitle: form.form.displayTitle, period: Period(key: scope.periodKey)?.label ?? scope.periodKey,
                unitName: unit.name, code: indicator.code, label: indicator.printedLabel, name: indicator.name,
                unitLabel: indicator.unit == .coded ? "" : indicator.unitLabel,
                value: FigureText.value(figure?.value, indicator: indicator), hasValue: figure?.value != nil,
                coverage: figure?.coverageText ?? "",
                share: figure.flatMap(FigureText.share),
                basisLabel: scope.basis.label, rows: rows, backURL: link("/consolidated", unit: unit.code, withCode: false),
                parentDrillURL: parent.flatMap {
                    access.canConsolidate(unitCode: $0.code) ? link("/consolidated/drill", unit: $0.code, withCode: true) : nil
                }))
    }
}
