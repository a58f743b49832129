import Testing

@testable import ReportingCore

/// Drafting and sending: an empty required row is a reminder while drafting and an error at sending.
@Suite("Validation modes")
struct ValidationModeTests {
    let form: CompiledForm

    init() throws {
        form = try #require(try FormLibrary.builtIn().forms["egov-2024"])
    }

    @Test func anUntouchedFormHasNoErrorsWhileDraftingButCannotBeSent() {
        let drafting = Validator(form: form).validate(entries: [:], unitKind: .commune, mode: .drafting)
        let sending = Validator(form: form).validate(entries: [:], unitKind: .commune, mode: .sending)
        #expect(drafting.errors.isEmpty, "\(drafting.errors.map(\.message))")
        #expect(!drafting.missingRequired.isEmpty)
        #expect(drafting.missingRequired.contains("6.3.1"))
        // The same rows, as errors, when sending; and they block it.
        #expect(sending.problems.filter { $0.kind == .requiredMissing }.map(\.code) == drafting.missingRequired)
        #expect(sending.missingRequired == drafting.missingRequired)
        #expect(!sending.canSend)
        // The default is sending: callers that send need not say so.
        #expect(Validator(form: form).validate(entries: [:], unitKind: .commune).errors.count == sending.errors.count)
    }

    @Test func draftingKeepsEveryOtherError() {
        let entries = ["6.1.1": "28", "6.1.2": "277"]
        let drafting = Validator(form: form).validate(entries: entries, unitKind: .commune, mode: .drafting)
        #expect(drafting.problems(for: "6.1.2").contains { $0.kind == .partExceedsTotal && $0.severity == .error })
        #expect(!drafting.missingRequired.contains("6.1.1") && !drafting.missingRequired.contains("6.1.2"))
        #expect(drafting.missingRequired.contains("6.3.1"))
    }

    @Test func aFilledRowLeavesTheReminderList() {
        let before = Validator(form: form).validate(entries: [:], unitKind: .commune, mode: .drafting).missingRequired
        let after = Validator(form: form).validate(entries: ["6.3.1": "1.200"], unitKind: .commune, mode: .drafting).missingRequired
        #expect(after.count == before.count - 1)
        #expect(!after.contains("6.3.1"))
    }
}
