import Testing

@testable import OfficeFormats

@Suite struct CellReferenceTests {
    @Test func columnNamesAtBoundaries() {
        let cases: [(Int, String)] = [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")]
        for (index, name) in cases {
            #expect(CellReference.columnName(index) == name)
            #expect(CellReference.columnIndex(name) == index)
            #expect(CellReference.columnIndex(name.lowercased()) == index)
        }
    }

    @Test func everyColumnRoundTrips() {
        for c in 0..<CellReference.maxColumns {
            #expect(CellReference.columnIndex(CellReference.columnName(c)) == c)
        }
        #expect(CellReference.columnIndex("XFE") == nil)
        #expect(CellReference.columnIndex("") == nil)
        #expect(CellReference.columnIndex("A1") == nil)
    }

    @Test func parsesA1Forms() {
        #expect(CellReference("A1") == CellReference(row: 0, column: 0))
        #expect(CellReference("B3") == CellReference(row: 2, column: 1))
        #expect(CellReference("$B$3") == CellReference(row: 2, column: 1))
        #expect(CellReference("b3") == CellReference(row: 2, column: 1))
        #expect(CellReference("XFD1048576") == CellReference(row: 1_048_575, column: 16_383))
        #expect(CellReference("AD11001")?.a1 == "AD11001")
        #expect(CellReference(row: 10_999, column: 29).a1 == "AD11000")
        #expect(CellReference(row: 2, column: 1).absoluteA1 == "$B$3")
    }

    @Test(arguments: ["", "A", "1", "A0", "AAAA1", "XFE1", "A1048577", "A1B", "1A", "A-1", "Ă1", "A 1", "$$A1"])
    func rejectsInvalid(_ text: String) {
        #expect(CellReference(text) == nil)
    }

    @Test func ranges() {
        let r = CellRange("C3:A1")!
        #expect(r.a1 == "A1:C3")
        #expect(r.rowCount == 3 && r.columnCount == 3)
        #expect(r.contains(CellReference(row: 1, column: 1)))
        #expect(!r.contains(CellReference("D1")!))
        #expect(CellRange("B2")?.a1 == "B2")
        #expect(CellRange("A1:B2:C3") == nil)
        #expect(CellRange(rows: 0...1, columns: 2...4).a1 == "C1:E2")
        #expect(CellRange("A1:B2")!.formulaReference(sheetName: "Biểu 'A'") == "'Biểu ''A'''!$A$1:$B$2")
    }
}
