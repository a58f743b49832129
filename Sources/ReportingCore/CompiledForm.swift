/// A form with its expressions parsed and bound to slots, built once and
/// shared: validation and consolidation run on arrays indexed by slot.
public final class CompiledForm: Sendable {
    public let form: Form
    public let slotByCode: [String: Int]
    public let childSlots: [[Int]]
    /// Formula slots in dependency order, so a ratio of ratios sees its inputs.
    public let formulas: [(slot: Int, expression: CompiledExpression, source: String)]
    public let rules: [(rule: FormRule, slot: Int, expression: CompiledExpression)]
    public let shareConditions: [Int: CompiledExpression]
    public let partOfSlot: [Int?]
    /// Each formula as printed on the form, with × for *; the data-entry page shows them on every view.
    public let printedFormulas: [String?]

    public var indicators: [Indicator] { form.indicators }
    public var id: String { form.id }

    public enum CompileError: Error, Sendable, Equatable, CustomStringConvertible {
        case duplicateCode(form: String, code: String)
        case expression(form: String, code: String, ExpressionError)
        case unknownCode(form: String, field: String, code: String)
        case cyclicFormula(form: String, code: String)
        case missingChoices(form: String, code: String)
        case tooManyIndicators(form: String, count: Int)

        public var description: String {
            switch self {
            case .duplicateCode(let form, let code): return "Biểu mẫu \(form): mã chỉ tiêu \(code) bị trùng."
            case .expression(let form, let code, let error): return "Biểu mẫu \(form), chỉ tiêu \(code): \(error)."
            case .unknownCode(let form, let field, let code): return "Biểu mẫu \(form): \(field) tham chiếu chỉ tiêu \(code) không tồn tại."
            case .cyclicFormula(let form, let code): return "Biểu mẫu \(form): công thức của chỉ tiêu \(code) tham chiếu vòng tròn."
            case .missingChoices(let form, let code):
                return "Biểu mẫu \(form): chỉ tiêu mã hóa \(code) chưa khai báo các giá trị (choices)."
            case .tooManyIndicators(let form, let count):
                return "Biểu mẫu \(form) có \(count) chỉ tiêu, quá giới hạn \(CompiledForm.maxIndicators); hãy tách thành nhiều biểu mẫu."
            }
        }
    }

    /// Most rows in one form: the largest real form has a few hundred. Also bounds
    /// the depth of the formula ordering below, which recurses along dependencies.
    public static let maxIndicators = 5_000

    public init(_ form: Form) throws(CompileError) {
        guard form.indicators.count <= CompiledForm.maxIndicators else {
            throw .tooManyIndicators(form: form.id, count: form.indicators.count)
        }
        self.form = form
        var slots: [String: Int] = [:]
        for (slot, indicator) in form.indicators.enumerated() {
            guard slots[indicator.code] == nil else { throw .duplicateCode(form: form.id, code: indicator.code) }
            slots[indicator.code] = slot
            if indicator.unit == .coded && (indicator.choices ?? []).isEmpty { throw .missingChoices(form: form.id, code: indicator.code) }
        }
        var children = Array(repeating: [Int](), count: form.indicators.count)
        for (slot, indicator) in form.indicators.enumerated() {
            if let parent = indicator.parentCode, let parentSlot = slots[parent] { children[parentSlot].append(slot) }
        }
        let childCodes: (String) -> [String] = { code in
            slots[code].map { children[$0].map { form.indicators[$0].code } } ?? []
        }
        func compile(_ source: String, code: String) throws(CompileError) -> (Expression, CompiledExpression) {
            do {
                let parsed = try ExpressionParser.parse(source)
                return (parsed, try CompiledExpression.compile(parsed, source: source, slots: slots, children: childCodes))
            } catch {
                throw .expression(form: form.id, code: code, error)
            }
        }

        var formulaBySlot: [Int: (Expression, CompiledExpression, String)] = [:]
        var shares: [Int: CompiledExpression] = [:]
        var partOf = [Int?](repeating: nil, count: form.indicators.count)
        for (slot, indicator) in form.indicators.enumerated() {
            if let formula = indicator.formula {
                let (parsed, compiled) = try compile(formula, code: indicator.code)
                formulaBySlot[slot] = (parsed, compiled, formula)
            }
            if let share = indicator.shareOfUnits {
                shares[slot] = try compile(share.when, code: indicator.code).1
            }
            if let total = indicator.partOf {
                guard let totalSlot = slots[total] else {
                    throw .unknownCode(form: form.id, field: "part_of của \(indicator.code)", code: total)
                }
                partOf[slot] = totalSlot
            }
        }
        // Order formulas so that each is evaluated after the formulas it reads.
        var ordered: [(slot: Int, expression: CompiledExpression, source: String)] = []
        var state: [Int: Int] = [:] // 1 visiting, 2 done
        func visit(_ slot: Int) throws(CompileError) {
            guard let (parsed, compiled, source) = formulaBySlot[slot] else { return }
            if state[slot] == 2 { return }
            if state[slot] == 1 { throw .cyclicFormula(form: form.id, code: form.indicators[slot].code) }
            state[slot] = 1
            for reference in parsed.references { if let dependency = slots[reference] { try visit(dependency) } }
            state[slot] = 2
            ordered.append((slot, compiled, source))
        }
        for slot in formulaBySlot.keys.sorted() { try visit(slot) }

        var compiledRules: [(rule: FormRule, slot: Int, expression: CompiledExpression)] = []
        for rule in form.rules {
            guard let slot = slots[rule.code] else { throw .unknownCode(form: form.id, field: "quy tắc", code: rule.code) }
            compiledRules.append((rule, slot, try compile(rule.check, code: rule.code).1))
        }
        self.slotByCode = slots
        self.childSlots = children
        self.formulas = ordered
        self.rules = compiledRules
        self.shareConditions = shares
        self.partOfSlot = partOf
        self.printedFormulas = form.indicators.map { indicator in
            indicator.formula.map { String($0.map { $0 == "*" ? "×" : $0 }) }
        }
    }

    public var slotCount: Int { form.indicators.count }

    /// Values of computed rows from their parts, in place; a missing part
    /// leaves the entered value (if any) standing.
    public func computeFormulas(_ values: inout [Double?], previous: [Double?]? = nil) -> [Int: Double] {
        var computed: [Int: Double] = [:]
        for (slot, expression, _) in formulas {
            if let value = expression.evaluate(values, previous: previous) {
                values[slot] = value
                computed[slot] = value
            }
        }
        return computed
    }
}
