import Foundation
import Testing

@testable import OfficeFormats

/// Hostile and broken files: each is refused with an `OfficeFormatError` whose
/// Vietnamese message says what is wrong, and none stops the process.
@Suite struct HostileFileTests {
    /// Runs `body`, expects an `OfficeFormatError`, and checks its message names the fault.
    @discardableResult
    private func refused(
        _ expected: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) -> OfficeFormatError? {
        let error = #expect(throws: OfficeFormatError.self, sourceLocation: sourceLocation) { try body() }
        if let error {
            #expect(error.message.contains(expected), "\(error.message)", sourceLocation: sourceLocation)
            #expect(error.message.hasPrefix("Tệp"), sourceLocation: sourceLocation)
        }
        return error
    }

    private func limit(_ error: OfficeFormatError?) -> OfficeLimitBreach? {
        if case .limitExceeded(_, let breach)? = error { return breach }
        return nil
    }

    // MARK: Sheets past Excel's edges

    @Test func columnDeclaredPastXFD() throws {
        let data = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet(
                "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
                before: "<cols><col min=\"16385\" max=\"16385\" width=\"9\" customWidth=\"1\"/></cols>"))
        let error = refused("cột số 16.385") { _ = try XLSXReader().read(data) }
        #expect(error?.message.contains("Hãy tải lại mẫu từ BaoCao") == true)
        // A column run that only ends past XFD is clamped, as Excel does.
        let clamped = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet(
                "", before: "<cols><col min=\"16384\" max=\"99999\" hidden=\"1\"/></cols>"))
        #expect(try XLSXReader().read(clamped).sheets[0].columns == [XLSXColumn(16_383, isHidden: true)])
    }

    @Test(arguments: ["99999999999999999999", "9223372036854775807", "1048577", "abc"])
    func rowNumberPastTheSheet(_ r: String) throws {
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet("<row r=\"\(r)\"><c><v>1</v></c></row>"))
        refused("nằm ngoài bảng tính") { _ = try XLSXReader().read(data) }
    }

    @Test(arguments: ["XFE1", "A1048577", "A99999999999999999999", "ZZZZ1"])
    func cellReferencePastTheSheet(_ ref: String) throws {
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet("<row r=\"1\"><c r=\"\(ref)\"><v>1</v></c></row>"))
        refused("nằm ngoài bảng tính") { _ = try XLSXReader().read(data) }
    }

    @Test func longLetterRunsInReferences() throws {
        // Found by FuzzXLSX: 14+ letters overflowed the column arithmetic.
        let letters = String(repeating: "Z", count: 40)
        #expect(CellReference(letters + "1") == nil)
        #expect(CellRange("A1:" + letters + "1") == nil)
        let data = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet(
                "<row r=\"1\"><c r=\"\(letters)1\"><v>1</v></c></row>", before: "<dimension ref=\"A1:\(letters)9\"/>"))
        refused("nằm ngoài bảng tính") { _ = try XLSXReader().read(data) }
    }

    @Test func cellsWithoutReferencesWalkingPastXFD() throws {
        let cells = String(repeating: "<c><v>1</v></c>", count: CellReference.maxColumns + 1)
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet("<row r=\"1\">\(cells)</row>"))
        refused("cột 16385") { _ = try XLSXReader().read(data) }
        // Rows without numbers walking past the last row.
        let last = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet("<row r=\"1048576\"><c><v>1</v></c></row><row><c><v>2</v></c></row>"))
        refused("dòng 1048577") { _ = try XLSXReader().read(last) }
    }

    @Test func lastCellOfTheSheetIsRead() throws {
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet("<row r=\"1048576\"><c r=\"XFD1048576\"><v>7</v></c></row>"))
        let sheet = try XLSXReader().read(data).sheets[0]
        #expect(sheet.rows.count == CellReference.maxRows)
        #expect(sheet.rows.last?.last?.value == .number(7))
    }

    @Test func sharedFormulaWhoseShiftWouldOverflow() throws {
        let rows = """
            <row r="1"><c r="B1"><f t="shared" si="0" ref="B1:B3">A9223372036854775807+A1048576+$A1</f><v>1</v></c></row>\
            <row r="1048576"><c r="B1048576"><f t="shared" si="0"/><v>2</v></c></row>
            """
        let sheet = try XLSXReader().read(HostileFiles.workbook(sheetXML: HostileFiles.sheet(rows))).sheets[0]
        // The 19-digit token is a name, not a reference; the moved references fall off the sheet.
        #expect(sheet.rows[1_048_575][1].value == .formula("A9223372036854775807+#REF!+$A1048576", cached: .number(2)))
        #expect(FormulaShifter.shift("A1", rows: Int.max, columns: 0) == "#REF!")
        #expect(FormulaShifter.shift("XFD1", rows: 0, columns: Int.max) == "#REF!")
        #expect(FormulaShifter.shift("B2", rows: Int.min, columns: Int.min) == "#REF!")
    }

    @Test func frozenPaneWithHugeSplitIsClamped() throws {
        let data = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet(
                "", before: "<sheetViews><sheetView><pane xSplit=\"1e300\" ySplit=\"nan\" state=\"frozen\"/></sheetView></sheetViews>"))
        #expect(try XLSXReader().read(data).sheets[0].frozenAt == CellReference(row: 0, column: CellReference.maxColumns - 1))
    }

    // MARK: ZIP structure

    @Test func zip64MarkersAreRefused() throws {
        let part = HostileFiles.RawEntry.stored("xl/workbook.xml", Array("<workbook/>".utf8))
        var sizes = part
        sizes.uncompressedSize = UInt32.max
        refused("ZIP64") { _ = try XLSXReader().read(HostileFiles.zip([sizes])) }
        var offset = part
        offset.offsetField = UInt32.max
        refused("ZIP64") { _ = try XLSXReader().read(HostileFiles.zip([offset])) }
        refused("ZIP64") { _ = try XLSXReader().read(HostileFiles.zip([part], entryCountField: UInt16.max)) }
        refused("ZIP64") { _ = try XLSXReader().read(HostileFiles.zip([part], zip64Locator: true)) }
    }

    @Test func bogusSizesAndOffsets() throws {
        let bytes = Array("<workbook/>".utf8)
        var farOffset = HostileFiles.RawEntry.stored("xl/workbook.xml", bytes)
        farOffset.offsetField = 0x7FFF_FFF0
        refused("bị hỏng") { _ = try XLSXReader().read(HostileFiles.zip([farOffset])) }
        var bigCompressed = HostileFiles.RawEntry.stored("xl/workbook.xml", bytes)
        bigCompressed.compressedSizeField = 0x7FFF_FFF0
        refused("bị hỏng") { _ = try XLSXReader().read(HostileFiles.zip([bigCompressed])) }
        var wrongSize = HostileFiles.RawEntry.deflated("xl/workbook.xml", bytes)
        wrongSize.uncompressedSize = 3
        refused("bị hỏng") { _ = try XLSXReader().read(HostileFiles.zip([wrongSize])) }
        var wrongCRC = HostileFiles.RawEntry.deflated("xl/workbook.xml", bytes)
        wrongCRC.crc ^= 1
        refused("bị hỏng") { _ = try XLSXReader().read(HostileFiles.zip([wrongCRC])) }
        let entry = HostileFiles.RawEntry.stored("xl/workbook.xml", bytes)
        refused("mục lục ZIP") { _ = try XLSXReader().read(HostileFiles.zip([entry], directoryOffsetField: 0x7FFF_0000)) }
        refused("mục lục ZIP") { _ = try XLSXReader().read(HostileFiles.zip([entry], entryCountField: 40)) }
    }

    @Test func encryptedDuplicateAndUnknownMethodEntries() throws {
        var encrypted = HostileFiles.RawEntry.stored("xl/workbook.xml", [1, 2, 3])
        encrypted.flags = 1
        refused("mật khẩu") { _ = try XLSXReader().read(HostileFiles.zip([encrypted])) }
        var bzip = HostileFiles.RawEntry.stored("xl/workbook.xml", [1, 2, 3])
        bzip.method = 12
        refused("kiểu nén") { _ = try XLSXReader().read(HostileFiles.zip([bzip])) }
        let twice = HostileFiles.RawEntry.stored("xl/workbook.xml", [1])
        var again = twice
        again.name = "XL/Workbook.xml"
        refused("hai lần") { _ = try XLSXReader().read(HostileFiles.zip([twice, again])) }
    }

    @Test func tooManyEntries() throws {
        let entries = (0..<11).map { HostileFiles.RawEntry.stored("part\($0).xml", [60]) }
        let error = refused("hơn 10 thành phần") { _ = try XLSXReader(limits: .init(maxEntries: 10)).read(HostileFiles.zip(entries)) }
        #expect(limit(error) == .entryCount(limit: 10))
    }

    // MARK: Decompression bombs

    @Test func smallBombPastTheEntryLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let honest = HostileFiles.RawEntry.deflated("_rels/.rels", zeros)
        let limits = OfficeReadLimits(maxEntryInflatedBytes: 1 << 20, maxCompressionRatio: Int.max)
        let error = refused("lớn hơn 1 MB") { _ = try XLSXReader(limits: limits).read(HostileFiles.zip([honest])) }
        #expect(limit(error) == .entryInflatedSize(part: "_rels/.rels", limit: 1 << 20))
        // The same bomb declaring a tiny size is stopped while inflating.
        var lying = honest
        lying.uncompressedSize = 10
        let stopped = refused("lớn hơn 1 MB") { _ = try XLSXReader(limits: limits).read(HostileFiles.zip([lying])) }
        #expect(limit(stopped) == .entryInflatedSize(part: "_rels/.rels", limit: 1 << 20))
    }

    @Test func compressionRatioPastTheLimit() throws {
        var bomb = HostileFiles.RawEntry.deflated("_rels/.rels", [UInt8](repeating: 0, count: 4 << 20))
        bomb.uncompressedSize = 100
        let error = refused("nén quá 200 lần") { _ = try XLSXReader().read(HostileFiles.zip([bomb])) }
        #expect(limit(error) == .compressionRatio(part: "_rels/.rels", limit: 200))
    }

    @Test func realSizeBombFailsWithoutInflatingIt() throws {
        // About 2 MB of deflate that would inflate to 2 GiB.
        let stream = HostileFiles.zeroBomb(mebibytes: 2048)
        #expect(stream.count > 1_500_000 && stream.count < 3_000_000)
        let honest = HostileFiles.RawEntry(
            name: "xl/worksheets/sheet1.xml", stored: stream, method: 8, crc: 0,
            uncompressedSize: UInt32(2048 << 20))
        let error = refused("vượt giới hạn") {
            _ = try ZipArchiveReader(data: HostileFiles.zip([honest]), invalidPackage: .notXLSX).read("xl/worksheets/sheet1.xml")
        }
        #expect(
            limit(error) == .entryInflatedSize(part: "xl/worksheets/sheet1.xml", limit: OfficeReadLimits.standard.maxEntryInflatedBytes))
        // Declaring a small size only moves the refusal into the inflate loop.
        var lying = honest
        lying.uncompressedSize = 1000
        let stopped = refused("vượt giới hạn") {
            _ = try ZipArchiveReader(data: HostileFiles.zip([lying]), invalidPackage: .notXLSX).read("xl/worksheets/sheet1.xml")
        }
        #expect(
            limit(stopped) == .entryInflatedSize(part: "xl/worksheets/sheet1.xml", limit: OfficeReadLimits.standard.maxEntryInflatedBytes))
    }

    @Test func totalInflatedSizeOverAllParts() throws {
        // Three sheets reading the same 600 KB part: each read counts.
        let padding = String(repeating: " ", count: 600_000)
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet("<row r=\"1\"><c><v>1</v></c></row>" + padding), sheets: 3)
        let limits = OfficeReadLimits(maxTotalInflatedBytes: 1 << 20, maxCompressionRatio: Int.max)
        let error = refused("lớn hơn 1 MB") { _ = try XLSXReader(limits: limits).read(data) }
        #expect(limit(error) == .totalInflatedSize(limit: 1 << 20))
        #expect(
            try XLSXReader(limits: limits).read(HostileFiles.workbook(sheetXML: HostileFiles.sheet(padding), sheets: 1)).sheets.count == 1)
    }

    // MARK: Cells, depth, strings

    @Test func cellSlotsPastTheLimit() throws {
        // 200 cells in column XFD force 200 × 16,384 slots.
        let rows = (1...200).map { "<row r=\"\($0)\"><c r=\"XFD\($0)\"><v>1</v></c></row>" }.joined()
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet(rows))
        let error = refused("hơn 2.000.000 ô") { _ = try XLSXReader().read(data) }
        #expect(limit(error) == .cellCount(limit: 2_000_000))
        // The budget is for the workbook, not per sheet.
        let few = (1...40).map { "<row r=\"\($0)\"><c r=\"XFD\($0)\"><v>1</v></c></row>" }.joined()
        let shared = try HostileFiles.workbook(sheetXML: HostileFiles.sheet(few), sheets: 4)
        #expect(limit(refused("ô") { _ = try XLSXReader(limits: .init(maxCells: 2_000_000)).read(shared) }) == .cellCount(limit: 2_000_000))
        let one = try HostileFiles.workbook(sheetXML: HostileFiles.sheet(few))
        #expect(try XLSXReader(limits: .init(maxCells: 40 * 16_384)).read(one).sheets.count == 1)
    }

    @Test func deepXMLInASheet() throws {
        let deep = String(repeating: "<x>", count: 300) + String(repeating: "</x>", count: 300)
        let data = try HostileFiles.workbook(sheetXML: HostileFiles.sheet(deep))
        let error = refused("sâu hơn 256 cấp") { _ = try XLSXReader().read(data) }
        #expect(limit(error) == .xmlDepth(part: "xl/worksheets/sheet1.xml", limit: 256))
    }

    @Test func deeplyNestedWordTables() throws {
        // Nested tables recurse in the reader; the depth limit bounds the stack.
        let open = String(repeating: "<w:tbl><w:tr><w:tc>", count: 20_000)
        let data = try HostileFiles.document(body: open + "<w:p><w:r><w:t>x</w:t></w:r></w:p>")
        let error = refused("Tệp Word vượt giới hạn") { _ = try DOCXReader().read(data) }
        #expect(limit(error) == .xmlDepth(part: "word/document.xml", limit: 256))
        #expect(error?.message.contains("lưu lại dưới dạng .docx") == true)
    }

    @Test func sharedStringCountAndSize() throws {
        let sheet = HostileFiles.sheet("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>")
        // A huge declared count is not allocated.
        let declared = try HostileFiles.workbook(
            sheetXML: sheet,
            sharedStrings: "<sst uniqueCount=\"999999999999999999\"><si><t>ok</t></si></sst>")
        #expect(try XLSXReader().read(declared).sheets[0].rows[0][0].value == .string("ok"))

        let many = try HostileFiles.workbook(
            sheetXML: sheet, sharedStrings: "<sst>" + String(repeating: "<si/>", count: 1_000_001) + "</sst>")
        // Empty strings compress past the ratio limit too; lift it to reach the count.
        let count = refused("hơn 1.000.000 chuỗi") { _ = try XLSXReader(limits: .init(maxCompressionRatio: 100_000)).read(many) }
        #expect(
            limit(refused("nén quá") { _ = try XLSXReader().read(many) }) == .compressionRatio(part: "xl/sharedStrings.xml", limit: 200))
        #expect(limit(count) == .sharedStringCount(limit: 1_000_000))

        let long = "<si><t>" + String(repeating: "a", count: 1000) + "</t></si>"
        let big = try HostileFiles.workbook(sheetXML: sheet, sharedStrings: "<sst>" + String(repeating: long, count: 100) + "</sst>")
        let size = refused("dài hơn 64 KB") { _ = try XLSXReader(limits: .init(maxSharedStringBytes: 64 << 10)).read(big) }
        #expect(limit(size) == .sharedStringBytes(limit: 64 << 10))
    }

    @Test func stringLongerThanExcelAllows() throws {
        let text = String(repeating: "ệ", count: 32_768)
        let inline = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet(
                "<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>\(text)</t></is></c></row>"))
        let error = refused("ô C2") { _ = try XLSXReader().read(inline) }
        #expect(limit(error) == .stringLength(place: "ô C2 của trang \"S1\"", limit: 32_767))
        let shared = try HostileFiles.workbook(sheetXML: HostileFiles.sheet(""), sharedStrings: "<sst><si><t>\(text)</t></si></sst>")
        refused("chuỗi dùng chung số 1") { _ = try XLSXReader().read(shared) }
        // Exactly at the limit is fine.
        let fits = try HostileFiles.workbook(
            sheetXML: HostileFiles.sheet(
                "<row r=\"1\"><c t=\"inlineStr\"><is><t>\(text.dropLast())</t></is></c></row>"))
        #expect(try XLSXReader().read(fits).sheets[0].rows[0][0].value.stringValue?.count == 32_767)
    }

    // MARK: Truncated and random bytes

    @Test func everyTruncationIsRefused() throws {
        let xlsx = try XLSXWriter().write(Samples.reportWorkbook())
        for cut in stride(from: 0, to: xlsx.count, by: 97) {
            #expect(throws: OfficeFormatError.self) { _ = try XLSXReader().read(xlsx.prefix(cut)) }
        }
        let docx = try DOCXWriter().write(Samples.reportDocument())
        for cut in stride(from: 0, to: docx.count, by: 97) {
            #expect(throws: OfficeFormatError.self) { _ = try DOCXReader().read(docx.prefix(cut)) }
        }
    }

    @Test func randomBytesAreRefused() throws {
        var random = SeededBytes(state: 2024)
        for i in 0..<300 {
            var bytes = random.bytes(Int(random.next() % 600) + 1)
            if i % 2 == 0 { bytes.replaceSubrange(0..<min(2, bytes.count), with: [0x50, 0x4B]) }
            #expect(throws: OfficeFormatError.self) { _ = try XLSXReader().read(Data(bytes)) }
            #expect(throws: OfficeFormatError.self) { _ = try DOCXReader().read(Data(bytes)) }
        }
    }

    @Test func flippedBytesEitherReadOrAreRefused() throws {
        // A stored (uncompressed) package, so flips land in the XML, not only in the checksum.
        let original = [UInt8](try XLSXWriter(compression: .store).write(Samples.reportWorkbook()))
        var random = SeededBytes(state: 7)
        var refusals = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<4 { bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next()) }
            do { _ = try XLSXReader().read(Data(bytes)) } catch is OfficeFormatError { refusals += 1 }
        }
        // A flipped byte in a part breaks its CRC: nearly every copy is refused, none crashes.
        #expect(refusals > 250)
    }
}
