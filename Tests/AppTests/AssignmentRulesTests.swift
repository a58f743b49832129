import Foundation
import ReportingCore
import Testing

@testable import App

/// The rules that decide which units must report an assignment, without HTTP
/// or a database: the demo tree and the built-in forms.
@Suite struct AssignmentRulesTests {
    let library: FormLibrary
    let tree: UnitTree
    let province: ReportingUnit

    init() throws {
        library = try FormLibrary.builtIn()
        tree = try UnitTree(units: try DemoLoader.units())
        province = try #require(tree.units.first { $0.kind == .province })
    }

    func request(kinds: Set<String> = ["commune"], units: Set<String> = [], deadline: String = "20/03/2024") -> AssignmentService.Request {
        AssignmentService.Request(
            formID: "egov-2024", periodKey: "2024-Q1", deadline: deadline, receiverCode: province.code,
            title: "", kinds: kinds, units: units)
    }

    @Test func everyActiveCommuneBelowTheReceiverOnce() throws {
        let communes = tree.descendants(of: province.code).filter { $0.kind == .commune }
        let first = try #require(communes.first)
        // A kind and one of its units ticked as well: still one report for that unit.
        guard
            case .planned(let plan) = AssignmentService.plan(
                request(units: [first.code]), library: library, tree: tree, taken: { _, _ in [] })
        else { Issue.record("refused"); return }
        #expect(plan.units.map(\.code).sorted() == communes.map(\.code).sorted())
        #expect(plan.title == "\(plan.form.form.displayTitle) — \(plan.period.label)")
        #expect(plan.deadline == CivilDate(year: 2024, month: 3, day: 20))
    }

    @Test func everyReasonIsGivenAtOnce() {
        let outcome = AssignmentService.plan(
            AssignmentService.Request(
                formID: "khong-co", periodKey: "2024-Q5", deadline: "31/02/2024", receiverCode: "X", title: "",
                kinds: [], units: []),
            library: library, tree: tree, taken: { _, _ in [] })
        guard case .refused(let errors) = outcome else { Issue.record("planned"); return }
        #expect(errors.contains("Không có biểu mẫu “khong-co” trong thư viện biểu mẫu."))
        #expect(errors.contains(PeriodKeyError(text: "2024-Q5").description))
        #expect(errors.contains { $0.hasPrefix("Hạn gửi “31/02/2024” không hợp lệ") })
        #expect(errors.contains { $0.hasPrefix("Chưa chọn đơn vị nhận báo cáo") })
    }

    @Test func aUnitAlreadyGivenTheFormForThePeriodIsNamed() throws {
        let taken = try #require(tree.descendants(of: province.code).first { $0.kind == .commune })
        let outcome = AssignmentService.plan(request(), library: library, tree: tree, taken: { _, _ in [taken.code] })
        guard case .refused(let errors) = outcome else { Issue.record("planned"); return }
        #expect(errors.count == 1)
        #expect(errors[0].contains(taken.name) && errors[0].hasSuffix("Bỏ chọn các đơn vị này."))
    }

    @Test func aDeadlineBeforeThePeriodStartsIsRefused() {
        guard
            case .refused(let errors) = AssignmentService.plan(
                request(deadline: "01/01/2023"), library: library, tree: tree,
                taken: { _, _ in [] })
        else { Issue.record("planned"); return }
        #expect(errors == ["Hạn gửi 01/01/2023 trước khi kỳ Quý I năm 2024 bắt đầu (15/12/2023)."])
    }
}
