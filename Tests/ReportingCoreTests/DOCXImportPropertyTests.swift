import Foundation
import PropertyBased
import Testing

@testable import ReportingCore

/// Any mix of report-like fragments: the import either refuses the whole document with a
/// `ReportImportError` or returns a draft whose every cell is an indicator of the form, read
/// once, and accepted by the form's validator as a value.
@Suite("Report import properties")
struct DOCXImportPropertyTests {
    static let fragments: [String] = [
        "", " ", "I. KẾT QUẢ ĐẠT ĐƯỢC", "II. ĐÁNH GIÁ CHUNG", "III. NHIỆM VỤ TRỌNG TÂM QUÝ II", "IV. ĐỀ XUẤT, KIẾN NGHỊ: Không có",
        "KẾT QUẢ ĐẠT ĐƯỢC", "Phụ lục II", "Biểu mẫu 7", "Trên đây là báo cáo", "Nơi nhận:", "(Chi tiết số liệu tại Phụ lục II kèm theo)",
        "STT", "Chỉ tiêu", "Số liệu", "ĐVT", "Ghi chú", "NỘI DUNG VĂN BẢN", "Chủ trì theo dõi", "I", "III", "1.", "2.", "6.3", "6.4.",
        ".", "5.2.1", "97,1", "1.609.226", "97.5", "-3", "12,5%", "0", "2", "Hoàn thành", "Hoàn thành.", "abc", "9999999999999999",
        "Cập nhật Kiến trúc chính quyền điện tử phiên bản mới nhất", "Triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP).",
        "Tỷ lệ hồ sơ trực tuyến toàn trình", "Tổng số hồ sơ của DVCTT toàn trình (gồm hồ sơ nộp trực tuyến + trực tiếp)",
        "Số liệu về trao đổi văn bản điện tử", "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1% (28.295/29.140 hồ sơ).",
        "Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về điều chỉnh mã định danh", "Sao y số 480/SY-VP ngày 22/04/2024",
        "quốc gia hoặc trên Cổng DVC của tỉnh.", "a\nb", "\t", String(repeating: "x", count: 5_000)
    ]
    static let fragment = Gen<String?>.element(of: fragments).map { $0 ?? "" }
    static let headers: [[String]] = [
        ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"], ["STT", "NỘI DUNG VĂN BẢN"],
        ["STT", "Chỉ tiêu", "Chủ trì theo dõi", "Kết quả", "Đánh giá"], ["Món", "Giá"]
    ]
    static func pick(_ pool: [String]) -> Generator<String, Shrink.None<String?>> {
        Gen<String?>.element(of: pool).map { $0 ?? "" }
    }
    /// A statistics row: STT, name, ĐVT, value, note, each from its own pool (or any fragment).
    static let figureRow = zip(
        pick(["1.", "2.", "3.", "4.", "5.", "6.3", "6.3.1", "6.4.", "", ".", "9.9"] + fragments),
        pick(Array(fragments[38...43])), pick(["%", "", "DVC"]),
        pick(["97,1", "1.609.226", "97.5", "-3", "12,5%", "0", "2", "1", "Hoàn thành", "Hoàn thành.", "", "abc"])
    )
    .map { stt, name, unit, value in [stt, name, unit, value, ""] }
    static let table = zip(
        Gen<[String]?>.element(of: headers).map { $0 ?? [] }, fragment.array(of: 0...6).array(of: 0...12),
        figureRow.array(of: 0...12), Gen.bool
    )
    .map { header, rows, figures, structured in structured ? [headers[0]] + figures : [header] + rows }
    static let block = zip(Gen.int(in: 0...2), table).map { kind, rows -> ImportBlock in
        kind == 0 ? .table(rows) : .paragraph(rows.dropFirst().first?.joined(separator: " ") ?? "")
    }
    static let document = block.array(of: 0...30)

    @Test func everyDraftCellIsAnIndicatorReadOnceAndValid() async throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let importer = ReportDocumentImport(form: form)
        await propertyCheck(count: 250, input: Self.document) { blocks in
            let report: ImportedReport
            do { report = try importer.read(blocks) } catch { return } // typed: a ReportImportError, with its message
            #expect(Set(report.cells.map(\.code)).count == report.cells.count)
            #expect(report.cells.allSatisfy { form.slotByCode[$0.code] != nil })
            #expect(report.entries.count == report.cells.count)
            #expect(report.cells.allSatisfy { report.validation.values[$0.code] != nil })
            #expect(Set(report.narrative.keys) == Set(NarrativeField.allCases))
            #expect(report.notRead.allSatisfy { !$0.message.isEmpty && !$0.place.isEmpty })
        }
    }
}
