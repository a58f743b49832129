import Foundation
import Testing

@testable import ReportingCore

@Suite("Dossier figures")
struct DossierFigureTests {
    static let tree: UnitTree = {
        let units = [
            ReportingUnit(code: "T", name: "UBND tỉnh", kind: .province),
            ReportingUnit(code: "S1", name: "Sở Nội vụ", kind: .department, parentCode: "T"),
            ReportingUnit(code: "H1", name: "UBND huyện", kind: .district, parentCode: "T"),
            ReportingUnit(code: "X1", name: "UBND xã 1", kind: .commune, parentCode: "H1"),
            ReportingUnit(code: "X2", name: "UBND xã 2", kind: .commune, parentCode: "H1")
        ]
        do { return try UnitTree(units: units) } catch { fatalError("tree: \(error)") }
    }()

    static func maps() throws -> [String: DossierFigureMap] { try DossierFigureMap.builtIn(library: Fixtures.library) }

    static func value(_ figures: [DossierFigure], _ unit: String, _ code: String) -> String? {
        figures.first { $0.unit == unit && $0.code == code }.map { VietnameseNumber.format($0.value) }
    }

    /// Two commune dossiers (one online, finished on time), one district dossier (late), one department dossier.
    static let rows = [
        DossierCSV.row(
            unit: "X1", procedure: "P1", channel: "Trực tuyến", received: "01/02/2024", due: "05/02/2024", finished: "05/02/2024"),
        DossierCSV.row(unit: "X2", procedure: "P1", level: "Một phần", received: "01/02/2024", due: "05/02/2024", finished: "04/02/2024"),
        DossierCSV.row(unit: "X2", procedure: "P2", level: "", received: "02/02/2024"),
        DossierCSV.row(unit: "H1", procedure: "P9", received: "01/02/2024", due: "05/02/2024", finished: "06/02/2024"),
        DossierCSV.row(
            unit: "S1", procedure: "P7", channel: "Trực tuyến", received: "01/02/2024", due: "05/02/2024", finished: "02/02/2024",
            flags: ["Có", "Có", "Có", "Có", "Có", "Có"], rating: "Hài lòng")
    ]

    @Test func everyFigureMapLoadsAndNamesRealRows() throws {
        let maps = try Self.maps()
        #expect(Set(maps.keys) == ["egov-2024", "cchc-bm3", "kh48-2024", "qd766"])
        #expect(Fixtures.library.form("qd766")?.indicators.count == 24)
        // Every qd766 row is determined by the records.
        let qd766 = try #require(maps["qd766"])
        #expect(Set(qd766.rows.map(\.code)) == Set(Fixtures.library.form("qd766")?.indicators.map(\.code) ?? []))
        #expect(try DossierReport.availableForms(library: Fixtures.library) == ["cchc-bm3", "egov-2024", "kh48-2024", "qd766"])
    }

    @Test func egovRowsAreConsolidatedUpTheTree() throws {
        let summary = try DossierCSV.summarize(Self.rows, knownUnits: Set(Self.tree.units.map(\.code)))
        let map = try #require(try Self.maps()["egov-2024"])
        let figures = try DossierFigures.compute(map, summary: summary, library: Fixtures.library, tree: Self.tree)
        // The district: its own dossier plus its communes'.
        #expect(Self.value(figures, "H1", "6.3.1") == "2")
        #expect(Self.value(figures, "H1", "6.3.2") == "1")
        #expect(Self.value(figures, "H1", "6.3") == "50")
        #expect(Self.value(figures, "H1", "6.4.1") == "1")
        // P1 has dossiers in both communes: one service for the district.
        #expect(Self.value(figures, "H1", "6.2.1") == "2")
        #expect(Self.value(figures, "T", "6.3.1") == "3")
        #expect(Self.value(figures, "T", "6.3") == "66,67")
        #expect(Self.value(figures, "X2", "6.3.1") == "0")
        #expect(Self.value(figures, "X2", "6.3") == nil) // no whole: no ratio
        // Without a tree each unit has only its own dossiers.
        let flat = try DossierFigures.compute(map, summary: summary, library: Fixtures.library)
        #expect(Self.value(flat, "H1", "6.3.1") == "1")
        #expect(Self.value(flat, "T", "6.3.1") == nil)
    }

    @Test func cchcRowsCountTheDossiersOfTheirLevel() throws {
        let summary = try DossierCSV.summarize(Self.rows)
        let map = try #require(try Self.maps()["cchc-bm3"])
        #expect(throws: DossierFileError.needsUnitTree(form: "cchc-bm3")) {
            try DossierFigures.compute(map, summary: summary, library: Fixtures.library)
        }
        let figures = try DossierFigures.compute(map, summary: summary, library: Fixtures.library, tree: Self.tree)
        #expect(Self.value(figures, "T", "3.1.1") == "1")
        #expect(Self.value(figures, "T", "3.2.1") == "1")
        #expect(Self.value(figures, "T", "3.2") == "0")
        #expect(Self.value(figures, "T", "3.3.1") == "2")
        #expect(Self.value(figures, "T", "3.3") == "100")
        #expect(Self.value(figures, "H1", "3.3.2") == "2")
        // A row is given only to the levels the form assigns it to.
        #expect(Self.value(figures, "H1", "3.1.1") == nil)
        #expect(Self.value(figures, "X1", "3.2.1") == nil)
        #expect(Self.value(figures, "S1", "3.1.2") == "1")
    }

    @Test func planTargetsAndTheOptionalPortalColumn() throws {
        let summary = try DossierCSV.summarize(Self.rows)
        let map = try #require(try Self.maps()["kh48-2024"])
        let figures = try DossierFigures.compute(map, summary: summary, library: Fixtures.library)
        #expect(Self.value(figures, "S1", "I.4") == "100")
        #expect(Self.value(figures, "S1", "I.5") == "100")
        #expect(Self.value(figures, "S1", "I.12") == "100")
        #expect(Self.value(figures, "X1", "I.4") == "100")
        #expect(Self.value(figures, "X2", "I.4") == "0")
        // I.10 needs "Đồng bộ DVCQG", which this file does not have.
        #expect(Self.value(figures, "S1", "I.10") == nil)
        let text = DossierCSV.header + ",Đồng bộ DVCQG\n" + Self.rows[4] + ",Có\n" + Self.rows[0] + ",Không\n"
        let synced = try DossierSummarizer(period: DossierCSV.q1).summarize(bytes: Array(text.utf8))
        let withColumn = try DossierFigures.compute(map, summary: synced, library: Fixtures.library)
        #expect(Self.value(withColumn, "S1", "I.10") == "100")
        #expect(Self.value(withColumn, "X1", "I.10") == "0")
    }

    @Test func lowestOfTwoRatiosForI5() throws {
        let rows = [
            DossierCSV.row(
                unit: "A", received: "01/02/2024", due: "05/02/2024", finished: "02/02/2024",
                flags: ["Có", "Không", "Không", "Không", "Không", "Không"]),
            DossierCSV.row(unit: "A", received: "01/02/2024", flags: ["Có", "Không", "Không", "Không", "Không", "Không"])
        ]
        let map = try #require(try Self.maps()["kh48-2024"])
        let figures = try DossierFigures.compute(map, summary: try DossierCSV.summarize(rows), library: Fixtures.library)
        // Input digitised 2/2 = 100%, results 0/1 = 0%: the target's figure is the lower.
        #expect(Self.value(figures, "A", "I.5") == "0")
    }

    @Test func ratiosAreExactAndRoundedHalfUp() {
        #expect(DossierFigures.percent(1, of: 3, decimals: 2)?.description == "33.33")
        #expect(DossierFigures.percent(2, of: 3, decimals: 2)?.description == "66.67")
        #expect(DossierFigures.percent(1, of: 8, decimals: 2)?.description == "12.50")
        #expect(DossierFigures.percent(1, of: 800, decimals: 2)?.description == "0.13") // 0.125 → 0.13
        #expect(DossierFigures.percent(29_140, of: 29_140, decimals: 2)?.description == "100.00")
    }

    @Test func outputAsCSVAndJSON() throws {
        let figures = [
            DossierFigure(unit: "000.00.00.H05", code: "6.3.1", value: ExactNumber(29_140)),
            DossierFigure(unit: "=cmd", code: "6.3", value: ExactNumber(mantissa: 9745, scale: 2))
        ]
        #expect(DossierFigureOutput.csv(figures) == "unit,code,value\n000.00.00.H05,6.3.1,29.140\n'=cmd,6.3,\"97,45\"\n")
        let json = try DossierFigureOutput.json(figures)
        #expect(json.contains("\"code\" : \"6.3.1\""))
        #expect(json.contains("97.45"))
    }

    @Test func aSheetReadAsRowsIsSummarisedTheSameWay() throws {
        let header = DossierCSV.header.split(separator: ",").map(String.init)
        let row = [
            "HS \"1\"", "U1", "P1", "Toàn trình", "Trực tuyến", "01/02/2024", "05/02/2024", "", "Có", "Không", "Không", "Không",
            "Không", "Không", ""
        ]
        let summary = try DossierSummarizer(period: DossierCSV.q1).summarize(table: [header, row])
        #expect(summary.units["U1"]?[.receivedFullOnline] == 1)
    }

    @Test func excelDateSerialsBecomeTheTextTheReaderExpects() {
        #expect(DossierSummarizer.cellText(excelSerial: 45_365) == "14/03/2024")
        #expect(DossierSummarizer.cellText(excelSerial: 45_365.6875) == "14/03/2024 16:30")
        #expect(DossierSummarizer.cellText(excelSerial: .nan) == nil)
        #expect(DossierSummarizer.cellText(excelSerial: -3) == nil)
        #expect(DossierSummarizer.cellText(excelSerial: 1e300) == nil)
    }

    @Test func theWholeStepFromAFile() throws {
        var generator = DossierGenerator(seed: 3, units: ["T", "S1", "H1", "X1", "X2"], period: DossierCSV.q1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dossiers-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let truth = try generator.write(rows: 2_000, to: path, truth: true)
        let figures = try DossierReport.figures(
            path: path, period: DossierCSV.q1, form: "qd766", library: Fixtures.library, tree: Self.tree)
        let received = truth.values.reduce(0) { $0 + $1[.received] }
        #expect(Self.value(figures, "T", "1.1") == VietnameseNumber.format(ExactNumber(received)))
        let online = truth.values.reduce(0) { $0 + $1[.receivedOnline] }
        #expect(Self.value(figures, "T", "1") == DossierFigures.percent(online, of: received, decimals: 2).map(VietnameseNumber.format))
        #expect(throws: DossierFileError.unknownForm("egov-2022")) {
            try DossierReport.figures(path: path, period: DossierCSV.q1, form: "egov-2022", library: Fixtures.library)
        }
    }
}
