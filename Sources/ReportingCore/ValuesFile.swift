/// Reads the `code,value[,note]` CSV files that officers and scripts check
/// from the command line, with cells as people type them.
public enum ValuesFile {
    public struct Row: Sendable, Hashable {
        public var code: String
        public var value: String
        public var note: String?
        public var level: String?
    }

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case missingColumn(String)
        case badRow(line: Int, reason: String)
        case tooLarge(bytes: Int)

        public var description: String {
            switch self {
            case .empty: return "Tệp trống: cần dòng tiêu đề code,value[,note] và ít nhất một dòng số liệu."
            case .missingColumn(let column): return "Thiếu cột “\(column)” ở dòng tiêu đề (cần code,value[,note])."
            case .badRow(let line, let reason): return "Dòng \(line): \(reason)"
            case .tooLarge(let bytes):
                return
                    "Tệp quá lớn (\(bytes / 1024) KB, tối đa \(ValuesFile.maxBytes / 1_000_000) MB hoặc \(ValuesFile.maxRows) dòng). Hãy tách thành nhiều tệp."
            }
        }
    }

    /// Splits CSV text into records, honouring quotes ("97,1") and doubled quotes.
    public static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": record.append(field); field = ""
            case "\n", "\r\n":
                record.append(field); field = ""
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
            case "\r": break
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
        }
        return records
    }

    /// Largest values file, most data rows, longest code and cell.
    public static let maxBytes = 5_000_000, maxRows = 100_000, maxCodeLength = 64, maxCellLength = 10_000

    /// Parses a values file. The header names the columns: `code` (or `target`),
    /// `value`, and optionally `note` and `level`. Numbers stay text here: the
    /// Validator reads them and refuses those beyond the bounds, naming the row.
    public static func parse(_ text: String) throws(ParseError) -> [Row] {
        guard text.utf8.count <= maxBytes else { throw .tooLarge(bytes: text.utf8.count) }
        var all = records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !all.isEmpty else { throw .empty }
        guard all.count <= maxRows + 1 else { throw .tooLarge(bytes: text.utf8.count) }
        let header = all.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let codeColumn = header.firstIndex(of: "code") ?? header.firstIndex(of: "target") else { throw .missingColumn("code") }
        guard let valueColumn = header.firstIndex(of: "value") else { throw .missingColumn("value") }
        let noteColumn = header.firstIndex(of: "note")
        let levelColumn = header.firstIndex(of: "level")
        var rows: [Row] = []
        for (offset, record) in all.enumerated() {
            let line = offset + 2
            guard record.count > max(codeColumn, valueColumn) else {
                throw .badRow(line: line, reason: "cần ít nhất \(max(codeColumn, valueColumn) + 1) cột, có \(record.count).")
            }
            let code = record[codeColumn].trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty else { throw .badRow(line: line, reason: "thiếu mã chỉ tiêu.") }
            guard code.count <= maxCodeLength else {
                throw .badRow(line: line, reason: "mã chỉ tiêu “\(code.prefix(30))…” dài quá \(maxCodeLength) ký tự.")
            }
            if let long = record.first(where: { $0.count > maxCellLength }) {
                throw .badRow(line: line, reason: "ô “\(long.prefix(30))…” dài quá \(maxCellLength) ký tự.")
            }
            let cleanCode = code.hasSuffix(".") ? String(code.dropLast()) : code
            func cell(_ column: Int?) -> String? {
                guard let column, column < record.count else { return nil }
                let value = record[column].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            rows.append(Row(code: cleanCode, value: record[valueColumn], note: cell(noteColumn), level: cell(levelColumn)))
        }
        return rows
    }
}
