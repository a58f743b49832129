/// One thing wrong with a filled form, on one row.
public struct ValidationProblem: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
        public var label: String { self == .error ? "Lỗi" : "Cảnh báo" }
    }

    public enum Kind: String, Sendable, Codable {
        case unknownIndicator, valueOnHeading, notANumber, ambiguousNumber, notAnInteger, negative
        case percentOutOfRange, invalidChoice, requiredMissing, partExceedsTotal, breakdownMismatch
        case ratioMismatch, jump, rule, notForLevel, outOfRange
    }

    public var code: String
    public var severity: Severity
    public var kind: Kind
    public var message: String
    /// The values involved, as shown to the user ("6.1.3" → "277").
    public var values: [String: String]
    /// A warning the officer explained with a note: shown, but not blocking.
    public var acknowledged: Bool

    public var blocksSending: Bool { severity == .error || !acknowledged }
}

/// A value as it stands after parsing: a number or a text.
public enum CellValue: Sendable, Hashable, Codable {
    case number(ExactNumber)
    case text(String)

    public var number: ExactNumber? { if case .number(let n) = self { return n } else { return nil } }
}

/// When a form is checked. While drafting, an empty required row is a
/// reminder (counted in `ValidationReport.missingRequired`), not an error: an
/// untouched form should not greet its officer with a wall of red. At sending
/// it is an error, and the report cannot go.
public enum ValidationMode: Sendable {
    case drafting, sending
}

/// The outcome of validating one filled form.
public struct ValidationReport: Sendable {
    public var problems: [ValidationProblem]
    /// Parsed values by code (only cells that parsed).
    public var values: [String: CellValue]
    /// Values of computed rows from their parts: the truth, whatever was entered.
    public var computed: [String: Double]
    /// Codes of required rows the unit fills that are still empty, in form
    /// order, in either mode (errors too when sending).
    public var missingRequired: [String] = []

    public var errors: [ValidationProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [ValidationProblem] { problems.filter { $0.severity == .warning } }
    public var canSend: Bool { !problems.contains { $0.blocksSending } }

    public func problems(for code: String) -> [ValidationProblem] { problems.filter { $0.code == code } }
}

/// Checks filled forms and returns every problem at once.
public struct Validator: Sendable {
    public let form: CompiledForm
    /// Counts and money that change by more than this factor from the unit's
    /// previous period get a warning, unless the row sets its own factor.
    public var defaultJumpFactor: Double = 10

    public init(form: CompiledForm) { self.form = form }

    /// Reads typed cells (`code → text`) by their indicators' kinds: what each
    /// holds, and the problems of single cells (not a number, out of range, not
    /// a choice). `validate` starts here; a save that only stores needs no more.
    public func parse(entries: [String: String]) -> (values: [String: CellValue], problems: [ValidationProblem]) {
        var problems: [ValidationProblem] = []
        var parsed: [String: CellValue] = [:]
        for (code, raw) in entries.sorted(by: { $0.key < $1.key }) {
            let text = raw.trimmed
            if text.isEmpty { continue }
            guard let slot = form.slotByCode[code] else {
                problems.append(
                    problem(
                        code, .error, .unknownIndicator,
                        "Biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu mã \(code). Kiểm tra lại cột mã (STT).", ["giá trị": text]))
                continue
            }
            let indicator = form.indicators[slot]
            switch indicator.unit {
            case .heading:
                problems.append(
                    problem(
                        code, .error, .valueOnHeading,
                        "Dòng \(indicator.code) “\(indicator.name)” là dòng tiêu đề, không nhập số liệu (đang có \(text)). Xóa giá trị hoặc nhập vào các chỉ tiêu con.",
                        [code: text]))
            case .text:
                parsed[code] = .text(text)
            case .coded:
                let choices = indicator.choices ?? []
                if case .success(let number) = VietnameseNumber.parse(text), number.isInteger,
                    choices.contains(where: { Double($0.value) == number.doubleValue })
                {
                    parsed[code] = .number(number.normalized)
                } else if let choice = choices.first(where: { $0.label.lowercased() == text.lowercased() }) {
                    parsed[code] = .number(ExactNumber(choice.value))
                } else {
                    let legend = choices.map { "\($0.value) (\($0.label))" }.joined(separator: ", ")
                    problems.append(
                        problem(
                            code, .error, .invalidChoice,
                            "Chỉ tiêu \(indicator.code) “\(indicator.name)” chỉ nhận một trong các giá trị \(legend); đang nhập “\(text)”.",
                            [code: text]))
                }
            case .count, .money, .percent:
                switch VietnameseNumber.parse(text) {
                case .failure(let error):
                    let kind: ValidationProblem.Kind = {
                        switch error {
                        case .ambiguousDot: return .ambiguousNumber
                        case .outOfRange: return .outOfRange
                        default: return .notANumber
                        }
                    }()
                    let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                    problems.append(
                        problem(code, .error, kind, "Chỉ tiêu \(indicator.code) “\(indicator.name)”: \(error.message)", [code: shown]))
                case .success(let number):
                    parsed[code] = .number(number)
                    problems.append(contentsOf: checkRange(indicator, number))
                }
            }
        }
        return (parsed, problems)
    }

    /// Validates cells as typed (`code → text`), with optional notes per row,
    /// the reporting unit's kind, and the unit's previous-period values.
    /// `mode`: drafting leaves empty required rows out of `problems`.
    public func validate(
        entries: [String: String], notes: [String: String] = [:], unitKind: UnitKind? = nil,
        previous: [String: ExactNumber]? = nil, mode: ValidationMode = .sending
    ) -> ValidationReport {
        var (parsed, problems) = parse(entries: entries)
        var values = [Double?](repeating: nil, count: form.slotCount)
        var exact = [ExactNumber?](repeating: nil, count: form.slotCount)
        for (code, value) in parsed {
            if let slot = form.slotByCode[code], let number = value.number {
                values[slot] = number.doubleValue
                exact[slot] = number
            }
        }
        var previousValues: [Double?]?
        if let previous {
            var slots = [Double?](repeating: nil, count: form.slotCount)
            for (code, number) in previous { if let slot = form.slotByCode[code] { slots[slot] = number.doubleValue } }
            previousValues = slots
        }
        let noted = Set(notes.filter { !$0.value.trimmed.isEmpty }.keys)
        var (more, computed) = check(
            values: values, exact: exact, previous: previousValues, unitKind: unitKind,
            present: Set(parsed.keys).union(entries.filter { !$0.value.trimmed.isEmpty }.keys))
        for index in more.indices where more[index].severity == .warning && noted.contains(more[index].code) {
            more[index].acknowledged = true
        }
        problems.append(contentsOf: more)
        for index in problems.indices where problems[index].severity == .warning && noted.contains(problems[index].code) {
            problems[index].acknowledged = true
        }
        let order = Dictionary(uniqueKeysWithValues: form.indicators.enumerated().map { ($1.code, $0) })
        problems.sort {
            (order[$0.code] ?? Int.max, $0.severity, $0.kind.rawValue) < (order[$1.code] ?? Int.max, $1.severity, $1.kind.rawValue)
        }
        var computedByCode: [String: Double] = [:]
        for (slot, value) in computed { computedByCode[form.indicators[slot].code] = value }
        let missing = problems.filter { $0.kind == .requiredMissing }.map(\.code)
        if mode == .drafting { problems.removeAll { $0.kind == .requiredMissing } }
        return ValidationReport(problems: problems, values: parsed, computed: computedByCode, missingRequired: missing)
    }

    func checkRange(_ indicator: Indicator, _ number: ExactNumber) -> [ValidationProblem] {
        let shown = VietnameseNumber.format(number)
        let code = indicator.code
        switch indicator.unit {
        case .count:
            if number.isNegative {
                return [
                    problem(
                        code, .error, .negative,
                        "Chỉ tiêu \(indicator.code) “\(indicator.name)” là số lượng, không thể âm (đang nhập \(shown)).", [code: shown])
                ]
            }
            if !number.isInteger {
                return [
                    problem(
                        code, .error, .notAnInteger,
                        "Chỉ tiêu \(indicator.code) “\(indicator.name)” đếm \(indicator.unitWord ?? "số lượng"), phải là số nguyên (đang nhập \(shown)).",
                        [code: shown])
                ]
            }
        case .money:
            if number.isNegative {
                return [
                    problem(
                        code, .error, .negative,
                        "Chỉ tiêu \(indicator.code) “\(indicator.name)” (triệu đồng) không thể âm (đang nhập \(shown)).", [code: shown])
                ]
            }
        case .percent:
            if number.isNegative || number.doubleValue > 100 {
                return [
                    problem(
                        code, .error, .percentOutOfRange,
                        "Chỉ tiêu \(indicator.code) “\(indicator.name)” là tỷ lệ phần trăm, phải từ 0 đến 100 (đang nhập \(shown)%).",
                        [code: shown])
                ]
            }
        default: break
        }
        return []
    }

    /// The checks that work on numbers: used for typed forms and, directly, for
    /// bulk validation of already-parsed values.
    public func check(
        values: [Double?], exact: [ExactNumber?]? = nil, previous: [Double?]? = nil,
        unitKind: UnitKind? = nil, present: Set<String>? = nil
    ) -> ([ValidationProblem], [Int: Double]) {
        var problems: [ValidationProblem] = []
        let indicators = form.indicators
        // Required rows: only those the unit's level fills.
        for (slot, indicator) in indicators.enumerated() where indicator.isRequired && values[slot] == nil {
            if let present, present.contains(indicator.code) { continue }
            if let unitKind, !indicator.applies(to: unitKind, formLevels: form.form.levels) { continue }
            if unitKind == nil { continue }
            problems.append(
                problem(
                    indicator.code, .error, .requiredMissing,
                    "Chưa nhập chỉ tiêu bắt buộc \(indicator.code) “\(indicator.name)”.", [:]))
        }
        // Entered ratios against the value computed from their parts.
        var working = values
        let computed = form.computeFormulas(&working, previous: previous)
        for (slot, _, source) in form.formulas {
            guard let truth = computed[slot], let entered = values[slot] else { continue }
            let scale = exact?[slot]?.scale ?? 2
            if !agrees(entered: entered, computed: truth, scale: scale) {
                let indicator = indicators[slot]
                let enteredText = exact?[slot].map(VietnameseNumber.format) ?? VietnameseNumber.format(entered)
                let parts = describeParts(source, values: values)
                problems.append(
                    problem(
                        indicator.code, .error, .ratioMismatch,
                        "Chỉ tiêu \(indicator.code) “\(indicator.name)” nhập \(enteredText)\(indicator.unit == .percent ? "%" : "") nhưng tính từ số liệu thành phần (\(parts)) được \(VietnameseNumber.format(truth, decimals: 2))\(indicator.unit == .percent ? "%" : ""). Sửa lại tỷ lệ hoặc các số liệu thành phần.",
                        [indicator.code: enteredText, "tính lại": VietnameseNumber.format(truth, decimals: 2)]))
            }
        }
        // Parts larger than their total.
        for (slot, totalSlot) in form.partOfSlot.enumerated() {
            guard let totalSlot, let part = working[slot], let total = working[totalSlot], part > total + 1e-9 else { continue }
            let indicator = indicators[slot], totalIndicator = indicators[totalSlot]
            problems.append(
                problem(
                    indicator.code, .error, .partExceedsTotal,
                    "Chỉ tiêu \(indicator.code) “\(indicator.name)” (\(VietnameseNumber.format(part))) lớn hơn tổng của nó, chỉ tiêu \(totalIndicator.code) “\(totalIndicator.name)” (\(VietnameseNumber.format(total))). Số liệu thành phần không thể vượt tổng.",
                    [indicator.code: VietnameseNumber.format(part), totalIndicator.code: VietnameseNumber.format(total)]))
        }
        // Breakdowns that must add up to their total.
        for (slot, indicator) in indicators.enumerated() where indicator.sumOfChildren == true {
            guard let total = working[slot] else { continue }
            let children = form.childSlots[slot]
            let present = children.compactMap { working[$0] }
            guard !present.isEmpty else { continue }
            let sum = present.reduce(0, +)
            let complete = present.count == children.count
            if (complete && abs(sum - total) > 1e-6) || (!complete && sum > total + 1e-6) {
                let names = children.map { "\(indicators[$0].code) = \(working[$0].map { VietnameseNumber.format($0) } ?? "trống")" }
                    .joined(separator: ", ")
                problems.append(
                    problem(
                        indicator.code, .error, .breakdownMismatch,
                        "Chỉ tiêu \(indicator.code) “\(indicator.name)” là \(VietnameseNumber.format(total)) nhưng các chỉ tiêu chi tiết cộng lại được \(VietnameseNumber.format(sum)) (\(names)). Tổng phải bằng tổng các chi tiết.",
                        [indicator.code: VietnameseNumber.format(total), "tổng chi tiết": VietnameseNumber.format(sum)]))
            }
        }
        // Jumps from the same unit's previous period.
        if let previous {
            for (slot, indicator) in indicators.enumerated() {
                let factor = indicator.jumpFactor ?? ((indicator.unit == .count || indicator.unit == .money) ? defaultJumpFactor : 0)
                guard factor > 0, let now = values[slot], let before = previous[slot], now > 0, before > 0 else { continue }
                let ratio = max(now / before, before / now)
                if ratio > factor {
                    problems.append(
                        problem(
                            indicator.code, .warning, .jump,
                            "Chỉ tiêu \(indicator.code) “\(indicator.name)” thay đổi bất thường: kỳ trước \(VietnameseNumber.format(before)), kỳ này \(VietnameseNumber.format(now)) (gấp \(VietnameseNumber.format(ratio, decimals: 1)) lần). Kiểm tra lại hoặc ghi chú lý do.",
                            [indicator.code: VietnameseNumber.format(now), "kỳ trước": VietnameseNumber.format(before)]))
                }
            }
        }
        // The form's own rules.
        for (rule, _, expression) in form.rules {
            guard let result = expression.evaluate(working, previous: previous), result == 0 else { continue }
            let referenced = (try? ExpressionParser.parse(rule.check).references) ?? []
            var involved: [String: String] = [:]
            for code in referenced {
                if let slot = form.slotByCode[code], let value = working[slot] { involved[code] = VietnameseNumber.format(value) }
            }
            problems.append(
                problem(
                    rule.code, rule.severity == .error ? .error : .warning, .rule,
                    fill(rule.message, working), involved))
        }
        return (problems, computed)
    }

    /// An entered ratio agrees when it is the computed one rounded or
    /// truncated to the decimals the officer typed (the seeds do both).
    func agrees(entered: Double, computed: Double, scale: Int8) -> Bool {
        let step = pow10(Int(scale))
        let rounded = (computed * step).rounded(.toNearestOrAwayFromZero) / step
        let truncated = (computed * step).rounded(.towardZero) / step
        let tolerance = 1e-9 * max(1, abs(computed))
        return abs(entered - rounded) <= tolerance || abs(entered - truncated) <= tolerance
    }

    func pow10(_ n: Int) -> Double { (0..<max(n, 0)).reduce(1.0) { result, _ in result * 10 } }

    func describeParts(_ source: String, values: [Double?]) -> String {
        var text = source
        for code in (try? ExpressionParser.parse(source).references) ?? [] {
            let shown = form.slotByCode[code].flatMap { values[$0] }.map { VietnameseNumber.format($0) } ?? "trống"
            text = text.replacingOccurrences(of: "[\(code)]", with: shown)
        }
        return text.replacingOccurrences(of: "*", with: "×")
    }

    /// Replaces `{6.1.3}` in a rule's message with the formatted value.
    func fill(_ message: String, _ values: [Double?]) -> String {
        var text = message
        for (code, slot) in form.slotByCode where text.contains("{\(code)}") {
            text = text.replacingOccurrences(of: "{\(code)}", with: values[slot].map { VietnameseNumber.format($0) } ?? "trống")
        }
        return text
    }

    func problem(
        _ code: String, _ severity: ValidationProblem.Severity, _ kind: ValidationProblem.Kind,
        _ message: String, _ values: [String: String]
    ) -> ValidationProblem {
        ValidationProblem(code: code, severity: severity, kind: kind, message: message, values: values, acknowledged: false)
    }
}
