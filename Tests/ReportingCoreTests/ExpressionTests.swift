import Testing

@testable import ReportingCore

@Suite("Formulas and rules")
struct ExpressionTests {
    let slots = ["6.3": 0, "6.3.1": 1, "6.3.2": 2, "6": 3]

    func evaluate(_ source: String, _ values: [Double?], previous: [Double?]? = nil, own: Double? = nil) throws -> Double? {
        let parsed = try ExpressionParser.parse(source)
        let compiled = try CompiledExpression.compile(parsed, source: source, slots: slots) { code in
            code == "6" ? ["6.3"] : code == "6.3" ? ["6.3.1", "6.3.2"] : []
        }
        return compiled.evaluate(values, previous: previous, own: own)
    }

    @Test func arithmeticAndPrecedence() throws {
        let ratio = try #require(try evaluate("[6.3.2] / [6.3.1] * 100", [nil, 29140, 28295, nil]))
        #expect(abs(ratio - 97.1002) < 0.0001)
        #expect(try evaluate("1 + 2 * 3 - -1", []) == 8)
        #expect(try evaluate("(1 + 2) * 3", []) == 9)
    }

    @Test func comparisonsAndLogic() throws {
        #expect(try evaluate("[6.3.2] <= [6.3.1]", [nil, 28, 277, nil]) == 0)
        #expect(try evaluate("[6.3.2] <= [6.3.1] and 1 < 2", [nil, 300, 277, nil]) == 1)
        #expect(try evaluate("1 > 2 or 2 >= 2", []) == 1)
        #expect(try evaluate("not (1 == 1)", []) == 0)
        #expect(try evaluate("1 != 1", []) == 0)
    }

    @Test func missingValuesAndDivisionByZero() throws {
        #expect(try evaluate("[6.3.2] / [6.3.1]", [nil, 0, 5, nil]) == nil)
        #expect(try evaluate("[6.3.2] + 1", [nil, nil, nil, nil]) == nil)
        #expect(try evaluate("[6.3.2] <= [6.3.1]", [nil, nil, 5, nil]) == nil)
        // Three-valued logic: false wins in `and`, true wins in `or`.
        #expect(try evaluate("[6.3.2] > 1 and 1 > 2", [nil, nil, nil, nil]) == 0)
        #expect(try evaluate("[6.3.2] > 1 or 2 > 1", [nil, nil, nil, nil]) == 1)
        #expect(try evaluate("[6.3.2] > 1 and 2 > 1", [nil, nil, nil, nil]) == nil)
    }

    @Test func functions() throws {
        #expect(try evaluate("sum_children([6.3])", [nil, 10, 5, nil]) == 15)
        #expect(try evaluate("sum_children([6.3])", [nil, nil, nil, nil]) == nil)
        #expect(try evaluate("count([6.3.1], [6.3.2], [6.3])", [nil, 10, nil, nil]) == 1)
        #expect(try evaluate("min([6.3.1], [6.3.2])", [nil, 10, 5, nil]) == 5)
        #expect(try evaluate("max([6.3.1], [6.3.2], 12)", [nil, 10, 5, nil]) == 12)
        #expect(try evaluate("abs(1 - 4)", []) == 3)
        #expect(try evaluate("if([6.3.1] > 5, 1, 2)", [nil, 10, nil, nil]) == 1)
        #expect(try evaluate("if([6.3.1] > 5, 1, 2)", [nil, nil, nil, nil]) == nil)
        #expect(try evaluate("value >= 100", [], own: 100) == 1)
    }

    @Test func previousPeriod() throws {
        #expect(try evaluate("[6.3.1] - prev([6.3.1])", [nil, 120, nil, nil], previous: [nil, 100, nil, nil]) == 20)
        #expect(try evaluate("prev([6.3.1])", [nil, 120, nil, nil]) == nil)
    }

    @Test(arguments: ["[6.3.1] +", "([6.3.1]", "foo(1)", "[6.3.1] $ 2", "prev(1)", "if(1, 2)", "[]", "abs()"])
    func syntaxErrorsAreReported(source: String) {
        #expect(throws: ExpressionError.self) { _ = try evaluate(source, []) }
    }

    @Test func unknownCodeIsReported() {
        #expect(throws: ExpressionError.self) { _ = try evaluate("[9.9] + 1", []) }
    }
}
