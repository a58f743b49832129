import Foundation
import Yams

/// Checks a plan file before it is used: it must decode as a `TargetPlan` and
/// make sense — unique codes, a threshold for every target, known levels and
/// form rows — so a bad file is refused whole, with every reason in Vietnamese.
public enum PlanCheck {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: " ") }
    }

    /// Decodes and checks a plan file's text.
    public static func load(yaml: String, name: String, library: FormLibrary) throws(Failure) -> TargetPlan {
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Failure(problems: ["Tệp \(name) rỗng."])
        }
        // Before any decoding: the error path below parses the text again.
        if let problem = YAMLLimits.problem(in: yaml, name: name) { throw Failure(problems: [problem]) }
        let plan: TargetPlan
        do { plan = try FormLibrary.decode(TargetPlan.self, yaml: yaml, name: name) } catch {
            throw Failure(problems: [decodingMessage(yaml: yaml, name: name, fallback: error)])
        }
        let found = problems(in: plan, library: library)
        guard found.isEmpty else { throw Failure(problems: found) }
        return plan
    }

    /// What is wrong with a decoded plan; empty when it can be used.
    public static func problems(in plan: TargetPlan, library: FormLibrary) -> [String] {
        var problems: [String] = []
        if plan.id.wholeMatch(of: /[a-z0-9][a-z0-9._-]{0,63}/) == nil {
            problems.append(
                "Mã kế hoạch “\(plan.id)” chỉ được gồm chữ thường không dấu, chữ số, dấu chấm và dấu gạch ngang (ví dụ kh12-2025).")
        }
        if plan.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append("Kế hoạch \(plan.id) chưa có tên (title).")
        }
        if plan.groups.isEmpty { problems.append("Kế hoạch \(plan.id) không có nhóm chỉ tiêu nào (groups).") }
        var groupCodes: Set<String> = [], targetCodes: Set<String> = []
        for group in plan.groups {
            if !groupCodes.insert(group.code).inserted { problems.append("Mã nhóm \(group.code) bị trùng: mỗi nhóm phải có một mã riêng.") }
            if group.targets.isEmpty { problems.append("Nhóm \(group.code) không có chỉ tiêu nào.") }
            for target in group.targets {
                let code = target.code.trimmingCharacters(in: .whitespaces)
                if code.isEmpty {
                    problems.append("Nhóm \(group.code) có chỉ tiêu chưa có mã (code).")
                } else if !targetCodes.insert(code).inserted {
                    problems.append("Mã chỉ tiêu \(code) bị trùng: mỗi chỉ tiêu phải có một mã riêng.")
                }
                if target.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append("Chỉ tiêu \(code) chưa có tên (name).")
                }
                if target.unit == .heading {
                    problems.append(
                        "Chỉ tiêu \(code): ĐVT “heading” chỉ dùng cho đề mục của biểu mẫu; hãy dùng percent, count, money, coded hoặc text."
                    )
                }
                problems += thresholdProblems(target.threshold, code: code, level: nil, percent: target.isPercent)
                for (level, threshold) in (target.thresholdsByLevel ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if let kind = UnitKind(rawValue: level) {
                        problems += thresholdProblems(threshold, code: code, level: kind, percent: target.isPercent)
                    } else {
                        problems.append(
                            "Chỉ tiêu \(code): cấp “\(level)” trong thresholds_by_level không hợp lệ; dùng province, department, district, commune hoặc other."
                        )
                    }
                }
                if let applies = target.appliesTo, applies.isEmpty {
                    problems.append("Chỉ tiêu \(code): applies_to rỗng; bỏ trường này hoặc liệt kê các cấp áp dụng.")
                }
                if let indicator = target.indicator {
                    problems += indicatorProblems(indicator, reference: target.indicatorReference, code: code, library: library)
                }
            }
        }
        return problems
    }

    static func thresholdProblems(_ threshold: Threshold, code: String, level: UnitKind?, percent: Bool) -> [String] {
        let place = level.map { "Chỉ tiêu \(code) (cấp \($0.label))" } ?? "Chỉ tiêu \(code)"
        if !threshold.value.isFinite { return ["\(place): ngưỡng không phải là số."] }
        if abs(threshold.value) > Double(ExactNumber.maxWholePart) {
            return [
                "\(place): ngưỡng \(VietnameseNumber.format(threshold.value)) vượt quá giới hạn của số liệu (\(ExactNumber.boundsText))."
            ]
        }
        if percent && !(0...100).contains(threshold.value) {
            return ["\(place): ngưỡng \(VietnameseNumber.format(threshold.value))% nằm ngoài khoảng 0–100%."]
        }
        if threshold.value < 0 { return ["\(place): ngưỡng không được âm."] }
        return []
    }

    static func indicatorProblems(_ indicator: String, reference: (form: String, code: String)?, code: String, library: FormLibrary)
        -> [String]
    {
        guard let reference, !reference.form.isEmpty, !reference.code.isEmpty else {
            return ["Chỉ tiêu \(code): liên kết “\(indicator)” phải có dạng mã-biểu-mẫu:mã-chỉ-tiêu, ví dụ egov-2024:6.1."]
        }
        guard let form = library.form(reference.form) else {
            let known = library.forms.keys.sorted().joined(separator: ", ")
            return ["Chỉ tiêu \(code): không có biểu mẫu “\(reference.form)” (các biểu mẫu hiện có: \(known))."]
        }
        guard let slot = form.slotByCode[reference.code] else {
            return ["Chỉ tiêu \(code): biểu mẫu \(reference.form) không có chỉ tiêu mã \(reference.code)."]
        }
        if form.indicators[slot].isHeading {
            return ["Chỉ tiêu \(code): \(reference.form):\(reference.code) là đề mục, không có số liệu để đánh giá."]
        }
        return []
    }

    // MARK: Decoding errors in words

    /// A decoding failure said in Vietnamese, naming where in the file it is.
    static func decodingMessage(yaml: String, name: String, fallback: Error) -> String {
        let tree: Any?
        do { tree = try Yams.load(yaml: yaml) } catch {
            return "Tệp \(name) không phải YAML hợp lệ: \(error). Kiểm tra thụt lề và dấu hai chấm."
        }
        guard tree is [String: Any] else {
            return "Tệp \(name) không đúng mẫu tệp kế hoạch: cần các trường id, title và groups (xem docs/forms.md)."
        }
        do {
            _ = try YAMLDecoder().decode(TargetPlan.self, from: yaml)
        } catch let error as DecodingError {
            return "Tệp \(name) không đúng mẫu tệp kế hoạch: \(describe(error, tree: tree))"
        } catch {}
        return "Tệp \(name) không đúng mẫu tệp kế hoạch: \(fallback)"
    }

    static func describe(_ error: DecodingError, tree: Any?) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            let field = key.stringValue
            let what = field == "threshold" ? "ngưỡng (threshold)" : "trường “\(field)”"
            return "thiếu \(what) ở \(location(context.codingPath, tree: tree))."
        case .valueNotFound(_, let context):
            return "thiếu giá trị ở \(location(context.codingPath, tree: tree))."
        case .typeMismatch(let type, let context):
            return "giá trị ở \(location(context.codingPath, tree: tree)) không đúng kiểu (cần \(typeName(type)))."
        case .dataCorrupted(let context):
            let field = context.codingPath.last?.stringValue ?? ""
            return "giá trị ở \(location(context.codingPath, tree: tree)) không hợp lệ\(hint(field))."
        @unknown default:
            return String(describing: error)
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") { return "danh sách" }
        if name.hasPrefix("Dictionary") || name.contains(":") { return "bảng khóa: giá trị" }
        if name == "String" { return "chuỗi ký tự" }
        if name == "Double" || name == "Int" { return "số" }
        return "bảng khóa: giá trị"
    }

    static func hint(_ field: String) -> String {
        switch field {
        case "op": return ": phép so sánh phải là >=, >, <= hoặc <"
        case "unit": return ": ĐVT phải là percent, count, money, coded hoặc text"
        default:
            return field.isEmpty || Int(field) != nil || field.hasPrefix("Index")
                ? ": cấp phải là province, department, district, commune hoặc other" : ""
        }
    }

    /// "nhóm I › chỉ tiêu I.2 › threshold" from a coding path, reading the
    /// codes from the file itself so the officer finds the row.
    static func location(_ path: [CodingKey], tree: Any?) -> String {
        var words: [String] = []
        var node: Any? = tree
        var parentKey = ""
        for key in path {
            if let index = key.intValue {
                let item = (node as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
                let code = (item as? [String: Any])?["code"].map { "\($0)" }
                switch parentKey {
                case "groups": words.append(code.map { "nhóm \($0)" } ?? "nhóm thứ \(index + 1)")
                case "targets": words.append(code.map { "chỉ tiêu \($0)" } ?? "chỉ tiêu thứ \(index + 1) của nhóm")
                default: words.append("mục thứ \(index + 1) của \(parentKey)")
                }
                node = item
            } else {
                let name = key.stringValue
                if name != "groups" && name != "targets" { words.append(name) }
                node = (node as? [String: Any])?[name]
                parentKey = name
            }
        }
        return words.isEmpty ? "đầu tệp" : words.joined(separator: " › ")
    }
}
