import Foundation
import Testing

@testable import ReportingCore

/// Helpers: a dossier CSV in the default layout from short rows.
enum DossierCSV {
    static let header = DossierGenerator.header
    /// unit, level, channel, received, due, finished, then flags (7 cells) and rating default to in-person, nothing set.
    static func row(
        unit: String = "U1", procedure: String = "P1", level: String = "Toàn trình", channel: String = "Trực tiếp",
        received: String, due: String = "30/03/2024", finished: String = "", flags: [String] = Array(repeating: "Không", count: 6),
        rating: String = ""
    ) -> String {
        (["HS", unit, procedure, level, channel, received, due, finished] + flags + [rating]).joined(separator: ",")
    }
    static func bytes(_ rows: [String]) -> [UInt8] { Array(([header] + rows).joined(separator: "\n").utf8) }
    static let q1 = Period.quarter(1, 2024)
    static func summarize(_ rows: [String], knownUnits: Set<String>? = nil) throws -> DossierSummary {
        try DossierSummarizer(period: q1, knownUnits: knownUnits).summarize(bytes: bytes(rows))
    }
    static func problems(_ rows: [String], knownUnits: Set<String>? = nil) -> [DossierInputProblem] {
        problems(bytes(rows), knownUnits: knownUnits)
    }
    static func problems(_ bytes: [UInt8], knownUnits: Set<String>? = nil, workers: Int = 1) -> [DossierInputProblem] {
        rejection { () throws(DossierFileError) in
            try DossierSummarizer(period: q1, knownUnits: knownUnits, workers: workers).summarize(bytes: bytes)
        }?.problems ?? []
    }
    /// The problems and their total when `body` refuses the file; nil when it accepts it.
    static func rejection(_ body: () throws(DossierFileError) -> DossierSummary) -> (problems: [DossierInputProblem], total: Int)? {
        let result = Result<DossierSummary, DossierFileError> { () throws(DossierFileError) in try body() }
        guard case .failure(let error) = result, case .rejected(let problems, let total) = error else { return nil }
        return (problems, total)
    }
}

@Suite("Dossier records")
struct DossierTests {
    @Test func generatedRecordsGiveTheirTrueCounts() throws {
        var generator = DossierGenerator(seed: 7, units: DossierGenerator.unitCodes(7), procedures: 40, period: DossierCSV.q1)
        let (bytes, truth) = generator.bytes(rows: 5_000)
        let summary = try DossierSummarizer(period: DossierCSV.q1, workers: 1).summarize(bytes: bytes)
        #expect(summary.rows == 5_000)
        for (unit, expected) in truth {
            let counts = summary.units[unit] ?? DossierUnitCounts()
            for counter in DossierCounter.allCases {
                #expect(counts[counter] == expected[counter], "\(unit) \(counter.key)")
            }
        }
        // Rows fall on both sides of the window, so the filter is exercised.
        let total = try summary.total()
        #expect(total[.received] > 0 && total[.received] < 5_000)
        #expect(total[.finished] > 0 && total[.receivedInProgress] > 0 && total[.finishedLate] > 0)
    }

    @Test func parallelRangesAndSmallBuffersAgreeWithOneReader() throws {
        var generator = DossierGenerator(seed: 11, units: DossierGenerator.unitCodes(5), period: DossierCSV.q1)
        let (bytes, truth) = generator.bytes(rows: 20_000) // about 2.6 MB: crosses the 1 MB buffer
        var parallel = DossierSummarizer(period: DossierCSV.q1, workers: 3)
        parallel.parallelThreshold = 0
        let summary = try parallel.summarize(bytes: bytes)
        for (unit, expected) in truth { #expect(summary.units[unit] == expected) }
        let header = try DossierHeader(names: DossierCSV.header.split(separator: ",").map(String.init), mapping: DossierMapping())
        let template = DossierAccumulator(header: header, mapping: DossierMapping(), window: DossierCSV.q1.cutOff, knownUnits: nil)
        let start = DossierCSV.header.utf8.count + 1
        let small = DossierRangeReader.read(
            DossierMemorySource(bytes: bytes), from: start, to: bytes.count, accumulator: template, bufferBytes: 0)
        #expect(small.accumulator.rows == 20_000)
        #expect(small.endOffset == bytes.count)
        for (unit, expected) in truth { #expect(small.accumulator.unitCounts()[unit] == expected) }
    }

    @Test func aSplitInsideAQuotedFieldFallsBackToOneReader() throws {
        // One dossier code spans many lines, so a split near the middle lands inside its quotes.
        var rows = (0..<50).map { _ in DossierCSV.row(received: "01/02/2024") }
        let long = "\"" + Array(repeating: "x", count: 2_000).joined(separator: "\n") + "\""
        rows.append(long + ",U1,P1,Toàn trình,Trực tuyến,02/02/2024,30/03/2024,,Không,Không,Không,Không,Không,Không,")
        rows += (0..<50).map { _ in DossierCSV.row(received: "01/02/2024") }
        var summarizer = DossierSummarizer(period: DossierCSV.q1, workers: 2)
        summarizer.parallelThreshold = 0
        let bytes = DossierCSV.bytes(rows)
        let summary = try summarizer.summarize(bytes: bytes)
        #expect(summary.rows == 101)
        #expect(summary.units["U1"]?[.receivedOnline] == 1)
        #expect(try DossierSummarizer(period: DossierCSV.q1, workers: 1).summarize(bytes: bytes) == summary)
    }

    @Test func cutOffWindowEdgesWithTimes() throws {
        let summary = try DossierCSV.summarize([
            DossierCSV.row(unit: "A", received: "14/03/2024 23:59"),
            DossierCSV.row(unit: "B", received: "15/03/2024 00:00"),
            DossierCSV.row(unit: "A", received: "15/12/2023 00:00"),
            DossierCSV.row(unit: "B", received: "14/12/2023 23:59"),
            DossierCSV.row(unit: "A", received: "2024-01-10")
        ])
        #expect(summary.units["A"]?[.received] == 3)
        #expect(summary.units["B"]?[.received] == 0)
    }

    @Test func finishedCountsUseTheFinishingDateAndInProgressIsKept() throws {
        let summary = try DossierCSV.summarize([
            // Received last period, finished in this one: finished here, not received.
            DossierCSV.row(received: "10/12/2023", due: "20/12/2023", finished: "16/12/2023"),
            // Received here, finished next period: received and still in progress at the cut-off.
            DossierCSV.row(received: "10/03/2024", due: "20/03/2024", finished: "16/03/2024"),
            // Received here, not finished.
            DossierCSV.row(received: "11/03/2024", due: "20/03/2024")
        ])
        let counts = try #require(summary.units["U1"])
        #expect(counts[.received] == 2)
        #expect(counts[.receivedInProgress] == 2)
        #expect(counts[.finished] == 1)
        #expect(counts[.finishedOnTime] == 1)
    }

    @Test func onTimeMeansNoLaterThanDue() throws {
        let summary = try DossierCSV.summarize([
            DossierCSV.row(unit: "ontime", received: "01/02/2024", due: "05/02/2024", finished: "05/02/2024 16:45"),
            DossierCSV.row(unit: "ontime", received: "01/02/2024", due: "05/02/2024 17:00", finished: "05/02/2024 17:00"),
            DossierCSV.row(unit: "ontime", received: "01/02/2024", due: "05/02/2024 17:00", finished: "05/02/2024"),
            DossierCSV.row(unit: "late", received: "01/02/2024", due: "05/02/2024 17:00", finished: "05/02/2024 17:01"),
            DossierCSV.row(unit: "late", received: "01/02/2024", due: "05/02/2024", finished: "06/02/2024 08:00")
        ])
        #expect(summary.units["ontime"]?[.finishedOnTime] == 3)
        #expect(summary.units["ontime"]?[.finishedLate] == 0)
        #expect(summary.units["late"]?[.finishedOnTime] == 0)
        #expect(summary.units["late"]?[.finishedLate] == 2)
    }

    @Test func bomCRLFQuotesAndAnyColumnOrder() throws {
        let header =
            "\"Ngày tiếp nhận\",Mã đơn vị,MỨC ĐỘ DVC,Hình thức nộp,Hạn trả kết quả,Ngày trả kết quả,Mã thủ tục,Số hóa hồ sơ,"
            + "Số hóa kết quả,Kết quả điện tử,Tái sử dụng dữ liệu,Có nghĩa vụ tài chính,Thanh toán trực tuyến,Đánh giá,Ghi chú"
        // Decomposed Unicode (as a Mac writes it) and other cases are the same words.
        let decomposed = "Tru\u{031B}\u{0323}c tuye\u{0302}\u{0301}n"
        let text =
            "\u{FEFF}" + header + "\r\n"
            + "01/02/2024,\"U,1\",toàn trình,\(decomposed),05/02/2024,04/02/2024,P1,1,0,Có,không,Có,Có,Hài lòng,\"ghi \"\"chú\"\"\"\r\n"
            + "01/02/2024, U2 ,Một phần,Bưu chính,05/02/2024,,P1,0,0,0,0,0,0,,\r\n"
        let summary = try DossierSummarizer(period: DossierCSV.q1).summarize(bytes: Array(text.utf8))
        let first = try #require(summary.units["U,1"])
        #expect(first[.receivedFullOnline] == 1 && first[.receivedDigitised] == 1 && first[.finishedElectronicResult] == 1)
        #expect(first[.receivedPaidOnline] == 1 && first[.finishedSatisfied] == 1 && first[.receivedReused] == 0)
        #expect(summary.units["U2"]?[.receivedPartial] == 1)
        #expect(summary.units["U2"]?[.receivedOnline] == 0)
        #expect(!summary.fields.contains(.syncedToPortal))
    }

    @Test func aMappingReadsAnotherSystemsExport() throws {
        let yaml = """
            headers:
              unit: MaDonVi
              procedure: MaTTHC
              service_level: MucDo
              channel: KenhNop
              received_on: NgayNhan
              due_on: HanTra
              finished_on: NgayTra
              digitised_input: SoHoaHS
              digitised_result: SoHoaKQ
              electronic_result: KQDienTu
              reused_data: TaiSuDung
              has_fees: CoPhi
              paid_online: TTTT
              rating: DanhGia
            values:
              service_level: {"4": "Toàn trình", "3": "Một phần"}
              channel: {"Online": "Trực tuyến", "Tai quay": "Trực tiếp"}
              digitised_input: {"Y": "Có", "N": "Không"}
            """
        let mapping = try DossierMapping.parse(yaml: yaml, name: "map.yaml")
        let text = """
            MaDonVi,MaTTHC,MucDo,KenhNop,NgayNhan,HanTra,NgayTra,SoHoaHS,SoHoaKQ,KQDienTu,TaiSuDung,CoPhi,TTTT,DanhGia
            X,P,4,Online,01/02/2024,05/02/2024,,Y,0,0,0,0,0,
            X,P,3,Tai quay,01/02/2024,05/02/2024,,N,0,0,0,0,0,
            """
        let summary = try DossierSummarizer(period: DossierCSV.q1, mapping: mapping).summarize(bytes: Array(text.utf8))
        let counts = try #require(summary.units["X"])
        #expect(counts[.receivedFullOnline] == 1 && counts[.receivedPartial] == 1 && counts[.receivedDigitised] == 1)
        #expect(throws: DossierMapping.MappingError.self) { try DossierMapping.parse(yaml: "values: {channel: {Web: Online}}", name: "m") }
        #expect(throws: DossierMapping.MappingError.self) { try DossierMapping.parse(yaml: "headers: {nothing: X}", name: "m") }
        #expect(throws: (any Error).self) { try DossierMapping.parse(yaml: "headers: &a {unit: *a}", name: "m") }
    }

    @Test func everyProblemIsReportedWithItsLineAndTheFileIsRefusedWhole() throws {
        let rows = [
            DossierCSV.row(unit: "U1", received: "01/02/2024"), // line 2: fine
            DossierCSV.row(unit: "NOWHERE", received: "01/02/2024"), // line 3
            DossierCSV.row(unit: "U1", received: "31/02/2024"), // line 4
            DossierCSV.row(unit: "U1", received: "05/02/2024", finished: "04/02/2024"), // line 5
            DossierCSV.row(unit: "U1", received: "01/02/2024", flags: ["Có", "Có", "Yes", "Không", "Không", "Không"]), // line 6
            DossierCSV.row(unit: "U1", received: "01/02/2024", due: ""), // line 7
            "HS,U1,P1" // line 8
        ]
        let problems = DossierCSV.problems(rows, knownUnits: ["U1"])
        #expect(problems.map(\.line) == [3, 4, 5, 6, 7, 8])
        #expect(
            problems[0].description
                == "Dòng 3: mã đơn vị “NOWHERE” không có trong danh sách đơn vị. Sửa mã đơn vị hoặc bổ sung đơn vị vào danh sách.")
        #expect(problems[1].description.contains("cột “Ngày tiếp nhận” có ngày “31/02/2024” không đọc được"))
        #expect(problems[2].description.contains("ngày trả kết quả 04/02/2024 trước ngày tiếp nhận 05/02/2024"))
        #expect(
            problems[3].description.contains(
                "cột “Kết quả điện tử” có giá trị “Yes” không hợp lệ. Giá trị được chấp nhận: “Có”, “Không”, “1”, “0”."))
        #expect(problems[4].description.contains("cột “Hạn trả kết quả” để trống"))
        #expect(problems[5].description.contains("chỉ có 3 cột, dòng tiêu đề có 15 cột"))
        // Whole refusal: the good row on line 2 does not make a partial summary.
        #expect(throws: DossierFileError.self) { try DossierCSV.summarize(rows, knownUnits: ["U1"]) }
        // A time after finishing on the same day is compared too.
        let sameDay = DossierCSV.problems([DossierCSV.row(received: "05/02/2024 10:00", finished: "05/02/2024 09:59")])
        #expect(sameDay.map(\.line) == [2])
    }

    @Test func problemsAreCappedButCounted() throws {
        let rows = (0..<250).map { _ in DossierCSV.row(received: "hôm qua") }
        let refusal = try #require(
            DossierCSV.rejection { () throws(DossierFileError) in
                try DossierSummarizer(period: DossierCSV.q1).summarize(bytes: DossierCSV.bytes(rows))
            })
        #expect(refusal.problems.count == DossierLimits.maxReportedProblems)
        #expect(refusal.total == 250)
        #expect(DossierFileError.rejected(problems: refusal.problems, total: refusal.total).description.contains("… và 150 lỗi khác."))
    }

    @Test func problemLineNumbersAreRightAcrossParallelRanges() throws {
        var rows = (0..<30_000).map { _ in DossierCSV.row(received: "01/02/2024") }
        rows[25_000] = DossierCSV.row(received: "01/13/2024")
        var summarizer = DossierSummarizer(period: DossierCSV.q1, workers: 2)
        summarizer.parallelThreshold = 0
        let refusal = DossierCSV.rejection { () throws(DossierFileError) in try summarizer.summarize(bytes: DossierCSV.bytes(rows)) }
        #expect(refusal?.problems.map(\.line) == [25_002])
    }

    @Test func missingColumnsAndEmptyFilesAreRefused() {
        #expect(throws: DossierFileError.empty) { try DossierSummarizer(period: DossierCSV.q1).summarize(bytes: []) }
        #expect(throws: DossierFileError.missingColumns(["Mã đơn vị"])) {
            try DossierSummarizer(period: DossierCSV.q1).summarize(
                bytes: Array(DossierCSV.header.replacingOccurrences(of: "Mã đơn vị", with: "Đơn vị").utf8))
        }
    }
}

@Suite("Dossier records: hostile input")
struct DossierHostileInputTests {
    @Test func aHugeLineIsRefusedWithoutReadingItWhole() {
        var bytes = DossierCSV.bytes([DossierCSV.row(received: "01/02/2024")])
        bytes += Array("\n\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: DossierLimits.maxLineBytes + 10)
        let problems = DossierCSV.problems(bytes)
        #expect(problems.map(\.line) == [3])
        #expect(problems.first?.kind == .lineTooLong(limit: DossierLimits.maxLineBytes))
    }

    @Test func tenMillionColumnsAreRefused() {
        let header = Array(DossierCSV.header.utf8) + Array(repeating: UInt8(ascii: ","), count: 10_000_000)
        #expect(throws: DossierFileError.self) { try DossierSummarizer(period: DossierCSV.q1).summarize(bytes: header) }
        let row = Array((DossierCSV.header + "\n").utf8) + Array(repeating: UInt8(ascii: ","), count: 10_000_000)
        // The column cap is met long before the line cap: the scan stops at column 1.001.
        #expect(DossierCSV.problems(row) == [DossierInputProblem(line: 2, kind: .tooManyFields(limit: DossierLimits.maxFields))])
        let wide = Array((DossierCSV.header + "\n").utf8) + Array(repeating: UInt8(ascii: ","), count: DossierLimits.maxFields + 5)
        #expect(DossierCSV.problems(wide).first?.kind == .tooManyFields(limit: DossierLimits.maxFields))
    }

    @Test func anUnterminatedQuoteIsRefused() {
        let bytes = DossierCSV.bytes([DossierCSV.row(received: "01/02/2024"), "\"HS,U1,P1"])
        #expect(DossierCSV.problems(bytes) == [DossierInputProblem(line: 3, kind: .unterminatedQuote)])
        let stray = DossierCSV.bytes(["\"HS\"x,U1"])
        #expect(DossierCSV.problems(stray).first?.kind == .strayQuote)
    }

    @Test func countsThatWouldOverflowAreAnErrorNotACrash() throws {
        var big = DossierUnitCounts()
        big.set(.received, Int.max)
        var sum = big
        let added = sum.add(big)
        #expect(!added)
        #expect(sum == big)
        let summary = DossierSummary(period: DossierCSV.q1, units: ["A": big, "B": big], rows: 2)
        #expect(throws: DossierFileError.overflow) { try summary.total() }
        let map = try #require(try DossierFigureMap.builtIn(library: Fixtures.library)["qd766"])
        let one = DossierSummary(period: DossierCSV.q1, units: ["A": big], rows: 1)
        #expect(throws: DossierFileError.overflow) { try DossierFigures.compute(map, summary: one, library: Fixtures.library) }
        #expect(DossierFigures.percent(Int.max, of: 1, decimals: 6) == nil)
        #expect(DossierFigures.percent(1, of: 0, decimals: 2) == nil)
    }

    @Test func datesThatAreNotDatesAreRefused() {
        for text in [
            "32/01/2024", "29/02/2023", "1/1/24", "01/01/2024 24:00", "01/01/2024 10:7", "2024-02-30", "01/01/2024x",
            "99999999999999999999/1/2024", "01/01/2024 10:00:61"
        ] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { DossierDate.parse($0) }
            #expect(parsed == nil, "\(text)")
        }
        let leap = Array("29/02/2024 07:05".utf8).withUnsafeBufferPointer { DossierDate.parse($0) }
        #expect(leap?.civil == CivilDate(year: 2024, month: 2, day: 29))
        #expect(leap?.vietnamese == "29/02/2024 07:05")
    }
}
