import Fluent
import ReportingCore
import Vapor

/// Administration, for the `admin` role only: assignments (a form for a
/// period to a set of units, with a deadline), users, the unit tree (CSV
/// import), the forms as loaded, and publishing open data.
struct AdminController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let admin = routes.grouped("admin").grouped(AdminOnlyMiddleware())
        admin.get(use: index)
        admin.get("assignments", use: assignmentsPage)
        admin.post("assignments", use: createAssignment)
        admin.get("users", use: usersPage)
        admin.post("users", use: createUser)
        admin.post("users", ":userID", "password", use: resetPassword)
        admin.post("users", ":userID", "email", use: setEmail)
        admin.get("units", use: unitsPage)
        admin.post("units", "import", use: importUnits)
        admin.get("units", ":code", use: unitPage)
        admin.post("units", ":code", use: updateUnit)
        admin.get("forms", use: formsPage)
        admin.get("publish", use: publishPage)
        admin.post("publish", use: publish)
        admin.post("publish", ":datasetID", "withdraw", use: withdraw)
    }

    // MARK: - Shared pieces

    /// Units in tree order (parents before children) with their depth.
    static func treeOrder(_ tree: UnitTree) -> [(unit: ReportingUnit, depth: Int)] {
        var result: [(ReportingUnit, Int)] = []
        var stack = tree.roots.reversed().map { ($0, 0) }
        while let (index, depth) = stack.popLast() {
            result.append((tree.units[index], depth))
            stack.append(contentsOf: tree.childIndices[index].reversed().map { ($0, depth + 1) })
        }
        return result
    }

    /// Units for a select box, indented by depth.
    static func unitOptions(_ tree: UnitTree, selected: String?) -> [SelectOption] {
        treeOrder(tree).map { unit, depth in
            SelectOption(
                value: unit.code, label: String(repeating: "\u{00A0}\u{00A0}\u{00A0}", count: depth) + unit.name,
                selected: unit.code == selected)
        }
    }

    static func formOptions(_ library: FormLibrary, selected: String?) -> [SelectOption] {
        library.sortedForms.map { SelectOption(value: $0.id, label: "\($0.form.displayTitle) (\($0.id))", selected: $0.id == selected) }
    }

    /// Periods to suggest: this year's and last year's quarters, halves, nine months and years.
    static func periodSuggestions() -> [SelectOption] {
        let year = CivilDate.today().year
        return [year, year - 1].flatMap { year in
            [
                Period.quarter(1, year), .quarter(2, year), .firstHalf(year), .quarter(3, year), .nineMonths(year), .quarter(4, year),
                .year(year)
            ]
        }.map { SelectOption(value: $0.key, label: $0.label, selected: false) }
    }

    func render(_ req: Request, _ template: String, _ page: some Encodable, status: HTTPStatus = .ok) async throws -> Response {
        let response = try await req.view.render(template, page).encodeResponse(for: req)
        response.status = status
        return response
    }

    // MARK: - Index

    struct IndexPage: Encodable {
        let layout: LayoutContext
        let users: Int
        let units: Int
        let forms: Int
        let assignments: Int
        let datasets: Int
    }

    func index(req: Request) async throws -> View {
        try await req.view.render(
            "admin",
            IndexPage(
                layout: try await .make(req, title: "Quản trị"), users: try await User.query(on: req.db).count(),
                units: try await UnitRecord.query(on: req.db).count(), forms: req.library.forms.count,
                assignments: try await Assignment.query(on: req.db).count(), datasets: try await PublishedDataset.query(on: req.db).count())
        )
    }
}
