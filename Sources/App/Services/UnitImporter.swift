import Fluent
import Foundation
import ReportingCore

/// Reads a unit tree from CSV (code,name,kind,parent_code) or from the JSON
/// of the `vietnam-provinces` package, and writes it in one transaction.
enum UnitImporter {
    struct ImportError: Error, CustomStringConvertible {
        let description: String
    }

    static func parseCSV(_ text: String) throws -> [ReportingUnit] {
        var records = ValuesFile.records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !records.isEmpty else { throw ImportError(description: "Tệp trống: cần dòng tiêu đề code,name,kind,parent_code.") }
        let header = records.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw ImportError(description: "Thiếu cột “\(name)” ở dòng tiêu đề (cần code,name,kind,parent_code).")
            }
            return index
        }
        let code = try column("code"), name = try column("name"), kind = try column("kind")
        let parent = header.firstIndex(of: "parent_code")
        return try records.enumerated().map { offset, record in
            let line = offset + 2
            guard record.count > max(code, name, kind) else { throw ImportError(description: "Dòng \(line): thiếu cột.") }
            let unitCode = record[code].trimmingCharacters(in: .whitespaces)
            let unitName = record[name].trimmingCharacters(in: .whitespaces)
            guard !unitCode.isEmpty, !unitName.isEmpty else { throw ImportError(description: "Dòng \(line): mã và tên đơn vị không được để trống.") }
            guard let unitKind = UnitKind(loose: record[kind]) else {
                throw ImportError(description: "Dòng \(line): loại đơn vị “\(record[kind])” không hợp lệ (province, department, district, commune, other).")
            }
            let parentCode = parent.flatMap { $0 < record.count ? record[$0].trimmingCharacters(in: .whitespaces) : nil }
            return ReportingUnit(code: unitCode, name: unitName, kind: unitKind, parentCode: parentCode?.isEmpty == false ? parentCode : nil)
        }
    }

    /// The `vietnam-provinces` JSON: a list of provinces with `code`, `name`
    /// and `wards` (2025 data, two levels) or `districts` → `wards` (0.6 data).
    static func parseProvincesJSON(_ data: Data, root: ReportingUnit?) throws -> [ReportingUnit] {
        guard let provinces = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw ImportError(description: "Tệp JSON không đúng định dạng của gói vietnam-provinces (cần một danh sách tỉnh).")
        }
        var units: [ReportingUnit] = root.map { [$0] } ?? []
        func code(_ value: Any?) -> String? {
            if let number = value as? Int { return String(number) }
            return value as? String
        }
        for province in provinces {
            guard let provinceCode = code(province["code"]), let name = province["name"] as? String else {
                throw ImportError(description: "Một tỉnh trong tệp JSON thiếu “code” hoặc “name”.")
            }
            let pCode = "P\(provinceCode)"
            units.append(ReportingUnit(code: pCode, name: name, kind: .province, parentCode: root?.code))
            func addWards(_ list: Any?, parent: String) throws {
                for ward in (list as? [[String: Any]]) ?? [] {
                    guard let wardCode = code(ward["code"]), let wardName = ward["name"] as? String else {
                        throw ImportError(description: "Một xã/phường của \(name) thiếu “code” hoặc “name”.")
                    }
                    units.append(ReportingUnit(code: "W\(wardCode)", name: wardName, kind: .commune, parentCode: parent))
                }
            }
            if let districts = province["districts"] as? [[String: Any]] {
                for district in districts {
                    guard let districtCode = code(district["code"]), let districtName = district["name"] as? String else {
                        throw ImportError(description: "Một huyện của \(name) thiếu “code” hoặc “name”.")
                    }
                    units.append(ReportingUnit(code: "D\(districtCode)", name: districtName, kind: .district, parentCode: pCode))
                    try addWards(district["wards"], parent: "D\(districtCode)")
                }
            }
            try addWards(province["wards"], parent: pCode)
        }
        return units
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
