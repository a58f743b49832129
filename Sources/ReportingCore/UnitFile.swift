import Foundation

/// Reads a unit tree from a file an administrator uploads: CSV
/// (code,name,kind,parent_code) or the JSON of the `vietnam-provinces`
/// package. Pure parsing, so it can be fuzzed; the App writes the result.
public enum UnitFile {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Largest unit file: every ward of Việt Nam as JSON is about 2 MB.
    public static let maxBytes = 20_000_000
    /// Most units in one file (Việt Nam has about 10,600 communes).
    public static let maxUnits = 200_000
    /// Longest code and name.
    public static let maxCodeLength = 64, maxNameLength = 300

    static func tooLarge(_ bytes: Int) -> ParseError {
        ParseError("Tệp quá lớn (\(bytes / 1_000_000) MB, tối đa \(maxBytes / 1_000_000) MB).")
    }

    static func checked(_ unit: ReportingUnit, place: String) throws(ParseError) -> ReportingUnit {
        guard unit.code.count <= maxCodeLength else {
            throw ParseError("\(place): mã đơn vị “\(printable(unit.code))” dài quá \(maxCodeLength) ký tự.")
        }
        guard unit.name.count <= maxNameLength else {
            throw ParseError("\(place): tên đơn vị “\(printable(unit.name))” dài quá \(maxNameLength) ký tự.")
        }
        // Codes are identifiers; names plain text. A NUL or control character would reach the database.
        guard isIdentifier(unit.code) else {
            throw ParseError(
                "\(place): mã đơn vị “\(printable(unit.code))” không hợp lệ: chỉ gồm chữ, số và các dấu . - _ "
                    + "(ví dụ 000.00.00.H05). Sửa rồi nhập lại. Không có gì được lưu.")
        }
        guard !unit.name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw ParseError("\(place): tên của đơn vị \(unit.code) có ký tự điều khiển. Sửa rồi nhập lại. Không có gì được lưu.")
        }
        if let parent = unit.parentCode, parent.count > maxCodeLength || !isIdentifier(parent) {
            throw ParseError("\(place): mã đơn vị cấp trên của \(unit.code) (“\(printable(parent))”) không hợp lệ. Không có gì được lưu.")
        }
        return unit
    }

    static func isIdentifier(_ code: String) -> Bool {
        code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// A file's text as a message may show it: control characters as "?", at most 40 characters.
    static func printable(_ text: String) -> String {
        let shown = String(String.UnicodeScalarView(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? "?" : $0 }))
        return shown.count > 40 ? String(shown.prefix(40)) + "…" : shown
    }

    /// Each code once in a file: a second row of the same unit is a mistake, not an update.
    static func unique(_ units: [ReportingUnit]) throws(ParseError) -> [ReportingUnit] {
        var seen: Set<String> = []
        for unit in units where !seen.insert(unit.code).inserted {
            throw ParseError("Mã đơn vị \(unit.code) có hai lần trong tệp. Mỗi đơn vị một dòng. Không có gì được lưu.")
        }
        return units
    }

    public static func parseCSV(_ text: String) throws(ParseError) -> [ReportingUnit] {
        guard text.utf8.count <= maxBytes else { throw tooLarge(text.utf8.count) }
        var records = ValuesFile.records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !records.isEmpty else { throw ParseError("Tệp trống: cần dòng tiêu đề code,name,kind,parent_code.") }
        guard records.count <= maxUnits + 1 else { throw ParseError("Tệp có quá \(maxUnits) đơn vị; hãy tách thành nhiều tệp.") }
        let header = records.removeFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) throws(ParseError) -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw ParseError("Thiếu cột “\(name)” ở dòng tiêu đề (cần code,name,kind,parent_code).")
            }
            return index
        }
        let code = try column("code"), name = try column("name"), kind = try column("kind")
        let parent = header.firstIndex(of: "parent_code")
        // Optional: a unit's retirement day (ISO or dd/mm/yyyy) and the codes that took it over (";" or space between).
        let retired = header.firstIndex(of: "retired_on"), successors = header.firstIndex(of: "successor_codes")
        var units: [ReportingUnit] = []
        units.reserveCapacity(records.count)
        for (offset, record) in records.enumerated() {
            let line = offset + 2
            guard record.count > max(code, name, kind) else { throw ParseError("Dòng \(line): thiếu cột.") }
            let unitCode = record[code].trimmingCharacters(in: .whitespaces)
            let unitName = record[name].trimmingCharacters(in: .whitespaces)
            guard !unitCode.isEmpty, !unitName.isEmpty else { throw ParseError("Dòng \(line): mã và tên đơn vị không được để trống.") }
            guard let unitKind = UnitKind(loose: record[kind]) else {
                throw ParseError(
                    "Dòng \(line): loại đơn vị “\(record[kind].prefix(40))” không hợp lệ (province, department, district, commune, other).")
            }
            func field(_ index: Int?) -> String {
                index.flatMap { $0 < record.count ? record[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            }
            let parentCode = field(parent)
            let retiredText = field(retired)
            var retiredOn: CivilDate?
            if !retiredText.isEmpty {
                guard let date = CivilDate(iso: retiredText) ?? CivilDate(vietnamese: retiredText) else {
                    throw ParseError(
                        "Dòng \(line): ngày thôi hoạt động “\(printable(retiredText))” không hợp lệ "
                            + "(dạng 2025-07-01 hoặc 01/07/2025). Sửa rồi nhập lại. Không có gì được lưu.")
                }
                retiredOn = date
            }
            let successorCodes = field(successors).split(whereSeparator: { $0 == ";" || $0 == " " }).map(String.init)
            for successor in successorCodes where successor.count > maxCodeLength || !isIdentifier(successor) {
                throw ParseError(
                    "Dòng \(line): mã đơn vị tiếp nhận “\(printable(successor))” của \(unitCode) không hợp lệ. Không có gì được lưu.")
            }
            units.append(
                try checked(
                    ReportingUnit(
                        code: unitCode, name: unitName, kind: unitKind,
                        parentCode: parentCode.isEmpty ? nil : parentCode,
                        retiredOn: retiredOn, successorCodes: successorCodes), place: "Dòng \(line)"))
        }
        return try unique(units)
    }

    /// The `vietnam-provinces` JSON: a list of provinces with `code`, `name`
    /// and `wards` (2025 data, two levels) or `districts` → `wards` (0.6 data).
    public static func parseProvincesJSON(_ data: Data, root: ReportingUnit?) throws(ParseError) -> [ReportingUnit] {
        guard data.count <= maxBytes else { throw tooLarge(data.count) }
        guard let provinces = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw ParseError("Tệp JSON không đúng định dạng của gói vietnam-provinces (cần một danh sách tỉnh).")
        }
        var units: [ReportingUnit] = root.map { [$0] } ?? []
        func code(_ value: Any?) -> String? {
            if let number = value as? Int { return String(number) }
            return value as? String
        }
        func add(_ unit: ReportingUnit) throws(ParseError) {
            guard units.count < maxUnits else { throw ParseError("Tệp có quá \(maxUnits) đơn vị; hãy tách thành nhiều tệp.") }
            units.append(try checked(unit, place: "Đơn vị \(unit.code.prefix(40))"))
        }
        func addWards(_ list: Any?, parent: String, of name: String) throws(ParseError) {
            for ward in (list as? [[String: Any]]) ?? [] {
                guard let wardCode = code(ward["code"]), let wardName = ward["name"] as? String else {
                    throw ParseError("Một xã/phường của \(name) thiếu “code” hoặc “name”.")
                }
                try add(ReportingUnit(code: "W\(wardCode)", name: wardName, kind: .commune, parentCode: parent))
            }
        }
        for province in provinces {
            guard let provinceCode = code(province["code"]), let name = province["name"] as? String else {
                throw ParseError("Một tỉnh trong tệp JSON thiếu “code” hoặc “name”.")
            }
            let pCode = "P\(provinceCode)"
            try add(ReportingUnit(code: pCode, name: name, kind: .province, parentCode: root?.code))
            if let districts = province["districts"] as? [[String: Any]] {
                for district in districts {
                    guard let districtCode = code(district["code"]), let districtName = district["name"] as? String else {
                        throw ParseError("Một huyện của \(name) thiếu “code” hoặc “name”.")
                    }
                    try add(ReportingUnit(code: "D\(districtCode)", name: districtName, kind: .district, parentCode: pCode))
                    try addWards(district["wards"], parent: "D\(districtCode)", of: name)
                }
            }
            try addWards(province["wards"], parent: pCode, of: name)
        }
        return try unique(units)
    }
}
