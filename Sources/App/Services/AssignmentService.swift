import Fluent
import Foundation
import ReportingCore

/// Giving a form for a period to a set of units, with a deadline: the rules
/// that decide which units must report, and the write of the assignment with
/// one report per unit.
struct AssignmentService {
    let database: any Database
    let library: FormLibrary
    let tree: UnitTree

    /// What the administrator asked for, as typed.
    struct Request: Sendable {
        var formID = ""
        var periodKey = ""
        var deadline = ""
        var receiverCode = ""
        var title = ""
        /// Unit kinds ticked (every active unit of the kind below the receiver) and units ticked one by one.
        var kinds: Set<String> = []
        var units: Set<String> = []
    }

    /// An assignment that passed every rule, ready to write.
    struct Plan: Sendable {
        let form: CompiledForm
        let period: Period
        let deadline: CivilDate
        let receiver: ReportingUnit
        let units: [ReportingUnit]
        let title: String
    }

    /// The plan, or every reason it cannot be made (in the order the page lists them).
    enum Outcome: Sendable {
        case planned(Plan)
        case refused([String])
    }

    /// The rules on their own: no database; `taken` is the units that already have a report of that form and period.
    static func plan(_ request: Request, library: FormLibrary, tree: UnitTree, taken: (CompiledForm, Period) -> Set<String>) -> Outcome {
        var errors: [String] = []
        let form = library.form(request.formID)
        if form == nil {
            errors.append(request.formID.isEmpty ? "Chưa chọn biểu mẫu." : "Không có biểu mẫu “\(request.formID)” trong thư viện biểu mẫu.")
        }
        let period = Period(key: request.periodKey)
        if period == nil { errors.append(PeriodKeyError(text: request.periodKey).description) }
        let deadline = CivilDate(vietnamese: request.deadline)
        if deadline == nil {
            errors.append(
                request.deadline.isEmpty
                    ? "Chưa nhập hạn gửi (dạng ngày/tháng/năm, ví dụ 20/03/2024)."
                    : "Hạn gửi “\(request.deadline)” không hợp lệ (dạng ngày/tháng/năm, ví dụ 20/03/2024).")
        } else if let deadline, let period, deadline < period.cutOff.lowerBound {
            errors.append("Hạn gửi \(deadline.vietnamese) trước khi kỳ \(period.label) bắt đầu (\(period.cutOff.lowerBound.vietnamese)).")
        }
        let receiver = tree[request.receiverCode]
        if receiver == nil { errors.append("Chưa chọn đơn vị nhận báo cáo, hoặc mã “\(request.receiverCode)” không có trong cây đơn vị.") }
        if request.title.count > 300 { errors.append("Tên đợt báo cáo quá dài (tối đa 300 ký tự).") }

        // The units: every active unit of a chosen kind below the receiver, plus those ticked one by one.
        var selected: [ReportingUnit] = []
        if let receiver {
            let below = tree.descendants(of: receiver.code)
            let activeOn = period?.cutOff.upperBound ?? CivilDate.today()
            for kindName in request.kinds.sorted() {
                guard let kind = UnitKind(rawValue: kindName) else { errors.append("Loại đơn vị “\(kindName)” không hợp lệ."); continue }
                if let form, !form.form.levels.contains(kind) {
                    errors.append("Biểu mẫu “\(form.form.displayTitle)” không áp dụng cho loại đơn vị “\(kind.label)”.")
                }
                selected += below.filter { $0.kind == kind && ($0.retiredOn.map { activeOn < $0 } ?? true) }
            }
            for code in request.units.sorted() {
                guard let unit = tree[code] else { errors.append("Không có đơn vị mã “\(code)”."); continue }
                if unit.code != receiver.code && !tree.isAncestor(receiver.code, of: unit.code) {
                    errors.append("\(unit.name) không thuộc \(receiver.name), đơn vị nhận báo cáo.")
                }
                if let retired = unit.retiredOn, retired <= activeOn {
                    errors.append("\(unit.name) đã thôi hoạt động từ \(retired.vietnamese).")
                }
                if let form, !form.form.levels.contains(unit.kind) {
                    errors.append("Biểu mẫu “\(form.form.displayTitle)” không áp dụng cho \(unit.name) (\(unit.kind.label)).")
                }
                selected.append(unit)
            }
        }
        var seen: Set<String> = []
        selected = selected.filter { seen.insert($0.code).inserted }
        if selected.isEmpty && receiver != nil {
            errors.append("Chưa chọn đơn vị nào phải báo cáo: đánh dấu loại đơn vị hoặc từng đơn vị.")
        }

        // One report per unit, form and period: a second assignment would count a unit twice.
        if let form, let period, !selected.isEmpty {
            let already = taken(form, period)
            let clashes = selected.filter { already.contains($0.code) }
            if !clashes.isEmpty {
                let names =
                    clashes.prefix(5).map(\.name).joined(separator: ", ")
                    + (clashes.count > 5 ? " và \(clashes.count - 5) đơn vị khác" : "")
                errors.append("Đã giao “\(form.form.displayTitle)” \(period.label) cho \(names). Bỏ chọn các đơn vị này.")
            }
        }
        guard errors.isEmpty, let form, let period, let deadline, let receiver else { return .refused(errors) }
        let title = request.title.isEmpty ? "\(form.form.displayTitle) — \(period.label)" : request.title
        return .planned(Plan(form: form, period: period, deadline: deadline, receiver: receiver, units: selected, title: title))
    }

    /// The rules, with the reports already stored.
    func plan(_ request: Request) async throws -> Outcome {
        var taken: [String: Set<String>] = [:]
        if let form = library.form(request.formID), let period = Period(key: request.periodKey) {
            let existing = try await Report.query(on: database).filter(\.$formID == form.id).filter(\.$periodKey == period.key).all()
            taken["\(form.id) \(period.key)"] = Set(existing.map(\.unitCode))
        }
        return Self.plan(request, library: library, tree: tree) { form, period in taken["\(form.id) \(period.key)"] ?? [] }
    }

    /// Writes the assignment, one report per unit, and its audit entry, in one transaction. Returns its id.
    func create(_ plan: Plan, by username: String) async throws -> UUID {
        let assignmentID = UUID()
        let assignment = Assignment(
            formID: plan.form.id, periodKey: plan.period.key, deadline: plan.deadline.description,
            receiverCode: plan.receiver.code, title: plan.title)
        assignment.id = assignmentID
        try await database.transaction { db in
            try await assignment.save(on: db)
            for unit in plan.units {
                try await Report(assignmentID: assignmentID, unitCode: unit.code, formID: plan.form.id, periodKey: plan.period.key).save(
                    on: db)
            }
            try await AdminAuditLog.record(
                .assignments, "Giao báo cáo", subject: plan.title, by: username,
                to: "\(plan.form.id) \(plan.period.key), hạn \(plan.deadline.description), \(plan.units.count) đơn vị: "
                    + plan.units.map(\.code).joined(separator: ", "), on: db)
        }
        return assignmentID
    }
}
