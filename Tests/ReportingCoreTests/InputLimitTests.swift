import Foundation
import Testing

@testable import ReportingCore

@Suite("Limits on what users send")
struct InputLimitTests {
    @Test func expressionNestingIsBounded() throws {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(deep) }
        let nested = String(repeating: "(", count: 40) + "1" + String(repeating: ")", count: 40)
        do { _ = try ExpressionParser.parse(nested); Issue.record("40 levels parsed") } catch {
            #expect(error.message.contains("lồng nhau quá 32 cấp"))
        }
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(String(repeating: "-", count: 1_000) + "1") }
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(String(repeating: "not ", count: 100) + "1") }
        #expect(throws: ExpressionError.self) {
            try ExpressionParser.parse(String(repeating: "abs(", count: 100) + "1" + String(repeating: ")", count: 100))
        }
        #expect(try ExpressionParser.parse(String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)) == .number(1))
    }

    @Test func expressionLengthAndTokensAreBounded() {
        let chain = (0..<300).map { _ in "1" }.joined(separator: "+")
        do { _ = try ExpressionParser.parse(chain); Issue.record("599 tokens parsed") } catch {
            #expect(error.message.contains("quá 400 thành phần"))
        }
        do { _ = try ExpressionParser.parse(String(repeating: " ", count: 3_000) + "1"); Issue.record("3,000 characters parsed") } catch {
            #expect(error.message.contains("dài quá 2000 ký tự"))
        }
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(String(repeating: "9", count: 400)) }
    }

    @Test func evaluationIsTotal() throws {
        let source = "[a] * [a] * [a] + [b] / ([a] - [a])"
        let compiled = try CompiledExpression.compile(
            ExpressionParser.parse(source), source: source, slots: ["a": 0, "b": 1],
            children: { _ in [] })
        #expect(compiled.evaluate([1e200, 1]) == nil)
        #expect(compiled.evaluate([2, 1]) == nil)
        let product = try CompiledExpression.compile(
            ExpressionParser.parse("[a] * [a]"), source: "", slots: ["a": 0], children: { _ in [] })
        #expect(product.evaluate([1e200]) == nil)
        #expect(product.evaluate([3]) == 9)
        // Fewer values than slots read as missing.
        #expect(product.evaluate([]) == nil)
        // A hand-built call with the wrong arguments is refused, not indexed.
        #expect(throws: ExpressionError.self) {
            try CompiledExpression.compile(.call("abs", []), source: "abs()", slots: [:], children: { _ in [] })
        }
        #expect(throws: ExpressionError.self) {
            try CompiledExpression.compile(.call("sum_children", []), source: "sum_children()", slots: [:], children: { _ in [] })
        }
    }

    @Test func formBodyDecodes() {
        let decoded = FormURLEncoded.decode(Array("v%5B6.3.1%5D=1.609.226&n[6.3.1]=ghi+ch%C3%BA&&flag&csrf=".utf8))
        #expect(
            decoded.fields == [
                .init(name: "v[6.3.1]", value: "1.609.226"), .init(name: "n[6.3.1]", value: "ghi chú"),
                .init(name: "flag", value: ""), .init(name: "csrf", value: "")
            ])
        #expect(decoded.isWellFormed && decoded.problem == nil)
        let broken = FormURLEncoded.decode(Array("a=%zz&b=%C3&c=%4&d=ok".utf8))
        #expect(broken.fields == [.init(name: "d", value: "ok")])
        #expect(broken.malformed == 3 && broken.problem?.contains("lỗi mã hóa") == true)
    }

    @Test func formBodyLimits() {
        let limits = FormURLEncoded.Limits(maxFields: 2, maxNameBytes: 4, maxValueBytes: 5)
        let many = FormURLEncoded.decode(Array("a=1&b=2&c=3&d=4".utf8), limits: limits)
        #expect(many.fields.map(\.name) == ["a", "b"] && many.overLimit == 2)
        #expect(many.problem?.contains("quá lớn") == true)
        let long = FormURLEncoded.decode(Array("name=123456&toolong=1&ok=%41%42".utf8), limits: limits)
        #expect(long.fields == [.init(name: "ok", value: "AB")] && long.overLimit == 2)
    }

    @Test func unitFiles() throws {
        let units = try UnitFile.parseCSV("code,name,kind,parent_code\nT,Tỉnh A,province,\nH1,Huyện B,huyện,T\n")
        #expect(units.map(\.code) == ["T", "H1"] && units[1].parentCode == "T" && units[1].kind == .district)
        #expect(throws: UnitFile.ParseError.self) {
            try UnitFile.parseCSV("code,name,kind\nT,\(String(repeating: "a", count: 400)),province\n")
        }
        #expect(throws: UnitFile.ParseError.self) { try UnitFile.parseCSV("code,name\nT,Tỉnh A\n") }
        let json = #"[{"code": 1, "name": "Hà Nội", "wards": [{"code": "00004", "name": "Ba Đình"}]}]"#
        let fromJSON = try UnitFile.parseProvincesJSON(Data(json.utf8), root: nil)
        #expect(fromJSON.map(\.code) == ["P1", "W00004"])
        do { _ = try UnitFile.parseProvincesJSON(Data("{\"a\": 1}".utf8), root: nil); Issue.record("object accepted") } catch {
            #expect(error.description.contains("vietnam-provinces"))
        }
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: UnitFile.ParseError.self) { try UnitFile.parseProvincesJSON(deep, root: nil) }
    }

    @Test func unitCodesAreIdentifiersNamesHaveNoControlCharactersAndEachCodeComesOnce() throws {
        func refusal(_ csv: String) -> String {
            do { _ = try UnitFile.parseCSV(csv); return "" } catch { return error.description }
        }
        let head = "code,name,kind,parent_code\n"
        #expect(refusal(head + "T\u{0},Tỉnh A,province,\n").contains("mã đơn vị “T?” không hợp lệ"))
        #expect(refusal(head + "T,Tỉnh\u{7}A,province,\n").contains("có ký tự điều khiển"))
        #expect(refusal(head + "T,Tỉnh A,province,\nH,Huyện,district,T x\n").contains("mã đơn vị cấp trên của H"))
        #expect(refusal(head + "T,Tỉnh A,province,\nT,Tỉnh B,province,\n").contains("Mã đơn vị T có hai lần trong tệp"))
        #expect(try UnitFile.parseCSV(head + "000.00.00.H05,UBND tỉnh Bắc Giang,province,\n").map(\.code) == ["000.00.00.H05"])
    }

    @Test func yamlShapeIsCheckedBeforeDecoding() throws {
        let deep = "id: x\ngroups: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        do { _ = try PlanCheck.load(yaml: deep, name: "plan-deep.yaml", library: Fixtures.library); Issue.record("deep plan loaded") } catch
        {
            #expect(error.description.contains("lồng nhau quá 32 cấp"))
        }
        let bomb =
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        #expect(YAMLLimits.problem(in: bomb, name: "plan-bomb.yaml")?.contains("bí danh") == true)
        #expect(throws: FormLibrary.LoadError.self) { try FormLibrary.decode(TargetPlan.self, yaml: bomb, name: "plan-bomb.yaml") }
        // A list as a key: Yams force-unwraps keys as strings (found by FuzzPlanYAML).
        let complexKey = "id: x\ngroups:\n  ? - code\n  : 1\n"
        #expect(YAMLLimits.problem(in: complexKey, name: "plan-key.yaml")?.contains("làm khóa") == true)
        #expect(throws: PlanCheck.Failure.self) { try PlanCheck.load(yaml: complexKey, name: "plan-key.yaml", library: Fixtures.library) }
        #expect(YAMLLimits.problem(in: "a: {b: [1, {c: d}]}\ne: [x, y]\n", name: "ok.yaml") == nil)
        let huge = String(repeating: "# chú thích\n", count: 200_000)
        #expect(YAMLLimits.problem(in: huge, name: "plan-big.yaml")?.contains("quá lớn") == true)
        // The shipped files pass, formulas with "*" included.
        // Forms/dossiers/ holds the dossier figure maps: checked too.
        let folders = [FormLibrary.builtInDirectory, FormLibrary.builtInDirectory.appendingPathComponent("dossiers")]
        for file in try folders.flatMap({ try FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil) })
        where file.pathExtension == "yaml" {
            #expect(YAMLLimits.problem(in: try String(contentsOf: file, encoding: .utf8), name: file.lastPathComponent) == nil)
        }
    }

    @Test func planThresholdBeyondTheBoundIsRefused() {
        let yaml = """
            id: kh-test
            title: Kế hoạch thử
            groups:
              - code: I
                name: Nhóm I
                targets:
                  - code: I.1
                    name: Số hồ sơ
                    unit: count
                    threshold: {op: ">=", value: 1.0e15}
            """
        do { _ = try PlanCheck.load(yaml: yaml, name: "plan-test.yaml", library: Fixtures.library); Issue.record("loaded") } catch {
            #expect(error.description.contains("I.1") && error.description.contains("vượt quá giới hạn"))
        }
    }

    @Test func valuesFileAndRegisterLinesAreBounded() {
        let longCell = "code,value\n6.3.1,\(String(repeating: "1", count: 20_000))\n"
        #expect(throws: ValuesFile.ParseError.self) { try ValuesFile.parse(longCell) }
        #expect(throws: ValuesFile.ParseError.tooLarge(bytes: 6_000_011)) {
            try ValuesFile.parse("code,value\n" + String(repeating: "a", count: 6_000_000))
        }
        let line = "Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về " + String(repeating: "việc ", count: 2_000)
        #expect(throws: DocumentParseError.tooLong) { try DocumentReference.parsing(line) }
        let block = String(repeating: "x\n", count: 3_000)
        let result = DocumentRegister.parseLines(block)
        #expect(result.failures.count == 2_001 && result.failures.last?.error == .tooManyLines)
    }

    @Test func formsHaveABoundedNumberOfRows() {
        // A chain of formulas, each reading the previous: the ordering recurses along it.
        let rows = (0...CompiledForm.maxIndicators).map { index in
            Indicator(code: "r\(index)", name: "Dòng \(index)", unit: .count, formula: index == 0 ? nil : "[r\(index - 1)] + 1")
        }
        #expect(throws: CompiledForm.CompileError.tooManyIndicators(form: "big", count: CompiledForm.maxIndicators + 1)) {
            try CompiledForm(Form(id: "big", title: "Lớn", indicators: rows))
        }
        #expect((try? CompiledForm(Form(id: "ok", title: "Vừa", indicators: Array(rows.prefix(CompiledForm.maxIndicators))))) != nil)
    }
}
