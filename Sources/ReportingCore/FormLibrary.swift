import Foundation
import Yams

/// The built-in forms, plans and version mappings, read from the YAML files
/// shipped in `Forms/`, or from any folder.
public struct FormLibrary: Sendable {
    public let forms: [String: CompiledForm]
    public let plans: [String: TargetPlan]
    public let mappings: [FormVersionMapping]

    public enum LoadError: Error, CustomStringConvertible, Sendable {
        case unreadable(file: String, reason: String)
        case invalid(file: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let file, let reason): return "Không đọc được tệp \(file): \(reason)"
            case .invalid(let file, let reason): return "Tệp \(file) không hợp lệ: \(reason)"
            }
        }
    }

    /// The folder of built-in definitions inside the package's resources.
    public static var builtInDirectory: URL {
        Bundle.module.url(forResource: "Forms", withExtension: nil)!
    }

    public static func builtIn() throws -> FormLibrary { try load(from: builtInDirectory) }

    /// The built-in definitions plus a folder of one's own; a file there may
    /// not redefine a built-in id.
    public static func builtIn(adding extra: URL?) throws -> FormLibrary {
        let base = try builtIn()
        guard let extra else { return base }
        let added = try load(from: extra)
        for id in added.forms.keys where base.forms[id] != nil {
            throw LoadError.invalid(file: extra.path, reason: "biểu mẫu “\(id)” trùng mã với biểu mẫu có sẵn")
        }
        for id in added.plans.keys where base.plans[id] != nil {
            throw LoadError.invalid(file: extra.path, reason: "kế hoạch “\(id)” trùng mã với kế hoạch có sẵn")
        }
        return FormLibrary(
            forms: base.forms.merging(added.forms) { first, _ in first },
            plans: base.plans.merging(added.plans) { first, _ in first },
            mappings: base.mappings + added.mappings)
    }

    public static func load(from directory: URL) throws -> FormLibrary {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var forms: [String: CompiledForm] = [:]
        var plans: [String: TargetPlan] = [:]
        var mappings: [FormVersionMapping] = []
        for file in files {
            let name = file.lastPathComponent
            if name.hasPrefix("plan-") {
                let plan = try decode(TargetPlan.self, from: file)
                plans[plan.id] = plan
            } else if name.hasPrefix("mapping-") {
                mappings.append(try decode(FormVersionMapping.self, from: file))
            } else {
                let form = try decode(Form.self, from: file)
                do { forms[form.id] = try CompiledForm(form) } catch { throw LoadError.invalid(file: name, reason: error.description) }
            }
        }
        return FormLibrary(forms: forms, plans: plans, mappings: mappings)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from file: URL) throws -> T {
        let text: String
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        guard size <= YAMLLimits.maxBytes else {
            throw LoadError.invalid(file: file.lastPathComponent, reason: "tệp quá lớn (tối đa \(YAMLLimits.maxBytes / 1_000_000) MB)")
        }
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw LoadError.unreadable(file: file.lastPathComponent, reason: error.localizedDescription)
        }
        return try decode(type, yaml: text, name: file.lastPathComponent)
    }

    /// Decodes after `YAMLLimits` has checked the file's size, depth and aliases.
    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, name: String) throws -> T {
        if let problem = YAMLLimits.problem(in: yaml, name: name) { throw LoadError.invalid(file: name, reason: problem) }
        do { return try YAMLDecoder().decode(type, from: yaml) } catch {
            throw LoadError.invalid(file: name, reason: String(describing: error))
        }
    }

    public init(forms: [String: CompiledForm], plans: [String: TargetPlan], mappings: [FormVersionMapping]) {
        self.forms = forms
        self.plans = plans
        self.mappings = mappings
    }

    public func form(_ id: String) -> CompiledForm? { forms[id] }

    public var sortedForms: [CompiledForm] { forms.values.sorted { $0.id < $1.id } }
}

/// Row correspondence between two versions of a form, so a time series can
/// cross the change (egov-2022 mức độ 4 ↔ egov-2024 toàn trình).
public struct FormVersionMapping: Sendable, Codable {
    public struct Row: Sendable, Codable {
        public var from: String
        public var to: String?
        public var note: String?
        public var reason: String?
    }
    public var from: String
    public var to: String
    public var rows: [Row]

    /// The code in the newer form for a code of the older, nil when the row has no counterpart.
    public func target(of code: String) -> String? { rows.first { $0.from == code }?.to ?? nil }

    /// The code in the older form for a code of the newer.
    public func source(of code: String) -> String? { rows.first { $0.to == code }?.from }

    /// Why a row has no counterpart, as written in the mapping file.
    public func reasonUnmapped(_ code: String) -> String? {
        rows.first { $0.from == code && $0.to == nil }?.reason
    }
}
