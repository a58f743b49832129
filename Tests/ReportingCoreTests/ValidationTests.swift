import Testing

@testable import ReportingCore

@Suite("Validation of the seed forms as entered")
struct SeedValidationTests {
    @Test func seed000IsRightAndRaisesNoFalseAlarm() throws {
        let report = try Fixtures.validate("egov-2024", "seed000-egov-2024.csv")
        #expect(report.problems.isEmpty, "\(report.problems.map(\.message))")
        // 6.3 = 97,1 with 28.295 / 29.140 = 97,10: right, and the computed value is kept.
        let computed = try #require(report.computed["6.3"])
        #expect(abs(computed - 97.1002) < 0.0001)
        #expect(report.values["6.3"] == .number(ExactNumber(mantissa: 971, scale: 1)))
    }

    @Test func seed002ProceduresWithDossiersAboveProceduresOffered() throws {
        let report = try Fixtures.validate("egov-2022", "seed002-egov-2022.csv")
        let problem = try #require(report.problems(for: "6.1.3").first)
        #expect(problem.severity == .error)
        #expect(problem.values["6.1.3"] == "277")
        #expect(problem.values["6.1.2"] == "28")
        #expect(problem.message.contains("277") && problem.message.contains("28"))
        // Row 5 is a heading but carries 255.
        #expect(report.problems(for: "5").map(\.kind) == [.valueOnHeading])
        #expect(report.errors.count == 2)
        #expect(!report.canSend)
    }

    @Test func seed003TruncatedRatioIsNotFlagged() throws {
        // 6.4 = 9,24 with 3.170 / 34.279 = 9,2476: truncated, as the seeds do.
        let report = try Fixtures.validate("egov-2022", "seed003-bm7-egov-2022.csv")
        #expect(report.problems(for: "6.4").isEmpty)
        #expect(report.problems.isEmpty, "\(report.problems.map(\.message))")
    }

    @Test func cchcFormsOfSeed003Validate() throws {
        for number in [1, 3, 4, 5, 6] {
            let report = try Fixtures.validate("cchc-bm\(number)", "seed003-cchc-bm\(number).csv")
            #expect(report.errors.isEmpty, "BM\(number): \(report.errors.map(\.message))")
        }
        // As the department that filled it, BM3 1.4 (total procedures) is missing although 1.4.1 and 1.4.2 are 37 and 2.
        let asDepartment = try Fixtures.validate("cchc-bm3", "seed003-cchc-bm3.csv", kind: .department)
        #expect(asDepartment.problems(for: "1.4").contains { $0.kind == .requiredMissing })
    }
}

@Suite("Validation rules")
struct ValidationRuleTests {
    var form: CompiledForm { Fixtures.library.form("egov-2024")! }

    func validate(
        _ entries: [String: String], notes: [String: String] = [:], kind: UnitKind? = nil,
        previous: [String: ExactNumber]? = nil
    ) -> ValidationReport {
        Validator(form: form).validate(entries: entries, notes: notes, unitKind: kind, previous: previous)
    }

    @Test func typeErrors() {
        let report = validate(["6.3.1": "abc", "6.3.2": "-5", "6.3": "120", "1": "7", "6.4.1": "12,5", "6.4.2": "97.1"])
        #expect(report.problems(for: "6.3.1").map(\.kind) == [.notANumber])
        #expect(report.problems(for: "6.3.2").map(\.kind) == [.negative])
        #expect(report.problems(for: "6.3").map(\.kind) == [.percentOutOfRange])
        #expect(report.problems(for: "1").map(\.kind) == [.invalidChoice])
        #expect(report.problems(for: "6.4.1").map(\.kind) == [.notAnInteger])
        #expect(report.problems(for: "6.4.2").map(\.kind) == [.ambiguousNumber])
        #expect(report.problems(for: "1").first?.message.contains("Hoàn thành") == true)
    }

    @Test func codedValueByLabelIsAccepted() {
        let report = validate(["1": "Hoàn thành"])
        #expect(report.problems(for: "1").isEmpty)
        #expect(report.values["1"] == .number(ExactNumber(1)))
    }

    @Test func unknownCodeIsAnError() {
        #expect(validate(["9.9.9": "3"]).problems.map(\.kind) == [.unknownIndicator])
    }

    @Test func partLargerThanTotal() {
        let report = validate(["6.3.1": "100", "6.3.2": "120"])
        let problem = report.problems(for: "6.3.2").first { $0.kind == .partExceedsTotal }
        #expect(problem?.values == ["6.3.2": "120", "6.3.1": "100"])
    }

    @Test func enteredRatioDisagreeingWithItsParts() {
        let wrong = validate(["6.3": "90", "6.3.1": "29.140", "6.3.2": "28.295"])
        let problem = wrong.problems(for: "6.3").first
        #expect(problem?.kind == .ratioMismatch)
        #expect(problem?.message.contains("97,1") == true)
        #expect(problem?.message.contains("28.295") == true)
        // Rounded (97,1 / 97,10) or truncated entries are right.
        #expect(validate(["6.3": "97,10", "6.3.1": "29.140", "6.3.2": "28.295"]).problems.isEmpty)
        #expect(validate(["6.4": "99,8", "6.4.1": "73.846", "6.4.2": "73.698"]).problems.isEmpty)
        #expect(validate(["6.4": "99,79", "6.4.1": "73.846", "6.4.2": "73.698"]).problems.isEmpty)
        #expect(validate(["6.4": "99,7", "6.4.1": "73.846", "6.4.2": "73.698"]).problems.isEmpty) // truncated
        #expect(validate(["6.4": "99,6", "6.4.1": "73.846", "6.4.2": "73.698"]).problems.first?.kind == .ratioMismatch)
    }

    @Test func ratioWithZeroDenominatorIsNotComputedNorCrashes() {
        let report = validate(["6.3": "0", "6.3.1": "0", "6.3.2": "0"])
        #expect(report.problems.isEmpty)
        #expect(report.computed["6.3"] == nil)
    }

    @Test func requiredRowsDependOnTheUnitsLevel() {
        let commune = validate([:], kind: .commune)
        #expect(commune.problems.contains { $0.kind == .requiredMissing && $0.code == "6.3.1" })
        // 5.1.1 (departments connected) is not a commune's row.
        #expect(!commune.problems.contains { $0.code == "5.1.1" })
        // Computed rows and headings are never required.
        #expect(!commune.problems.contains { $0.code == "6.3" || $0.code == "6" })
    }

    @Test func jumpFromPreviousPeriodWarnsAndANoteAcknowledgesIt() {
        let previous = ["6.3.1": ExactNumber(100)]
        let report = validate(["6.3.1": "5.000"], previous: previous)
        let jump = report.problems(for: "6.3.1").first { $0.kind == .jump }
        #expect(jump?.severity == .warning)
        #expect(jump?.acknowledged == false)
        #expect(!report.canSend)
        let noted = validate(["6.3.1": "5.000"], notes: ["6.3.1": "Sáp nhập thêm 3 xã"], previous: previous)
        #expect(noted.problems(for: "6.3.1").first { $0.kind == .jump }?.acknowledged == true)
        #expect(noted.canSend)
        #expect(validate(["6.3.1": "150"], previous: previous).problems.isEmpty)
    }

    @Test func breakdownsMustAddUp() throws {
        let form = try CompiledForm(
            Form(
                id: "t", title: "T",
                indicators: [
                    {
                        var i = Indicator(code: "1", name: "Tổng số VBQPPL", unit: .count, unitWord: "Văn bản"); i.sumOfChildren = true;
                        return i
                    }(),
                    Indicator(code: "1.1", name: "Cấp tỉnh", unit: .count),
                    Indicator(code: "1.2", name: "Cấp huyện", unit: .count)
                ]))
        let validator = Validator(form: form)
        let wrong = validator.validate(entries: ["1": "10", "1.1": "4", "1.2": "5"])
        #expect(wrong.problems.map(\.kind) == [.breakdownMismatch])
        #expect(wrong.problems.first?.message.contains("9") == true)
        #expect(validator.validate(entries: ["1": "9", "1.1": "4", "1.2": "5"]).problems.isEmpty)
        // Incomplete breakdown: only an excess is an error.
        #expect(validator.validate(entries: ["1": "9", "1.1": "4"]).problems.isEmpty)
        #expect(validator.validate(entries: ["1": "3", "1.1": "4"]).problems.map(\.kind) == [.breakdownMismatch])
    }

    @Test func formRulesWithSeverity() throws {
        let form = try CompiledForm(
            Form(
                id: "t", title: "T",
                indicators: [
                    Indicator(code: "1", name: "A", unit: .count), Indicator(code: "2", name: "B", unit: .count)
                ],
                rules: [
                    FormRule(code: "2", check: "[2] <= [1]", severity: .error, message: "B ({2}) không được lớn hơn A ({1})."),
                    FormRule(code: "1", check: "[1] < 1000", severity: .warning, message: "A ({1}) lớn bất thường.")
                ]))
        let report = Validator(form: form).validate(entries: ["1": "1.500", "2": "2.000"])
        #expect(report.problems.map(\.message) == ["A (1.500) lớn bất thường.", "B (2.000) không được lớn hơn A (1.500)."])
        #expect(report.problems.map(\.severity) == [.warning, .error])
        // A rule over a missing value is not checked.
        #expect(Validator(form: form).validate(entries: ["2": "5"]).problems.isEmpty)
    }
}

@Suite("Form files")
struct FormLibraryTests {
    @Test func allBuiltInFormsLoad() {
        let ids = Set(Fixtures.library.forms.keys)
        #expect(ids.isSuperset(of: ["egov-2024", "egov-2022", "cchc-bm1", "cchc-bm2", "cchc-bm3", "cchc-bm4", "cchc-bm5", "cchc-bm6"]))
        #expect(Fixtures.library.form("egov-2024")?.indicators.count ?? 0 > 30)
        #expect(Fixtures.library.form("egov-2024")?.form.indicator("6.3.1")?.unitWord == "Hồ sơ")
    }

    @Test func codesGiveParents() throws {
        let form = try #require(Fixtures.library.form("egov-2024"))
        #expect(form.form.indicator("6.3.1")?.parentCode == "6.3")
        #expect(form.form.indicator("6")?.parentCode == nil)
        #expect(form.form.children(of: "6.3").map(\.code) == ["6.3.1", "6.3.2"])
    }

    @Test func versionMappingCrossesTheChange() throws {
        let mapping = try #require(Fixtures.library.mappings.first { $0.from == "egov-2022" && $0.to == "egov-2024" })
        // Level 4 corresponds to toàn trình since NĐ 42/2022.
        #expect(mapping.target(of: "6.2.2") == "6.1.2")
        #expect(mapping.target(of: "6.4") == nil)
        #expect(mapping.reasonUnmapped("6.4") != nil)
        for row in mapping.rows {
            #expect(Fixtures.library.form("egov-2022")?.slotByCode[row.from] != nil, "\(row.from)")
            if let to = row.to { #expect(Fixtures.library.form("egov-2024")?.slotByCode[to] != nil, "\(to)") }
        }
    }

    @Test func brokenFormFilesAreRefusedWithAClearMessage() {
        #expect(throws: (any Error).self) {
            _ = try FormLibrary.decode(Form.self, yaml: "id: x\ntitle: y\nindicators: [{code: '1'}]", name: "x.yaml")
        }
        let cyclic = Form(
            id: "c", title: "C",
            indicators: [
                Indicator(code: "1", name: "A", unit: .percent, formula: "[2] * 1"),
                Indicator(code: "2", name: "B", unit: .percent, formula: "[1] * 1")
            ])
        #expect(throws: CompiledForm.CompileError.cyclicFormula(form: "c", code: "1")) { _ = try CompiledForm(cyclic) }
        let dangling = Form(id: "d", title: "D", indicators: [Indicator(code: "1", name: "A", unit: .count, partOf: "9")])
        #expect(throws: CompiledForm.CompileError.self) { _ = try CompiledForm(dangling) }
    }
}

@Suite("Values files")
struct ValuesFileTests {
    @Test func quotedCellsAndNotes() throws {
        let rows = try ValuesFile.parse("code,value,note\n6.3,\"97,1\",\n6.3.1,29140,\"ghi chú, có dấu phẩy\"\n6.1.\t,1,\n")
        #expect(rows.count == 3)
        #expect(rows[0].value == "97,1")
        #expect(rows[1].note == "ghi chú, có dấu phẩy")
    }

    @Test func badFilesSayWhatIsWrong() {
        #expect(throws: ValuesFile.ParseError.empty) { try ValuesFile.parse("") }
        #expect(throws: ValuesFile.ParseError.missingColumn("value")) { try ValuesFile.parse("code,gia_tri\n1,2\n") }
        #expect(throws: ValuesFile.ParseError.badRow(line: 2, reason: "cần ít nhất 2 cột, có 1.")) {
            try ValuesFile.parse("code,value\n1\n")
        }
    }
}
