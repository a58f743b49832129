/// Every aggregate of one unit (or of a unit and all units below it).
public struct DossierUnitCounts: Sendable, Equatable {
    /// Dossier counters, indexed by `DossierCounter.rawValue` (distinct-procedure slots unused).
    public private(set) var counts: [Int]
    /// Procedure codes behind the distinct-procedure counters, in `DossierCounter` order.
    public private(set) var procedures: [Set<String>]

    static let procedureSets = DossierCounter.allCases.filter(\.isDistinctProcedures).count
    static let firstProcedureCounter = DossierCounter.proceduresOnlineService.rawValue

    public init() {
        counts = Array(repeating: 0, count: DossierCounter.allCases.count)
        procedures = Array(repeating: [], count: DossierUnitCounts.procedureSets)
    }

    public subscript(counter: DossierCounter) -> Int {
        counter.isDistinctProcedures
            ? procedures[counter.rawValue - DossierUnitCounts.firstProcedureCounter].count : counts[counter.rawValue]
    }

    mutating func set(_ counter: DossierCounter, _ value: Int) { counts[counter.rawValue] = value }

    mutating func insertProcedure(_ code: String, into counter: DossierCounter) {
        procedures[counter.rawValue - DossierUnitCounts.firstProcedureCounter].insert(code)
    }

    /// Adds another unit's counts (sums dossiers, unions procedures); false on overflow, leaving self unchanged.
    public mutating func add(_ other: DossierUnitCounts) -> Bool {
        var sums = counts
        for index in sums.indices {
            let (sum, overflow) = sums[index].addingReportingOverflow(other.counts[index])
            if overflow { return false }
            sums[index] = sum
        }
        counts = sums
        for index in procedures.indices { procedures[index].formUnion(other.procedures[index]) }
        return true
    }
}
