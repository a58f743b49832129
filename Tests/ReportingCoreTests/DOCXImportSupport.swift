import Foundation
import OfficeFormats

@testable import ReportingCore

/// The DOCX side of the import tests: reading a .docx into `ImportBlock`s (what the app does
/// before `ReportDocumentImport`), and a document shaped like BaoCao's official report.
enum DOCXImportSupport {
    /// DOCXContent → ImportBlock, one to one: the adapter the app uses.
    static func blocks(_ content: DOCXContent) -> [ImportBlock] {
        content.blocks.map { block in
            switch block {
            case .paragraph(let text): return .paragraph(text)
            case .table(let rows): return .table(rows)
            }
        }
    }

    static func blocks(ofFixture name: String) throws -> [ImportBlock] {
        let url =
            Bundle.module.url(forResource: "Fixtures/docx/\(name)", withExtension: nil)
            ?? Bundle.module.resourceURL?.appendingPathComponent("Fixtures/docx/\(name)")
        guard let url else { throw CocoaError(.fileNoSuchFile) }
        return blocks(try DOCXReader().read(contentsOf: url))
    }

    static func form(_ id: String) throws -> CompiledForm {
        guard let form = Fixtures.library.form(id) else { throw CocoaError(.fileNoSuchFile) }
        return form
    }

    /// What the official report holds, as `OfficialReportBuilder.Content` gives it.
    struct Report {
        var unitName = "Sở Thông tin và Truyền thông"
        var periodLabel = "Quý I năm 2024"
        var achievements = ""
        var assessment = ""
        var nextTasks = ""
        var proposals = ""
        var documents: [DocumentReference] = []
        /// Code → value as the figures table prints it ("29.140", "97,1").
        var values: [String: String] = [:]
        /// Code → the row's "Ghi chú".
        var notes: [String: String] = [:]
        /// Sentences the builder writes from the data into section I.
        var ratioSentences: [String] = []
        var withTargets = false
    }

    // The layout of Sources/App/Exports/OfficialReportBuilder.swift, part for part: the heading
    // table, title, sections I–IV with the lines it writes from data, the signature table, then
    // page-broken appendices (Phụ lục I documents, Phụ lục II figures, a targets appendix).
    static func officialDocument(_ report: Report, form: CompiledForm) -> DOCXDocument {
        var doc = DOCXDocument(page: DOCXPageSetup(marginTop: 20, marginBottom: 20, marginLeft: 30, marginRight: 15))
        let width = doc.page.textWidth
        let left = [
            DOCXParagraph("UBND TỈNH BẮC GIANG", size: 26, alignment: .center),
            DOCXParagraph(report.unitName.uppercased(), bold: true, size: 26, alignment: .center),
            .rule(width: 25, availableWidth: 70), DOCXParagraph("Số:        /BC-STTTT", size: 26, alignment: .center)
        ]
        let right = [
            DOCXParagraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 24, alignment: .center),
            DOCXParagraph("Độc lập - Tự do - Hạnh phúc", bold: true, alignment: .center),
            .rule(width: 60, availableWidth: width - 70),
            DOCXParagraph("Bắc Giang, ngày 05 tháng 4 năm 2024", italic: true, alignment: .center)
        ]
        doc.append(DOCXTable.documentHeader(left: left, right: right, widths: (70, width - 70)))
        let title = "\(form.form.title) \(report.periodLabel)"
        doc.append(DOCXParagraph("BÁO CÁO", bold: true, alignment: .center))
        doc.append(DOCXParagraph(title, bold: true, alignment: .center))
        doc.append(.rule(width: 35, availableWidth: width))
        doc.append(body("\(report.unitName) báo cáo \(title) như sau:"))

        let hasDocuments = !report.documents.isEmpty
        doc.append(heading("I. KẾT QUẢ ĐẠT ĐƯỢC"))
        paragraphs(report.achievements).forEach { doc.append($0) }
        if hasDocuments {
            doc.append(body("Trong quý I năm 2024, đã ban hành \(DocumentRegister.countsSentence(report.documents.map(\.kind)))."))
            doc.append(aside("(Chi tiết các văn bản tại Phụ lục I kèm theo)"))
        }
        report.ratioSentences.forEach { doc.append(body($0)) }
        doc.append(aside("(Chi tiết số liệu tại Phụ lục \(hasDocuments ? "II" : "I") kèm theo)"))
        if report.withTargets {
            doc.append(body("Theo Kế hoạch 48/KH-BCĐCĐS ngày 01/3/2024, có 20/28 chỉ tiêu đạt."))
            doc.append(aside("(Chi tiết kết quả thực hiện các chỉ tiêu tại Phụ lục III kèm theo)"))
        }
        doc.append(heading("II. ĐÁNH GIÁ CHUNG"))
        let second = paragraphs(report.assessment)
        (second.isEmpty ? [body("Không có.")] : second).forEach { doc.append($0) }
        if report.withTargets {
            doc.append(body("Một số chỉ tiêu chưa đạt yêu cầu tại các đơn vị sau:"))
            doc.append(body("- Chỉ tiêu 1.1 “Tỷ lệ hồ sơ trực tuyến”: UBND huyện Lục Nam (45%)."))
        }
        doc.append(heading("III. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2024"))
        let third = paragraphs(report.nextTasks)
        (third.isEmpty ? [body("Không có.")] : third).forEach { doc.append($0) }
        doc.append(heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
        let fourth = paragraphs(report.proposals)
        (fourth.isEmpty ? [body("Không có.")] : fourth).forEach { doc.append($0) }
        doc.append(body("Trên đây là báo cáo \(title) của \(report.unitName)./."))
        let recipients = [
            DOCXParagraph(runs: [DOCXRun("Nơi nhận:", bold: true, italic: true, size: 24)]),
            DOCXParagraph("- Sở Nội vụ (b/c);", size: 22), DOCXParagraph("- Lưu: VT.", size: 22)
        ]
        let signer = [
            DOCXParagraph("KT. GIÁM ĐỐC", bold: true, alignment: .center),
            DOCXParagraph("PHÓ GIÁM ĐỐC", bold: true, alignment: .center),
            DOCXParagraph("", spacingAfter: 60), DOCXParagraph("Nguyễn Gia Phong", bold: true, alignment: .center)
        ]
        doc.append(DOCXTable.documentHeader(left: recipients, right: signer, widths: (width * 0.45, width * 0.55)))

        let attached = "(Kèm theo Báo cáo số        /BC-STTTT ngày 05/04/2024 của \(report.unitName))"
        if hasDocuments {
            doc.appendPageBreak()
            appendixTitle(&doc, "Phụ lục I", "DANH MỤC CÁC VĂN BẢN CHỈ ĐẠO, ĐIỀU HÀNH ĐÃ BAN HÀNH TRONG KỲ", attached)
            doc.append(documentsTable(report.documents))
        }
        doc.appendPageBreak()
        appendixTitle(
            &doc, "Phụ lục \(hasDocuments ? "II" : "I")", form.form.title.uppercased(),
            "(Kỳ báo cáo: \(report.periodLabel). \(attached.dropFirst())")
        doc.append(figuresTable(form, report.values, notes: report.notes))
        if report.withTargets {
            doc.appendPageBreak()
            appendixTitle(&doc, "Phụ lục III", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "(Theo Kế hoạch 48/KH-BCĐCĐS. \(attached.dropFirst())")
            var table = DOCXTable(columnWidths: [13, 70, 34, 24, 24])
            table.rows.append(DOCXTableRow(["STT", "Chỉ tiêu", "Chủ trì theo dõi", "Kết quả", "Đánh giá"].map { headerCell($0) }))
            table.rows.append(DOCXTableRow([cell("I", bold: true), cell("Phát triển chính quyền số", bold: true, span: 4)]))
            table.rows.append(
                DOCXTableRow([
                    cell("1"), cell("Tỷ lệ hồ sơ trực tuyến đạt 70%"), cell("Văn phòng UBND tỉnh"),
                    cell("79,2%"), cell("Đạt")
                ]))
            doc.append(table)
        }
        return doc
    }

    static func heading(_ text: String) -> DOCXParagraph {
        DOCXParagraph(
            runs: [DOCXRun(text, bold: true)], alignment: .justify, firstLineIndent: 12.7,
            spacingBefore: 6, spacingAfter: 6, lineSpacing: 1.15, keepWithNext: true)
    }

    static func body(_ text: String) -> DOCXParagraph {
        DOCXParagraph(text, alignment: .justify, firstLineIndent: 12.7, spacingAfter: 6, lineSpacing: 1.15)
    }

    static func aside(_ text: String) -> DOCXParagraph {
        DOCXParagraph(text, italic: true, alignment: .justify, firstLineIndent: 12.7, spacingAfter: 6, lineSpacing: 1.15)
    }

    static func paragraphs(_ text: String) -> [DOCXParagraph] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { body($0) }
    }

    static func appendixTitle(_ doc: inout DOCXDocument, _ name: String, _ title: String, _ note: String) {
        doc.append(DOCXParagraph(name, bold: true, alignment: .center))
        doc.append(DOCXParagraph(title, bold: true, alignment: .center))
        doc.append(DOCXParagraph(note, italic: true, size: 26, alignment: .center, spacingAfter: 12))
    }

    static func headerCell(_ text: String) -> DOCXTableCell {
        DOCXTableCell(text, bold: true, size: 24, alignment: .center, shading: "D9D9D9")
    }

    static func cell(_ text: String, bold: Bool = false, span: Int = 1) -> DOCXTableCell {
        DOCXTableCell(paragraphs: [DOCXParagraph(text, bold: bold, size: 24)], columnSpan: span)
    }

    /// Phụ lục I: STT | NỘI DUNG VĂN BẢN, a group row per kind group, citations numbered within it.
    static func documentsTable(_ documents: [DocumentReference]) -> DOCXTable {
        var table = DOCXTable(columnWidths: [15, 150])
        table.rows.append(DOCXTableRow([headerCell("STT"), headerCell("NỘI DUNG VĂN BẢN")], repeatsAsHeader: true))
        for group in DocumentGroup.allCases {
            let members = documents.filter { $0.kind.group == group }.sorted { ($0.date, $0.number) < ($1.date, $1.number) }
            guard !members.isEmpty else { continue }
            table.rows.append(DOCXTableRow([cell(group.numeral, bold: true), cell(group.title, bold: true)]))
            for (index, entry) in members.enumerated() {
                table.rows.append(DOCXTableRow([cell(String(index + 1)), cell(entry.citation)]))
            }
        }
        return table
    }

    /// Phụ lục II: STT | Chỉ tiêu (name, note below in italics) | ĐVT | Số liệu | Ghi chú, every row of the form.
    static func figuresTable(_ form: CompiledForm, _ values: [String: String], notes: [String: String] = [:]) -> DOCXTable {
        var table = DOCXTable(columnWidths: [14, 72, 24, 24, 31])
        table.rows.append(DOCXTableRow(["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"].map { headerCell($0) }, repeatsAsHeader: true))
        for indicator in form.indicators {
            var name = [DOCXParagraph(indicator.name, bold: indicator.isHeading || indicator.depth == 0, size: 24)]
            if let note = indicator.note { name.append(DOCXParagraph(note, italic: true, size: 22)) }
            table.rows.append(
                DOCXTableRow([
                    cell(indicator.printedLabel, bold: indicator.depth == 0), DOCXTableCell(paragraphs: name),
                    cell(indicator.isHeading ? "" : indicator.unitLabel), cell(values[indicator.code] ?? ""),
                    cell(notes[indicator.code] ?? "")
                ]))
        }
        return table
    }
}
