import Foundation
import Testing

@testable import ReportingCore

/// Phụ lục I of seed 000: the register of documents issued in Quý I/2024.
@Suite("Register of documents (Phụ lục I)")
struct DocumentRegisterTests {
    /// The 20 document lines of seed 000's Phụ lục I, as printed (row number, tab, citation).
    static func seedLines() throws -> [String] {
        try Fixtures.text("seed000-documents.txt").split(whereSeparator: \.isNewline).map(String.init)
    }

    @Test func everySeedLineParsesAndTheCountsMatchTheSeedsProse() throws {
        let lines = try Self.seedLines()
        #expect(lines.count == 20)
        var kinds: [DocumentKind] = []
        for line in lines {
            let reference = try #require(DocumentReference.parse(line), "does not parse: \(line)")
            #expect(!reference.summary.isEmpty)
            #expect(reference.number.contains("/"))
            // Every document of the Quý I/2024 register is dated in the quarter's window or just before.
            #expect(reference.date >= CivilDate(year: 2024, month: 1, day: 1) && reference.date <= CivilDate(year: 2024, month: 3, day: 14))
            kinds.append(reference.kind)
        }
        // Seed 000, section I.1: "… đã ban hành 01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo về chuyển đổi số".
        #expect(DocumentRegister.countsSentence(kinds) == "01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo")
        #expect(kinds.filter { $0 == .officialLetter }.count == 9)
        #expect(kinds.filter { $0 == .notice }.count == 3)
        #expect(kinds.filter { $0 == .report }.count == 3)
    }

    @Test func seedLinesAreReadFieldByField() throws {
        let lines = try Self.seedLines()
        func reference(_ index: Int) throws -> DocumentReference { try #require(DocumentReference.parse(lines[index])) }

        // "Quyết Định", capitalised so in the seed; "v/v" before the summary.
        let decision = try reference(0)
        #expect(decision.kind == .decision)
        #expect(decision.number == "98/QĐ-UBND")
        #expect(decision.date == CivilDate(year: 2024, month: 1, day: 31))
        #expect(decision.issuer == "UBND tỉnh")
        #expect(decision.summary == "điều chỉnh, bổ sung mã định danh điện tử cho các cơ quan Nhà nước tỉnh Bắc Giang")

        let plan = try reference(1)
        #expect(plan.kind == .plan && plan.number == "26/KH-UBND" && plan.issuer == "UBND tỉnh")
        #expect(plan.summary == "tuyên truyền cải cách hành chính năm 2024")

        // A date inside the summary ("Chỉ thị số 04/CT-TTg ngày 11/02/2024") is not the plan's date.
        let plan49 = try reference(4)
        #expect(plan49.date == CivilDate(year: 2024, month: 3, day: 4))
        #expect(plan49.summary.hasPrefix("thực hiện Chỉ thị số 04/CT-TTg ngày 11/02/2024 của Thủ tướng Chính phủ"))

        // No "về" after the issuer: the notice's summary starts with its own words.
        let notice = try reference(6)
        #expect(notice.kind == .notice && notice.number == "3/TB-UBND" && notice.issuer == "UBND tỉnh")
        #expect(notice.summary.hasPrefix("Thông báo Kết luận của Chủ tịch UBND tỉnh tại Hội nghị tổng kết"))

        // No issuer at all.
        let letter211 = try reference(9)
        #expect(letter211.number == "211/UBND-KTTH" && letter211.issuer == nil)
        #expect(letter211.summary.hasPrefix("xây dựng, kết nối cơ sở dữ liệu về giá"))

        // The issuer before the date, "về việc" before the summary.
        let letter92 = try reference(10)
        #expect(letter92.kind == .officialLetter)
        #expect(letter92.number == "92/STTTT-CNTT")
        #expect(letter92.issuer == "Sở Thông tin và Truyền thông")
        #expect(letter92.date == CivilDate(year: 2024, month: 1, day: 18))
        #expect(letter92.summary.hasPrefix("áp dụng, sử dụng các định mức"))

        let report = try reference(12)
        #expect(report.kind == .report && report.number == "16/BC-TCTTKĐA")
        #expect(report.summary.hasPrefix("Kết quả triển khai, thực hiện Đề án"))

        // "05/3/2024" and "7/03/2024", written so in the seed.
        #expect(try reference(18).date == CivilDate(year: 2024, month: 3, day: 5))
        #expect(try reference(19).date == CivilDate(year: 2024, month: 3, day: 7))
        #expect(try reference(19).number == "1105/UBND-KGVX")
    }

    @Test func theBriefsExamples() throws {
        let decision = try #require(
            DocumentReference.parse("Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về điều chỉnh, bổ sung mã định danh điện tử…"))
        #expect(decision.summary == "điều chỉnh, bổ sung mã định danh điện tử…")
        let letter = try #require(
            DocumentReference.parse("Công văn số 92/STTTT-CNTT của Sở Thông tin và Truyền thông ngày 18/01/2024 về việc…"))
        #expect(letter.issuer == "Sở Thông tin và Truyền thông")
        #expect(letter.summary == "…")
        let plan = try #require(
            DocumentReference.parse("Kế hoạch số 26/KH-UBND ngày 26/01/2024 của UBND tỉnh về tuyên truyền cải cách hành chính năm 2024"))
        #expect(
            plan
                == DocumentReference(
                    kind: .plan, number: "26/KH-UBND", date: CivilDate(year: 2024, month: 1, day: 26),
                    issuer: "UBND tỉnh", summary: "tuyên truyền cải cách hành chính năm 2024"))
    }

    @Test func looseWritingIsRead() throws {
        let upper = try #require(DocumentReference.parse("QUYẾT ĐỊNH số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về mã định danh"))
        #expect(upper.kind == .decision)
        // Decomposed Unicode (as some editors paste it) and the Latin Eth some fonts use for Đ.
        let decomposed = "Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về mã định danh".decomposedStringWithCanonicalMapping
        #expect(DocumentReference.parse(decomposed)?.kind == .decision)
        let eth = try #require(
            DocumentReference.parse("Quyết \u{00D0}ịnh số 98/Q\u{00D0}-UBND ngày 31/01/2024 của UBND tỉnh về mã định danh"))
        #expect(eth.kind == .decision && eth.number == "98/QĐ-UBND")
        let directive = try #require(
            DocumentReference.parse("- Chỉ thị số 09/CT-TTg ngày 23/02/2024 của Thủ tướng Chính phủ về tuân thủ quy định pháp luật"))
        #expect(directive.kind == .directive && directive.issuer == "Thủ tướng Chính phủ")
        #expect(directive.kind.group == .directions)
        let place = try #require(
            DocumentReference.parse("Kế hoạch số 12/KH-UBND ngày 5 tháng 2 năm 2024 của UBND tỉnh Bắc Giang về chuyển đổi số"))
        #expect(place.issuer == "UBND tỉnh Bắc Giang")
        #expect(place.date == CivilDate(year: 2024, month: 2, day: 5))
        let abbreviated = try #require(
            DocumentReference.parse("TB số: 7/TB-UBND, ngày 31-01-2024, của UBND huyện Yên Dũng V/v lịch tiếp công dân"))
        #expect(abbreviated.kind == .notice && abbreviated.number == "7/TB-UBND")
        #expect(abbreviated.issuer == "UBND huyện Yên Dũng" && abbreviated.summary == "lịch tiếp công dân")
        #expect(DocumentKind(name: "Quyết Định") == .decision)
        #expect(DocumentKind(name: "công văn") == .officialLetter)
        #expect(DocumentKind(name: "Tờ trình") == nil)
    }

    @Test func whatCannotBeReadIsSaid() {
        func error(_ line: String) -> DocumentParseError? {
            do { _ = try DocumentReference.parsing(line); return nil } catch { return error }
        }
        #expect(error("Tờ trình số 5/TTr-UBND ngày 01/02/2024 của UBND tỉnh về dự toán") == .unknownKind("Tờ trình số"))
        #expect(error("Quyết định ngày 01/02/2024 của UBND tỉnh về dự toán") == .missingNumber)
        #expect(error("Quyết định số 5/QĐ-UBND của UBND tỉnh về dự toán") == .missingDate)
        #expect(error("Quyết định số 5/QĐ-UBND ngày 31/02/2024 của UBND tỉnh về dự toán") == .invalidDate("31/02/2024"))
        #expect(error("Quyết định số 5/QĐ-UBND ngày 01/02/24 của UBND tỉnh về dự toán") == .invalidDate("01/02/24"))
        #expect(error("Công văn số 5/SNV-CCHC ngày 01/02/2024 của Sở Nội vụ Hướng dẫn chế độ báo cáo") == .ambiguousIssuer)
        #expect(error("Quyết định số 5/QĐ-UBND ngày 01/02/2024 của UBND tỉnh") == .missingSummary)
        #expect(error("   ") == .empty)
        #expect(DocumentParseError.ambiguousIssuer.description.contains("“về” hoặc “V/v”"))
    }

    @Test func theCountsSentence() {
        #expect(DocumentRegister.countsSentence([]) == "chưa có văn bản nào")
        #expect(DocumentRegister.countsSentence([.plan, .plan]) == "02 kế hoạch")
        #expect(
            DocumentRegister.countsSentence([.notice, .directive, .report, .officialLetter, .decision])
                == "01 quyết định, 04 văn bản chỉ đạo")
        #expect(DocumentRegister.countsSentence(Array(repeating: .officialLetter, count: 12)) == "12 văn bản chỉ đạo")
        #expect(DocumentRegister.countsSentence(Array(repeating: .decision, count: 105)) == "105 quyết định")
    }

    @Test func theAppendixPastedAsPrintedWithItsHeadings() throws {
        let lines = try Self.seedLines()
        let pasted =
            (["STT\tNỘI DUNG VĂN BẢN", "I\tQuyết định"] + lines[0..<1] + ["II\tKế hoạch"] + lines[1..<5]
            + ["III\tCác văn bản chỉ đạo"] + lines[5...] + ["", "  "]).joined(separator: "\r\n")
        let result = DocumentRegister.parseLines(pasted)
        #expect(result.failures.isEmpty, "\(result.failures.map { "\($0.line): \($0.error)" })")
        #expect(result.headings == 4)
        #expect(result.references.count == 20)
        #expect(result.references.first?.line == 3)
        #expect(
            DocumentRegister.countsSentence(result.references.map(\.reference.kind)) == "01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo")

        let mixed = DocumentRegister.parseLines(lines[0] + "\nQuyết định về việc gì đó\n" + lines[1])
        #expect(mixed.references.count == 2)
        #expect(mixed.failures.map(\.line) == [2])
        #expect(mixed.failures.first?.error == .missingNumber)
    }

    /// A citation written back reads as the same document.
    @Test func citationsReadBackTheSame() throws {
        for line in try Self.seedLines() {
            let reference = try #require(DocumentReference.parse(line))
            #expect(DocumentReference.parse(reference.citation) == reference, "\(reference.citation)")
        }
    }
}
