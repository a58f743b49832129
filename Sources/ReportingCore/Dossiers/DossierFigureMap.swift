import Foundation

/// Which dossier counter fills which row of a form or target of a plan, read
/// from a data file in `Forms/dossiers/` (readable by a person who knows the
/// paper form: each row says why).
public struct DossierFigureMap: Sendable, Decodable {
    /// part / whole × 100, exactly, rounded half up to `decimals`.
    public struct Ratio: Sendable, Decodable, Equatable {
        public var part: DossierCounter
        public var whole: DossierCounter
    }

    public struct Row: Sendable, Decodable {
        public var code: String
        /// A plain count…
        public var count: DossierCounter?
        /// …or a ratio of two counts…
        public var ratio: Ratio?
        /// …or the lowest of several ratios (a target met only when all are).
        public var lowestOf: [Ratio]?
        /// Only the dossiers received by units of these kinds (CCHC BM3 3.1–3.3).
        public var fromKinds: [UnitKind]?
        /// An optional column the row needs: without it in the file the row is not determined.
        public var requires: DossierField?
        public var why: String

        enum CodingKeys: String, CodingKey {
            case code, count, ratio, why, requires
            case lowestOf = "lowest_of"
            case fromKinds = "from_kinds"
        }
    }

    /// A row of the form the records cannot determine, and why.
    public struct Unavailable: Sendable, Decodable {
        public var code: String
        public var why: String
    }

    /// The `--form` name: a form id or a plan id.
    public var id: String
    public var form: String?
    public var plan: String?
    public var source: String
    /// Decimals of ratios (2: 97,45%).
    public var decimals: Int
    public var rows: [Row]
    public var unavailable: [Unavailable]?

    public enum MapError: Error, Sendable, CustomStringConvertible {
        case invalid(file: String, reason: String)
        public var description: String {
            switch self {
            case .invalid(let file, let reason): return "Tệp \(file) không hợp lệ: \(reason)"
            }
        }
    }

    /// Checks every row against the form or plan it fills.
    func validate(file: String, library: FormLibrary) throws(MapError) {
        guard (0...6).contains(decimals) else { throw .invalid(file: file, reason: "decimals phải từ 0 đến 6") }
        let codes: Set<String>
        if let form, let compiled = library.form(form) {
            codes = Set(compiled.indicators.map(\.code))
        } else if let plan, let targets = library.plans[plan] {
            codes = Set(targets.targets.map(\.code))
        } else {
            throw .invalid(file: file, reason: "không có biểu mẫu hay kế hoạch “\(form ?? plan ?? "")”")
        }
        for row in rows {
            guard codes.contains(row.code) else {
                throw .invalid(file: file, reason: "chỉ tiêu \(row.code) không có trong \(form ?? plan ?? "")")
            }
            let ways = [row.count != nil, row.ratio != nil, row.lowestOf != nil].filter { $0 }.count
            guard ways == 1 else { throw .invalid(file: file, reason: "chỉ tiêu \(row.code) cần đúng một trong count, ratio, lowest_of") }
            if let lowest = row.lowestOf, lowest.isEmpty { throw .invalid(file: file, reason: "lowest_of của \(row.code) trống") }
        }
    }

    /// The maps shipped in `Forms/dossiers/`, by id, checked against the library.
    public static func builtIn(library: FormLibrary) throws -> [String: DossierFigureMap] {
        let directory = FormLibrary.builtInDirectory.appendingPathComponent("dossiers")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        var maps: [String: DossierFigureMap] = [:]
        for file in files {
            let map = try FormLibrary.decode(DossierFigureMap.self, from: file)
            try map.validate(file: file.lastPathComponent, library: library)
            maps[map.id] = map
        }
        return maps
    }
}
