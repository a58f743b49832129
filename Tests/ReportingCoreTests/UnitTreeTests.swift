import Testing

@testable import ReportingCore

@Suite("Units and the hierarchy")
struct UnitTreeTests {
    /// Before July 2025: province → departments + districts → communes.
    static func threeLevels() throws -> UnitTree {
        try UnitTree(units: [
            ReportingUnit(code: "H05", name: "Bắc Giang", kind: .province),
            ReportingUnit(code: "STP", name: "Sở Tư pháp", kind: .department, parentCode: "H05"),
            ReportingUnit(code: "YD", name: "Huyện Yên Dũng", kind: .district, parentCode: "H05"),
            ReportingUnit(code: "X1", name: "Xã Tân An", kind: .commune, parentCode: "YD"),
            ReportingUnit(
                code: "X2", name: "Xã Tân Liễu", kind: .commune, parentCode: "YD",
                retiredOn: CivilDate(year: 2025, month: 7, day: 1), successorCodes: ["X1"])
        ])
    }

    @Test func threeLevelShape() throws {
        let tree = try Self.threeLevels()
        #expect(tree.children(of: "H05").map(\.code) == ["STP", "YD"])
        #expect(tree.descendants(of: "H05").map(\.code) == ["STP", "YD", "X1", "X2"])
        #expect(tree.path(to: "X1").map(\.code) == ["H05", "YD", "X1"])
        #expect(tree.depth(of: "X1") == 2)
        #expect(tree.isAncestor("H05", of: "X2"))
        #expect(!tree.isAncestor("STP", of: "X2"))
    }

    @Test func twoLevelShapeSince2025() throws {
        let tree = try UnitTree(units: [
            ReportingUnit(code: "P", name: "Tỉnh Bắc Ninh", kind: .province),
            ReportingUnit(code: "S", name: "Sở Nội vụ", kind: .department, parentCode: "P"),
            ReportingUnit(code: "C", name: "Xã Yên Dũng", kind: .commune, parentCode: "P")
        ])
        #expect(tree.children(of: "P").map(\.kind) == [.department, .commune])
        #expect(tree.depth(of: "C") == 1)
    }

    @Test func successorSeriesIncludePredecessors() throws {
        let tree = try Self.threeLevels()
        #expect(Set(tree.lineage(of: "X1")) == ["X1", "X2"])
        #expect(tree.lineage(of: "X2") == ["X2"])
        #expect(tree.active(on: CivilDate(year: 2025, month: 8, day: 1)).map(\.code).contains("X2") == false)
        #expect(tree.active(on: CivilDate(year: 2024, month: 8, day: 1)).map(\.code).contains("X2"))
    }

    @Test func badTreesAreRefused() {
        #expect(throws: UnitTree.BuildError.duplicateCode("A")) {
            try UnitTree(units: [ReportingUnit(code: "A", name: "A", kind: .province), ReportingUnit(code: "A", name: "B", kind: .commune)])
        }
        #expect(throws: UnitTree.BuildError.unknownParent(unit: "B", parent: "Z")) {
            try UnitTree(units: [ReportingUnit(code: "B", name: "B", kind: .commune, parentCode: "Z")])
        }
        #expect(throws: UnitTree.BuildError.cycle("A")) {
            try UnitTree(units: [
                ReportingUnit(code: "A", name: "A", kind: .commune, parentCode: "B"),
                ReportingUnit(code: "B", name: "B", kind: .commune, parentCode: "A")
            ])
        }
    }
}
