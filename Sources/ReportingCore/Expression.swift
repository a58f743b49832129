import Foundation

/// The small expression language of formulas and rules:
///
///     [6.3.2] / [6.3.1] * 100
///     [6.1.3] <= [6.1.2]
///     abs([6.3] - prev([6.3])) <= 20 or [6.3] == 0
///     value >= 100
///
/// Semantics, chosen so that a rule never crashes and never lies:
/// - a missing value makes arithmetic and comparisons missing;
/// - division by zero is missing, and so is any result that is not a finite
///   number (an overflow to infinity), so evaluation never traps nor lies;
/// - `and` is false if either side is false, `or` is true if either side is true,
///   otherwise missing; a rule whose result is missing is not checked;
/// - `sum_children`, `min`, `max`, `count` skip missing arguments
///   (`sum_children` of all-missing children is missing, `count` is 0).
public indirect enum Expression: Sendable, Equatable {
    case number(Double)
    case reference(String)
    case previous(String)
    case ownValue
    case negate(Expression)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression)
    case call(String, [Expression])

    public enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
        case and, or
    }

    public static let functions: Set<String> = ["sum_children", "count", "min", "max", "abs", "if", "prev"]

    /// Every indicator code the expression reads (current period).
    public var references: [String] {
        switch self {
        case .reference(let code): return [code]
        case .previous(let code): return [code]
        case .number, .ownValue: return []
        case .negate(let inner), .not(let inner): return inner.references
        case .binary(_, let lhs, let rhs): return lhs.references + rhs.references
        case .call(_, let arguments): return arguments.flatMap(\.references)
        }
    }
}

public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public let source: String
    public var description: String { "\(message) (trong biểu thức “\(source)”)" }
}

/// Recursive-descent parser for `Expression`.
public struct ExpressionParser {
    enum Token: Equatable {
        case number(Double)
        case reference(String)
        case identifier(String)
        case symbol(String)
        case open, close, comma
    }

    let source: String
    var tokens: [Token] = []
    var position = 0
    var depth = 0

    /// Longest formula or rule, in characters.
    public static let maxLength = 2_000
    /// Most tokens (numbers, codes, operators): also bounds the depth of a chain like 1+1+…+1.
    public static let maxTokens = 400
    /// Deepest nesting of parentheses, function calls, unary minus and `not`.
    public static let maxDepth = 32

    public static func parse(_ source: String) throws(ExpressionError) -> Expression {
        guard source.utf8.count <= maxLength * 4, source.count <= maxLength else {
            throw ExpressionError(
                message: "Biểu thức dài quá \(maxLength) ký tự; hãy tách thành nhiều chỉ tiêu hoặc quy tắc ngắn hơn",
                source: String(source.prefix(60)) + "…")
        }
        var parser = ExpressionParser(source: source)
        try parser.tokenize()
        let expression = try parser.parseOr()
        guard parser.position == parser.tokens.count else { throw parser.failure("Thừa ký tự ở cuối") }
        return expression
    }

    init(source: String) { self.source = source }

    func failure(_ message: String) -> ExpressionError { ExpressionError(message: message, source: source) }

    mutating func tokenize() throws(ExpressionError) {
        let characters = Array(source)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character == "[" {
                guard let end = characters[index...].firstIndex(of: "]") else { throw failure("Thiếu dấu ]") }
                let code = String(characters[(index + 1)..<end]).trimmingCharacters(in: .whitespaces)
                guard !code.isEmpty else { throw failure("Mã chỉ tiêu trống trong []") }
                tokens.append(.reference(code))
                index = end + 1
            } else if character.isASCIIDigit || (character == "." && index + 1 < characters.count && characters[index + 1].isASCIIDigit) {
                var end = index
                while end < characters.count && (characters[end].isASCIIDigit || characters[end] == ".") { end += 1 }
                guard let value = Double(String(characters[index..<end])), value.isFinite, abs(value) < 1e15 else {
                    throw failure("Số “\(String(characters[index..<end]).prefix(30))” không hợp lệ hoặc quá lớn")
                }
                tokens.append(.number(value))
                index = end
            } else if character.isLetter || character == "_" {
                var end = index
                while end < characters.count && (characters[end].isLetter || characters[end].isNumber || characters[end] == "_") {
                    end += 1
                }
                tokens.append(.identifier(String(characters[index..<end]).lowercased()))
                index = end
            } else if character == "(" {
                tokens.append(.open); index += 1
            } else if character == ")" {
                tokens.append(.close); index += 1
            } else if character == "," {
                tokens.append(.comma); index += 1
            } else {
                let pair = index + 1 < characters.count ? String(characters[index...(index + 1)]) : ""
                if ["<=", ">=", "==", "!=", "&&", "||"].contains(pair) {
                    tokens.append(.symbol(pair == "&&" ? "and" : pair == "||" ? "or" : pair))
                    index += 2
                } else if "+-*/<>".contains(character) {
                    tokens.append(.symbol(String(character)))
                    index += 1
                } else if character == "=" {
                    tokens.append(.symbol("=="))
                    index += 1
                } else {
                    throw failure("Ký tự không hợp lệ “\(character)”")
                }
            }
            if tokens.count > ExpressionParser.maxTokens {
                throw failure(
                    "Biểu thức có quá \(ExpressionParser.maxTokens) thành phần; hãy tách thành nhiều chỉ tiêu hoặc quy tắc ngắn hơn")
            }
        }
    }

    /// Counts one more level of nesting; refuses beyond `maxDepth` so hostile input cannot exhaust the stack.
    mutating func enter() throws(ExpressionError) {
        depth += 1
        if depth > ExpressionParser.maxDepth {
            throw failure("Biểu thức lồng nhau quá \(ExpressionParser.maxDepth) cấp (ngoặc, hàm, dấu trừ); hãy viết gọn lại")
        }
    }

    var current: Token? { position < tokens.count ? tokens[position] : nil }

    mutating func take(_ token: Token) -> Bool {
        if current == token { position += 1; return true }
        return false
    }

    mutating func parseOr() throws(ExpressionError) -> Expression {
        var lhs = try parseAnd()
        while take(.identifier("or")) || take(.symbol("or")) { lhs = .binary(.or, lhs, try parseAnd()) }
        return lhs
    }

    mutating func parseAnd() throws(ExpressionError) -> Expression {
        var lhs = try parseNot()
        while take(.identifier("and")) || take(.symbol("and")) { lhs = .binary(.and, lhs, try parseNot()) }
        return lhs
    }

    mutating func parseNot() throws(ExpressionError) -> Expression {
        if take(.identifier("not")) {
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(ExpressionError) -> Expression {
        let lhs = try parseAdditive()
        for op in [Expression.BinaryOperator.lessOrEqual, .greaterOrEqual, .equal, .notEqual, .less, .greater]
        where take(.symbol(op.rawValue)) {
            return .binary(op, lhs, try parseAdditive())
        }
        return lhs
    }

    mutating func parseAdditive() throws(ExpressionError) -> Expression {
        var lhs = try parseMultiplicative()
        while true {
            if take(.symbol("+")) {
                lhs = .binary(.add, lhs, try parseMultiplicative())
            } else if take(.symbol("-")) {
                lhs = .binary(.subtract, lhs, try parseMultiplicative())
            } else {
                return lhs
            }
        }
    }

    mutating func parseMultiplicative() throws(ExpressionError) -> Expression {
        var lhs = try parseUnary()
        while true {
            if take(.symbol("*")) {
                lhs = .binary(.multiply, lhs, try parseUnary())
            } else if take(.symbol("/")) {
                lhs = .binary(.divide, lhs, try parseUnary())
            } else {
                return lhs
            }
        }
    }

    mutating func parseUnary() throws(ExpressionError) -> Expression {
        if take(.symbol("-")) {
            try enter()
            defer { depth -= 1 }
            return .negate(try parseUnary())
        }
        if take(.symbol("+")) {
            try enter()
            defer { depth -= 1 }
            return try parseUnary()
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(ExpressionError) -> Expression {
        guard let token = current else { throw failure("Biểu thức kết thúc đột ngột") }
        position += 1
        switch token {
        case .number(let value): return .number(value)
        case .reference(let code): return .reference(code)
        case .open:
            try enter()
            defer { depth -= 1 }
            let inner = try parseOr()
            guard take(.close) else { throw failure("Thiếu dấu )") }
            return inner
        case .identifier("value"): return .ownValue
        case .identifier("true"): return .number(1)
        case .identifier("false"): return .number(0)
        case .identifier(let name):
            guard Expression.functions.contains(name) else { throw failure("Hàm không xác định “\(name)”") }
            guard take(.open) else { throw failure("Thiếu dấu ( sau \(name)") }
            try enter()
            defer { depth -= 1 }
            var arguments: [Expression] = []
            if !take(.close) {
                repeat { arguments.append(try parseOr()) } while take(.comma)
                guard take(.close) else { throw failure("Thiếu dấu ) sau các tham số của \(name)") }
            }
            return try makeCall(name, arguments)
        default:
            throw failure("Không mong đợi ký hiệu ở vị trí \(position)")
        }
    }

    func makeCall(_ name: String, _ arguments: [Expression]) throws(ExpressionError) -> Expression {
        switch name {
        case "prev":
            guard arguments.count == 1, case .reference(let code) = arguments[0] else {
                throw failure("prev() nhận đúng một mã chỉ tiêu, ví dụ prev([6.3])")
            }
            return .previous(code)
        case "sum_children":
            guard arguments.count == 1, case .reference = arguments[0] else {
                throw failure("sum_children() nhận đúng một mã chỉ tiêu, ví dụ sum_children([6])")
            }
        case "abs":
            guard arguments.count == 1 else { throw failure("abs() nhận đúng một tham số") }
        case "if":
            guard arguments.count == 3 else { throw failure("if() nhận ba tham số: điều kiện, giá trị nếu đúng, giá trị nếu sai") }
        default:
            guard !arguments.isEmpty else { throw failure("\(name)() cần ít nhất một tham số") }
        }
        return .call(name, arguments)
    }
}

/// An expression bound to slots of a form, ready to evaluate many times fast.
public indirect enum CompiledExpression: Sendable {
    case constant(Double?)
    case slot(Int)
    case previousSlot(Int)
    case ownValue
    case negate(CompiledExpression)
    case not(CompiledExpression)
    case binary(Expression.BinaryOperator, CompiledExpression, CompiledExpression)
    case sum([CompiledExpression])
    case count([CompiledExpression])
    case minimum([CompiledExpression])
    case maximum([CompiledExpression])
    case absolute(CompiledExpression)
    case conditional(CompiledExpression, CompiledExpression, CompiledExpression)

    /// Binds codes to slots. `children` lists the child codes of a code, for sum_children.
    public static func compile(
        _ expression: Expression, source: String, slots: [String: Int],
        children: (String) -> [String]
    ) throws(ExpressionError) -> CompiledExpression {
        func bind(_ code: String) throws(ExpressionError) -> Int {
            guard let slot = slots[code] else {
                throw ExpressionError(message: "Không có chỉ tiêu mã \(code) trong biểu mẫu", source: source)
            }
            return slot
        }
        func go(_ node: Expression) throws(ExpressionError) -> CompiledExpression {
            switch node {
            case .number(let value): return .constant(value)
            case .reference(let code): return .slot(try bind(code))
            case .previous(let code): return .previousSlot(try bind(code))
            case .ownValue: return .ownValue
            case .negate(let inner): return .negate(try go(inner))
            case .not(let inner): return .not(try go(inner))
            case .binary(let op, let lhs, let rhs): return .binary(op, try go(lhs), try go(rhs))
            case .call(let name, let arguments):
                // The parser checks these counts; an Expression built by hand may not.
                let needed = ["sum_children": 1, "abs": 1, "if": 3, "prev": 1][name]
                guard Expression.functions.contains(name), needed.map({ $0 == arguments.count }) ?? !arguments.isEmpty || name == "count"
                else {
                    throw ExpressionError(message: "Hàm \(name) không đúng số tham số", source: source)
                }
                if name == "sum_children", case .reference(let code)? = arguments.first {
                    _ = try bind(code)
                    var parts: [CompiledExpression] = []
                    for child in children(code) { parts.append(.slot(try bind(child))) }
                    return .sum(parts)
                }
                var compiled: [CompiledExpression] = []
                for argument in arguments { compiled.append(try go(argument)) }
                switch name {
                case "count": return .count(compiled)
                case "min": return .minimum(compiled)
                case "max": return .maximum(compiled)
                case "abs" where compiled.count == 1: return .absolute(compiled[0])
                case "if" where compiled.count == 3: return .conditional(compiled[0], compiled[1], compiled[2])
                default: throw ExpressionError(message: "Hàm \(name) không đúng số tham số", source: source)
                }
            }
        }
        return try go(expression)
    }

    /// Evaluates with `values[slot]` for this period and `previous[slot]` for the last.
    @inlinable
    public func evaluate(_ values: UnsafeBufferPointer<Double?>, previous: UnsafeBufferPointer<Double?>?, own: Double? = nil) -> Double? {
        switch self {
        case .constant(let value): return value
        case .slot(let slot): return slot >= 0 && slot < values.count ? values[slot] : nil
        case .previousSlot(let slot):
            guard let previous, slot >= 0, slot < previous.count else { return nil }
            return previous[slot]
        case .ownValue: return own
        case .negate(let inner): return inner.evaluate(values, previous: previous, own: own).map { -$0 }
        case .not(let inner): return inner.evaluate(values, previous: previous, own: own).map { $0 == 0 ? 1 : 0 }
        case .binary(let op, let lhs, let rhs):
            let left = lhs.evaluate(values, previous: previous, own: own)
            if op == .and, left == 0 { return 0 }
            if op == .or, let left, left != 0 { return 1 }
            let right = rhs.evaluate(values, previous: previous, own: own)
            switch op {
            case .and:
                if right == 0 { return 0 }
                guard left != nil, right != nil else { return nil }
                return 1
            case .or:
                if let right, right != 0 { return 1 }
                guard left != nil, right != nil else { return nil }
                return 0
            default:
                guard let left, let right else { return nil }
                return CompiledExpression.apply(op, left, right)
            }
        case .sum(let parts):
            var total = 0.0, any = false
            for part in parts { if let value = part.evaluate(values, previous: previous, own: own) { total += value; any = true } }
            return any && total.isFinite ? total : nil
        case .count(let parts):
            return Double(parts.reduce(0) { $0 + ($1.evaluate(values, previous: previous, own: own) == nil ? 0 : 1) })
        case .minimum(let parts):
            return parts.compactMap { $0.evaluate(values, previous: previous, own: own) }.min()
        case .maximum(let parts):
            return parts.compactMap { $0.evaluate(values, previous: previous, own: own) }.max()
        case .absolute(let inner): return inner.evaluate(values, previous: previous, own: own).map(Swift.abs)
        case .conditional(let condition, let then, let otherwise):
            guard let test = condition.evaluate(values, previous: previous, own: own) else { return nil }
            return test != 0
                ? then.evaluate(values, previous: previous, own: own) : otherwise.evaluate(values, previous: previous, own: own)
        }
    }

    /// Convenience for tests and one-off use.
    public func evaluate(_ values: [Double?], previous: [Double?]? = nil, own: Double? = nil) -> Double? {
        values.withUnsafeBufferPointer { current in
            if let previous {
                return previous.withUnsafeBufferPointer { evaluate(current, previous: $0, own: own) }
            }
            return evaluate(current, previous: nil, own: own)
        }
    }

    /// Overflow to infinity (or NaN from infinities) is a missing value, never a figure.
    @usableFromInline
    static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }

    @usableFromInline
    static func apply(_ op: Expression.BinaryOperator, _ left: Double, _ right: Double) -> Double? {
        // Comparisons tolerate floating error from ratios computed in Double.
        let epsilon = 1e-9 * Swift.max(1, Swift.abs(left), Swift.abs(right))
        switch op {
        case .add: return finite(left + right)
        case .subtract: return finite(left - right)
        case .multiply: return finite(left * right)
        case .divide: return right == 0 ? nil : finite(left / right)
        case .less: return left < right - epsilon ? 1 : 0
        case .lessOrEqual: return left <= right + epsilon ? 1 : 0
        case .greater: return left > right + epsilon ? 1 : 0
        case .greaterOrEqual: return left >= right - epsilon ? 1 : 0
        case .equal: return Swift.abs(left - right) <= epsilon ? 1 : 0
        case .notEqual: return Swift.abs(left - right) > epsilon ? 1 : 0
        case .and, .or: return nil
        }
    }
}
