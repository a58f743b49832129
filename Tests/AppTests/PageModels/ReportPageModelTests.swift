import Foundation
import ReportingCore
import Testing

@testable import App

/// The data-entry page's rows and Phụ lục I, built without HTTP or a database.
@Suite struct ReportPageModelTests {
    let form: CompiledForm

    init() throws {
        form = try #require(try FormLibrary.builtIn().forms["egov-2024"])
    }

    func rows(_ entries: [String: String], unitKind: UnitKind? = nil) -> [String: ReportPage.Row] {
        let values = entries.mapValues { (raw: $0, note: String?.none) }
        let validation = Validator(form: form).validate(entries: entries, unitKind: unitKind)
        let rows = ReportPage.rows(form: form, values: values, validation: validation, unitKind: unitKind)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.code, $0) })
    }

    @Test func aRatioRowShowsItsFormulaAndTheValueItComputes() throws {
        let row = try #require(rows(["6.1.1": "40", "6.1.2": "22"])["6.1"])
        #expect(row.isComputed)
        #expect(row.formula?.contains("6.1.2") == true)
        #expect(row.computed == "55")
        #expect(row.percent)
    }

    @Test func aPartLargerThanItsWholeIsAnErrorOnItsRow() throws {
        let part = try #require(rows(["6.1.1": "28", "6.1.2": "277"])["6.1.2"])
        #expect(part.hasError)
        #expect(part.problems.contains { $0.severity == "error" && $0.message.contains("277") })
        #expect(part.partOf == "6.1.1")
    }

    @Test func rowsOfAnotherLevelDoNotApplyToACommune() throws {
        let provinceOnly = try #require(form.indicators.first { !$0.isHeading && !$0.applies(to: .commune, formLevels: form.form.levels) })
        let row = try #require(rows([:], unitKind: .commune)[provinceOnly.code])
        #expect(!row.applies)
        #expect(try #require(rows([:], unitKind: .province)[provinceOnly.code]).applies)
        let html = FormGridHTML.render([row], editable: true)
        // Not the unit's to fill: text, not an input (not even a read-only one), and no note box.
        #expect(!html.contains("<input"))
        #expect(!html.contains("<select"))
        #expect(html.contains("Không thuộc cấp báo cáo của đơn vị"))
        #expect(html.contains("not-applicable"))
    }

    @Test func anEmptyRequiredRowIsAQuietReminderWhileDrafting() throws {
        let values = [String: (raw: String, note: String?)]()
        let validation = Validator(form: form).validate(entries: [:], unitKind: .commune, mode: .drafting)
        let rows = Dictionary(
            uniqueKeysWithValues: ReportPage.rows(form: form, values: values, validation: validation, unitKind: .commune)
                .map { ($0.code, $0) })
        let required = try #require(rows["6.3.1"])
        #expect(required.missingRequired && !required.hasError && required.problems.isEmpty)
        let html = FormGridHTML.render([required], editable: true)
        #expect(html.contains("missing-required") && html.contains("Bắt buộc, chưa nhập"))
        #expect(html.contains("aria-required=\"true\""))
        #expect(!html.contains("role=\"alert\"") && !html.contains("has-error"))
        // The whole untouched form: no red row at all, and a count of the reminders.
        #expect(!rows.values.contains { $0.hasError })
        #expect(rows.values.filter(\.missingRequired).count == validation.missingRequired.count)
        #expect(validation.missingRequired.count > 0)
    }

    @Test func headingsHaveNoInputs() throws {
        let heading = try #require(rows([:])["6"])
        #expect(heading.isHeading)
        let html = FormGridHTML.render([heading], editable: true)
        #expect(!html.contains("<input"))
        #expect(html.contains("class=\"depth-0 heading\"") || html.contains("heading\""))
    }

    @Test func aReadOnlyGridHasNoEditableInput() {
        let html = FormGridHTML.render(
            ReportPage.rows(form: form, values: [:], validation: Validator(form: form).validate(entries: [:])),
            editable: false)
        for input in html.matches(of: /<input [^>]*>/) where !input.0.contains("type=\"hidden\"") {
            #expect(input.0.contains("readonly"), "\(input.0)")
        }
        #expect(!html.contains("type=\"hidden\""))
    }

    // MARK: Phụ lục I

    func entry(_ kind: DocumentKind, _ number: String, _ date: String?) -> DocumentEntry {
        let entry = DocumentEntry(
            reportID: UUID(), kind: kind.rawValue, number: number, issuedOn: date, issuer: "UBND tỉnh", summary: "Về việc …")
        entry.id = UUID()
        return entry
    }

    @Test func documentsAreGroupedNumberedByDateAndDoubledEntriesPointedOut() throws {
        let stored = [
            entry(.officialLetter, "180/UBND-KGVX", "2024-01-20"), entry(.decision, "12/QĐ-UBND", "2024-02-01"),
            entry(.officialLetter, "95/UBND-KGVX", "2024-01-05"), entry(.officialLetter, "180/UBND-KGVX", "2024-01-20"),
            entry(.plan, "48/KH-BCĐCĐS", "2024-03-20")
        ]
        let view = DocumentRegisterView(reportID: "r", stored: stored, periodKey: "2024-Q1", pending: nil, editable: true)
        #expect(view.sections.map(\.numeral) == ["I", "II", "III"])
        let letters = try #require(view.sections.last).entries
        #expect(letters.map(\.number) == ["95/UBND-KGVX", "180/UBND-KGVX", "180/UBND-KGVX"])
        #expect(letters.map(\.position) == [1, 2, 3])
        #expect(letters.map(\.duplicateOf) == [nil, nil, "III.2"])
        #expect(letters.first?.date == "05/01/2024")
        // Quý I/2024 closes on 14/03/2024: a plan of 20/03 lies outside it.
        #expect(view.sections[1].entries.map(\.outsidePeriod) == [true])
        #expect(view.periodWindow == "15/12/2023–14/03/2024")
        #expect(view.countsSentence == "01 quyết định, 01 kế hoạch, 03 văn bản chỉ đạo")
        #expect(view.count == 5)
    }

    @Test func aRefusedSubmissionIsShownAgainWithItsErrors() {
        var draft = DocumentRegisterView.Draft()
        draft.kind = DocumentKind.plan.rawValue
        draft.number = "khong hop le"
        let view = DocumentRegisterView(
            reportID: "r", stored: [], periodKey: "2024-Q1", pending: (draft, ["Ngày ban hành không đọc được"]),
            editable: true)
        #expect(view.draft.number == "khong hop le")
        #expect(view.errors == ["Ngày ban hành không đọc được"])
        #expect(view.kinds.filter(\.selected).map(\.value) == [DocumentKind.plan.rawValue])
        #expect(view.countsSentence == "chưa có văn bản nào")
        #expect(view.sections.isEmpty)
    }
}
