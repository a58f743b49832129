import Foundation

/// Maps another system's dossier export onto the default layout: its headers,
/// and its value words, each onto a word of the default layout.
///
/// ```yaml
/// headers: {unit: "MaDonVi", received_on: "NgayTiepNhan"}
/// values:
///   channel: {"Online": "Trực tuyến", "Tại quầy": "Trực tiếp"}
///   digitised_input: {"Y": "Có", "N": "Không"}
/// ```
/// Bounded like every YAML file (`YAMLLimits`), and checked whole when read.
public struct DossierMapping: Sendable, Equatable {
    /// Header in the file, by field.
    public var headers: [DossierField: String]
    /// Word in the file → word of the default layout, by field.
    public var values: [DossierField: [String: String]]

    public init(headers: [DossierField: String] = [:], values: [DossierField: [String: String]] = [:]) {
        self.headers = headers
        self.values = values
    }

    struct File: Decodable {
        var headers: [String: String]?
        var values: [String: [String: String]]?
    }

    public enum MappingError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let reason): return "Tệp ánh xạ không hợp lệ: \(reason)"
            }
        }
    }

    static let fieldList = DossierField.allCases.map(\.key).joined(separator: ", ")

    /// Reads a mapping file's text; `name` is shown in messages.
    public static func parse(yaml: String, name: String) throws -> DossierMapping {
        let file: File
        do { file = try FormLibrary.decode(File.self, yaml: yaml, name: name) } catch {
            throw MappingError.invalid(String(describing: error))
        }
        var mapping = DossierMapping()
        for (key, header) in file.headers ?? [:] {
            guard let field = DossierField(key: key) else {
                throw MappingError.invalid("trường “\(key)” trong headers không có (các trường: \(fieldList)).")
            }
            guard !header.trimmingCharacters(in: .whitespaces).isEmpty, header.utf8.count <= 200 else {
                throw MappingError.invalid("tên cột của trường “\(key)” phải có từ 1 đến 200 ký tự.")
            }
            mapping.headers[field] = header
        }
        for (key, words) in file.values ?? [:] {
            guard let field = DossierField(key: key) else {
                throw MappingError.invalid("trường “\(key)” trong values không có (các trường: \(fieldList)).")
            }
            let allowed = field.defaultWords.map(\.word)
            guard !allowed.isEmpty else {
                throw MappingError.invalid("trường “\(key)” không có giá trị để ánh xạ (chỉ các cột lựa chọn và Có/Không).")
            }
            for (word, target) in words {
                guard allowed.contains(where: { DossierWords.normalized($0) == DossierWords.normalized(target) }) else {
                    let list = allowed.filter { !$0.isEmpty }.map { "“\($0)”" }.joined(separator: ", ")
                    throw MappingError.invalid(
                        "giá trị “\(word)” của trường “\(key)” được ánh xạ sang “\(target)”, không phải một trong \(list).")
                }
                guard word.utf8.count <= 200 else { throw MappingError.invalid("giá trị của trường “\(key)” dài quá 200 ký tự.") }
            }
            mapping.values[field] = words
        }
        return mapping
    }
}
