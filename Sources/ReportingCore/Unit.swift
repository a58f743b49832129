/// The kind of an agency that reports.
public enum UnitKind: String, Sendable, Codable, CaseIterable {
    case province, department, district, commune, other

    /// "Tỉnh", "Sở, ngành"… for display.
    public var label: String {
        switch self {
        case .province: return "Tỉnh"
        case .department: return "Sở, ban, ngành"
        case .district: return "Huyện, thị xã, thành phố"
        case .commune: return "Xã, phường, thị trấn"
        case .other: return "Đơn vị khác"
        }
    }

    public init?(loose text: String) {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let kind = UnitKind(rawValue: lowered) { self = kind; return }
        switch lowered {
        case "tỉnh", "thành phố trung ương": self = .province
        case "sở", "ngành", "sở, ngành", "ban": self = .department
        case "huyện", "quận", "thị xã", "thành phố thuộc tỉnh": self = .district
        case "xã", "phường", "thị trấn", "đặc khu": self = .commune
        default: return nil
        }
    }
}

/// An agency that reports (sở, huyện, xã…).
public struct ReportingUnit: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: UnitKind
    public var parentCode: String?
    /// Set when the unit no longer exists (e.g. communes merged in 2025).
    public var retiredOn: CivilDate?
    /// The units it was merged into or split into.
    public var successorCodes: [String]

    public init(
        code: String, name: String, kind: UnitKind, parentCode: String? = nil,
        retiredOn: CivilDate? = nil, successorCodes: [String] = []
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
        self.retiredOn = retiredOn
        self.successorCodes = successorCodes
    }
}

/// A tree of units of any depth: province → departments + districts → communes
/// before July 2025, province → departments + communes since.
public struct UnitTree: Sendable {
    public private(set) var units: [ReportingUnit]
    public private(set) var indexByCode: [String: Int]
    public private(set) var childIndices: [[Int]]
    public private(set) var parentIndex: [Int?]
    public private(set) var roots: [Int]

    public enum BuildError: Error, Equatable, Sendable {
        case duplicateCode(String)
        case unknownParent(unit: String, parent: String)
        case cycle(String)
        case unknownSuccessor(unit: String, successor: String)

        public var message: String {
            switch self {
            case .duplicateCode(let code): return "Mã đơn vị \(code) bị trùng. Mỗi đơn vị phải có một mã riêng."
            case .unknownParent(let unit, let parent): return "Đơn vị \(unit) có đơn vị cấp trên \(parent) không tồn tại trong danh sách."
            case .cycle(let code): return "Cây đơn vị có vòng lặp tại \(code): một đơn vị không thể là cấp trên của chính nó."
            case .unknownSuccessor(let unit, let successor):
                return "Đơn vị \(unit) được sáp nhập vào \(successor), nhưng \(successor) không có trong danh sách."
            }
        }
    }

    public init(units: [ReportingUnit]) throws(BuildError) {
        var index: [String: Int] = [:]
        index.reserveCapacity(units.count)
        for (position, unit) in units.enumerated() {
            if index[unit.code] != nil { throw .duplicateCode(unit.code) }
            index[unit.code] = position
        }
        var children = Array(repeating: [Int](), count: units.count)
        var parents = [Int?](repeating: nil, count: units.count)
        var roots: [Int] = []
        for (position, unit) in units.enumerated() {
            if let parent = unit.parentCode, !parent.isEmpty {
                guard let parentPosition = index[parent] else { throw .unknownParent(unit: unit.code, parent: parent) }
                children[parentPosition].append(position)
                parents[position] = parentPosition
            } else {
                roots.append(position)
            }
            for successor in unit.successorCodes where index[successor] == nil {
                throw .unknownSuccessor(unit: unit.code, successor: successor)
            }
        }
        // Every unit must reach a root; otherwise the parent links form a cycle.
        var reachable = Array(repeating: false, count: units.count)
        var stack = roots
        while let next = stack.popLast() {
            reachable[next] = true
            stack.append(contentsOf: children[next])
        }
        if let stuck = reachable.firstIndex(of: false) { throw .cycle(units[stuck].code) }
        self.units = units
        self.indexByCode = index
        self.childIndices = children
        self.parentIndex = parents
        self.roots = roots
    }

    public subscript(code: String) -> ReportingUnit? { indexByCode[code].map { units[$0] } }

    public func children(of code: String) -> [ReportingUnit] {
        guard let position = indexByCode[code] else { return [] }
        return childIndices[position].map { units[$0] }
    }

    /// Every unit below `code`, at any depth, parents before children.
    public func descendantIndices(of position: Int) -> [Int] {
        var result: [Int] = []
        var stack = childIndices[position].reversed() as [Int]
        while let next = stack.popLast() {
            result.append(next)
            stack.append(contentsOf: childIndices[next].reversed())
        }
        return result
    }

    public func descendants(of code: String) -> [ReportingUnit] {
        guard let position = indexByCode[code] else { return [] }
        return descendantIndices(of: position).map { units[$0] }
    }

    /// From the root down to `code`.
    public func path(to code: String) -> [ReportingUnit] {
        guard var position = indexByCode[code] else { return [] }
        var result = [units[position]]
        while let parent = parentIndex[position] {
            result.append(units[parent])
            position = parent
        }
        return result.reversed()
    }

    public func isAncestor(_ ancestor: String, of code: String) -> Bool {
        path(to: code).dropLast().contains { $0.code == ancestor }
    }

    /// Depth in the tree, the root being 0.
    public func depth(of code: String) -> Int { max(path(to: code).count - 1, 0) }

    /// The units whose history a successor's time series includes: itself and,
    /// transitively, every unit merged into it.
    public func lineage(of code: String) -> [String] {
        var predecessors: [String: [String]] = [:]
        for unit in units {
            for successor in unit.successorCodes { predecessors[successor, default: []].append(unit.code) }
        }
        var result: [String] = []
        var seen: Set<String> = []
        var stack = [code]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            result.append(next)
            stack.append(contentsOf: predecessors[next] ?? [])
        }
        return result
    }

    /// Units active on a date (not yet retired).
    public func active(on date: CivilDate) -> [ReportingUnit] {
        units.filter { unit in unit.retiredOn.map { date < $0 } ?? true }
    }
}
