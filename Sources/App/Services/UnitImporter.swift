import Fluent
import Foundation
import ReportingCore

/// Reads a unit tree from CSV (code,name,kind,parent_code) or from the JSON
/// of the `vietnam-provinces` package, and writes it in one transaction.
enum UnitImporter {
    struct ImportError: Error, CustomStringConvertible {
        let description: String
    }

    /// The parsing itself lives in ReportingCore (`UnitFile`), where it is fuzzed.
    static func parseCSV(_ text: String) throws -> [ReportingUnit] {
        do { return try UnitFile.parseCSV(text) } catch { throw ImportError(description: error.description) }
    }

    static func parseProvincesJSON(_ data: Data, root: ReportingUnit?) throws -> [ReportingUnit] {
        do { return try UnitFile.parseProvincesJSON(data, root: root) } catch { throw ImportError(description: error.description) }
    }

    /// Validates the whole tree (with the units already stored) and writes it, or nothing.
    /// The most units one file may bring (the country has about 11.000).
    static let maxUnits = 200_000

    /// Codes are identifiers (letters, digits, `.`, `-`, `_`), names plain text: no control characters, bounded.
    static func check(_ units: [ReportingUnit]) throws {
        guard units.count <= maxUnits else {
            throw ImportError(description: "Tệp có \(units.count) đơn vị, nhiều hơn mức tối đa \(maxUnits). Hãy chia thành nhiều tệp.")
        }
        var seen: Set<String> = []
        for unit in units {
            let allowed = unit.code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
            guard (1...64).contains(unit.code.count), allowed else {
                throw ImportError(description: "Mã đơn vị “\(printable(unit.code))” không hợp lệ: chỉ gồm chữ, số và các dấu . - _, "
                                  + "tối đa 64 ký tự (ví dụ 000.00.00.H05). Sửa dòng này rồi nhập lại. Không có gì được lưu.")
            }
            guard (1...200).contains(unit.name.count), !unit.name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
                throw ImportError(description: "Tên của đơn vị \(unit.code) không hợp lệ: cần 1–200 ký tự, không có ký tự điều khiển. "
                                  + "Sửa dòng này rồi nhập lại. Không có gì được lưu.")
            }
            if let parent = unit.parentCode, parent.count > 64 || parent.unicodeScalars.contains(where: { !$0.isASCII || CharacterSet.controlCharacters.contains($0) }) {
                throw ImportError(description: "Mã đơn vị cấp trên của \(unit.code) (“\(printable(parent))”) không hợp lệ. Không có gì được lưu.")
            }
            guard seen.insert(unit.code).inserted else {
                throw ImportError(description: "Mã đơn vị \(unit.code) có hai lần trong tệp. Mỗi đơn vị một dòng. Không có gì được lưu.")
            }
        }
    }

    /// A code as a message may show it: control characters as "?", at most 40 characters.
    static func printable(_ text: String) -> String {
        let shown = String(String.UnicodeScalarView(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? "?" : $0 }))
        return shown.count > 40 ? String(shown.prefix(40)) + "…" : shown
    }

    static func save(_ units: [ReportingUnit], by username: String, on database: Database) async throws -> Int {
        try check(units)
        let existing = try await UnitRecord.query(on: database).all().map(\.core)
        let existingCodes = Set(existing.map(\.code))
        let fresh = units.filter { !existingCodes.contains($0.code) }
        do { _ = try UnitTree(units: existing + fresh) }
        catch { throw ImportError(description: error.message) }
        try await database.transaction { db in
            for unit in fresh { try await UnitRecord(unit).save(on: db) }
            if !fresh.isEmpty {
                try await AdminAuditLog.record(.units, "Nhập danh sách đơn vị", subject: "\(fresh.count) đơn vị", by: username,
                                               to: fresh.map(\.code).joined(separator: ", "), on: db)
            }
        }
        return fresh.count
    }
}
