import CYaml
import Foundation

/// Checks a YAML text's shape before Yams builds it: Yams composes nodes
/// recursively and decoding expands aliases, so a deeply nested or
/// alias-bomb file could exhaust the stack or the memory. libyaml's event
/// parser is iterative, so walking its events first is safe for any input.
public enum YAMLLimits {
    /// Largest form, plan or mapping file: the shipped ones are a few tens of KB.
    public static let maxBytes = 2_000_000
    /// Deepest nesting of lists and key-value tables (the plans use five).
    public static let maxDepth = 32
    /// Most scalars, lists and tables in one file.
    public static let maxNodes = 500_000

    /// Nil when the text may be decoded; otherwise why not, in Vietnamese.
    public static func problem(in yaml: String, name: String) -> String? {
        let bytes = Array(yaml.utf8)
        if bytes.count > maxBytes {
            return "Tệp \(name) quá lớn (\(bytes.count / 1024) KB, tối đa \(maxBytes / 1_000_000) MB). Hãy tách thành nhiều tệp nhỏ hơn."
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return "Không khởi tạo được bộ đọc YAML cho tệp \(name)." }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var nodes = 0
            // Per open list or table: for a table, how many nodes it holds so far (even = a key comes next).
            var open: [(isMapping: Bool, children: Int)] = []
            /// Counts a node in its parent; false when it is a list or table used as a key,
            /// which Yams cannot turn into a string key and traps on.
            func enter(container: Bool) -> Bool {
                guard let last = open.indices.last else { return true }
                defer { open[last].children += 1 }
                return !(container && open[last].isMapping && open[last].children % 2 == 0)
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    // Yams reports the syntax error itself, with its position.
                    return nil
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT: return nil
                case YAML_ALIAS_EVENT:
                    return
                        "Tệp \(name) dùng bí danh YAML (*…): tệp biểu mẫu và kế hoạch không dùng neo (&) và bí danh (*); hãy viết đầy đủ giá trị."
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    guard enter(container: true) else {
                        return
                            "Tệp \(name) dùng một danh sách hoặc bảng làm khóa (dòng \(event.start_mark.line + 1)); khóa phải là một tên, ví dụ code: hoặc name:."
                    }
                    open.append((event.type == YAML_MAPPING_START_EVENT, 0))
                    nodes += 1
                    if open.count > maxDepth {
                        return "Tệp \(name) lồng nhau quá \(maxDepth) cấp danh sách hoặc bảng; kiểm tra thụt lề."
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT: _ = open.popLast()
                case YAML_SCALAR_EVENT:
                    _ = enter(container: false)
                    nodes += 1
                default: break
                }
                if nodes > maxNodes { return "Tệp \(name) có quá \(maxNodes) giá trị; hãy tách thành nhiều tệp nhỏ hơn." }
            }
        }
    }
}
