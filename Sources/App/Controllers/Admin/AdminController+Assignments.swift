import Fluent
import ReportingCore
import Vapor

/// Assignments: a form for a period to a set of units, with a deadline.
extension AdminController {
    struct AssignmentsPage: Encodable {
        struct KindChoice: Encodable {
            let value: String
            let label: String
            let count: Int
            let checked: Bool
        }
        struct UnitChoice: Encodable {
            let code: String
            let name: String
            let kind: String
            let depth: Int
            let checked: Bool
        }
        struct Row: Encodable {
            let id: String
            let title: String
            let form: String
            let period: String
            let deadline: String
            let receiver: String
            let reports: Int
        }
        struct Input: Encodable {
            var formID = ""
            var periodKey = ""
            var periodLabel = ""
            var deadline = ""
            var receiverCode = ""
            var title = ""
        }
        let layout: LayoutContext
        let forms: [SelectOption]
        let periods: [SelectOption]
        let receivers: [SelectOption]
        let kinds: [KindChoice]
        let units: [UnitChoice]
        let assignments: [Row]
        let input: Input
        let errors: [String]
    }

    /// The posted assignment: `kind[department]=1`, `unit[CODE]=1` for the chosen units.
    struct AssignmentForm: Content {
        var formID: String?
        var periodKey: String?
        var deadline: String?
        var receiverCode: String?
        var title: String?
        var kind: [String: String]?
        var unit: [String: String]?
    }

    func assignmentsPage(req: Request) async throws -> Response {
        let tree = try await req.unitTree()
        var input = AssignmentsPage.Input()
        input.receiverCode = tree.roots.first.map { tree.units[$0].code } ?? ""
        return try await renderAssignments(req, tree: tree, input: input, kinds: [], units: [], errors: [])
    }

    func renderAssignments(
        _ req: Request, tree: UnitTree, input: AssignmentsPage.Input, kinds: Set<String>, units: Set<String>,
        errors: [String]
    ) async throws -> Response {
        let assignments = try await Assignment.query(on: req.db).sort(\.$periodKey, .descending).all()
        var reportCounts: [UUID: Int] = [:]
        for report in try await Report.query(on: req.db).all() { reportCounts[report.$assignment.id, default: 0] += 1 }
        let present = Set(tree.units.map(\.kind))
        let page = AssignmentsPage(
            layout: try await .make(req, title: "Giao báo cáo"),
            forms: Self.formOptions(req.library, selected: input.formID),
            periods: Self.periodSuggestions(),
            receivers: Self.unitOptions(tree, selected: input.receiverCode),
            kinds: UnitKind.allCases.filter { $0 != .province && present.contains($0) }.map { kind in
                .init(
                    value: kind.rawValue, label: kind.label, count: tree.units.filter { $0.kind == kind }.count,
                    checked: kinds.contains(kind.rawValue))
            },
            units: Self.treeOrder(tree).map { unit, depth in
                .init(code: unit.code, name: unit.name, kind: unit.kind.label, depth: min(depth, 5), checked: units.contains(unit.code))
            },
            assignments: assignments.map { assignment in
                .init(
                    id: assignment.id!.uuidString, title: assignment.title,
                    form: req.library.form(assignment.formID)?.form.displayTitle ?? assignment.formID,
                    period: Period(key: assignment.periodKey)?.label ?? assignment.periodKey,
                    deadline: CivilDate(iso: assignment.deadline)?.vietnamese ?? assignment.deadline,
                    receiver: tree[assignment.receiverCode]?.name ?? assignment.receiverCode,
                    reports: reportCounts[assignment.id!] ?? 0)
            },
            input: input, errors: errors)
        return try await render(req, "admin-assignments", page, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func createAssignment(req: Request) async throws -> Response {
        let tree = try await req.unitTree()
        let posted: AssignmentForm
        do { posted = try req.content.decode(AssignmentForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của biểu mẫu giao báo cáo.")
        }
        let kinds = Set((posted.kind ?? [:]).keys)
        let chosenUnits = Set((posted.unit ?? [:]).keys)
        var input = AssignmentsPage.Input()
        input.formID = posted.formID?.trimmingCharacters(in: .whitespaces) ?? ""
        input.periodKey = posted.periodKey?.trimmingCharacters(in: .whitespaces) ?? ""
        input.deadline = posted.deadline?.trimmingCharacters(in: .whitespaces) ?? ""
        input.receiverCode = posted.receiverCode ?? ""
        input.title = posted.title?.trimmingCharacters(in: .whitespaces) ?? ""

        if let period = Period(key: input.periodKey) {
            input.periodKey = period.key
            input.periodLabel = period.label
        }
        let service = AssignmentService(database: req.db, library: req.library, tree: tree)
        let request = AssignmentService.Request(
            formID: input.formID, periodKey: input.periodKey, deadline: input.deadline,
            receiverCode: input.receiverCode, title: input.title, kinds: kinds, units: chosenUnits)
        switch try await service.plan(request) {
        case .refused(let errors):
            return try await renderAssignments(req, tree: tree, input: input, kinds: kinds, units: chosenUnits, errors: errors)
        case .planned(let plan):
            let assignmentID = try await service.create(plan, by: try req.requireUser().username)
            return req.redirect(to: "/assignments/\(assignmentID.uuidString)/monitor")
        }
    }
}
