import Testing

@testable import ReportingCore

/// Unit CSV files may carry a unit's retirement day and its successors.
@Suite struct UnitFileHistoryTests {
    @Test func retiredUnitsAndTheirSuccessorsAreRead() throws {
        let units = try UnitFile.parseCSV(
            """
            code,name,kind,parent_code,retired_on,successor_codes
            P,Tỉnh,province,,,
            A,Xã A,commune,P,2025-07-01,N1;N2
            B,Xã B,commune,P,01/07/2025,N1
            N1,Xã mới 1,commune,P,,
            N2,Xã mới 2,commune,P,,
            """)
        #expect(units[1].retiredOn == CivilDate(year: 2025, month: 7, day: 1))
        #expect(units[2].retiredOn == CivilDate(year: 2025, month: 7, day: 1))
        #expect(units[1].successorCodes == ["N1", "N2"])
        #expect(units[3].retiredOn == nil && units[3].successorCodes.isEmpty)
        let tree = try UnitTree(units: units)
        #expect(Set(tree.lineage(of: "N1")) == ["N1", "A", "B"])
        #expect(tree.active(on: CivilDate(year: 2025, month: 7, day: 1)).map(\.code) == ["P", "N1", "N2"])
    }

    @Test func theOldFourColumnsStillRead() throws {
        let units = try UnitFile.parseCSV("code,name,kind,parent_code\nP,Tỉnh,province,\n")
        #expect(units.count == 1 && units[0].retiredOn == nil)
    }

    @Test func aBadDayOrSuccessorIsRefusedWithWhatToFix() {
        #expect(throws: UnitFile.ParseError.self) { try UnitFile.parseCSV("code,name,kind,retired_on\nA,Xã A,commune,31/02/2025\n") }
        do {
            _ = try UnitFile.parseCSV("code,name,kind,retired_on\nA,Xã A,commune,hôm qua\n")
            Issue.record("a day that is not a date was accepted")
        } catch {
            #expect(
                error.description.contains("Dòng 2") && error.description.contains("hôm qua") && error.description.contains("01/07/2025"))
        }
        do {
            _ = try UnitFile.parseCSV("code,name,kind,successor_codes\nA,Xã A,commune,N<1>\n")
            Issue.record("a successor code with < > was accepted")
        } catch {
            #expect(error.description.contains("N<1>") && error.description.contains("tiếp nhận"))
        }
    }
}
