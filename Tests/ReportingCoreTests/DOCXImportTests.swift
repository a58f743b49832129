import Foundation
import OfficeFormats
import Testing

@testable import ReportingCore

/// Importing last period's Word report (issue #12): BaoCao's own export read back, the
/// seeds made into .docx by Scripts/hardening/make_seed_docx.py, and hostile input.
@Suite struct DOCXImportTests {
    // MARK: Helpers

    /// The CSV fixture's cells as numbers ("29140", "97,1", "12,5%").
    func expectedValues(_ file: String) throws -> [String: ExactNumber] {
        var result: [String: ExactNumber] = [:]
        for (code, text) in try Fixtures.entries(file) {
            result[code] = try VietnameseNumber.parse(text).get()
        }
        return result
    }

    func importedValues(_ report: ImportedReport) -> [String: ExactNumber] {
        var result: [String: ExactNumber] = [:]
        for cell in report.cells { if let number = cell.value.number { result[cell.code] = number } }
        return result
    }

    func importSeed(_ name: String, form id: String) throws -> ImportedReport {
        try ReportDocumentImport(form: try DOCXImportSupport.form(id)).read(try DOCXImportSupport.blocks(ofFixture: name))
    }

    /// The register lines of seed 000's Phụ lục I as the fixture holds them.
    func seed000Documents() throws -> [DocumentReference] {
        DocumentRegister.parseLines(try Fixtures.text("seed000-documents.txt")).references.map(\.reference)
    }

    func issues(_ report: ImportedReport, _ kind: ImportIssue.Kind) -> [ImportIssue] { report.notRead.filter { $0.kind == kind } }

    // MARK: Round trip

    @Test func officialReportReadsBackEveryFieldDocumentAndCell() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        var report = DOCXImportSupport.Report()
        report.achievements =
            "1. Kết quả hoàn thiện thể chế:\nSở đã tham mưu ban hành 20 văn bản; tỷ lệ đạt 97,1%.\n"
            + "2. Hạ tầng kỹ thuật: Trung tâm dữ liệu vận hành ổn định, 24/7."
        report.assessment = "Kết quả đạt được: hoàn thành 100% nhiệm vụ.\nTồn tại: hạ tầng cấp xã còn thiếu."
        report.nextTasks = "Tiếp tục triển khai Kế hoạch 48/KH-UBND."
        report.proposals = "Đề nghị Sở Nội vụ hướng dẫn biểu mẫu mới (NĐ 42/2022)."
        report.documents = try seed000Documents()
        for (code, number) in try expectedValues("seed000-egov-2024.csv") { report.values[code] = VietnameseNumber.format(number) }
        report.ratioSentences = [
            "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1% (28.295/29.140 hồ sơ).",
            "Tỷ lệ hồ sơ trực tuyến một phần đạt 99,8% (được giao 80%; 73.698/73.846 hồ sơ)."
        ]
        report.withTargets = true
        report.notes = ["6.3": "Số liệu từ Cổng DVC tỉnh, ngày 31/3/2024", "5": "Không nhập số"]

        let data = try DOCXWriter().write(DOCXImportSupport.officialDocument(report, form: form))
        let blocks = DOCXImportSupport.blocks(try DOCXReader().read(data))
        let imported = try ReportDocumentImport(form: form).read(blocks)

        #expect(imported.achievements == report.achievements)
        #expect(imported.assessment == report.assessment)
        #expect(imported.nextTasks == report.nextTasks)
        #expect(imported.proposals == report.proposals)
        #expect(imported.sections.map(\.field) == [.achievements, .assessment, .nextTasks, .proposals])

        // The register: every document, whatever order the appendix prints them in.
        #expect(imported.documents.count == report.documents.count)
        #expect(Set(imported.documents.map(\.reference)) == Set(report.documents))

        // Every cell, by STT and name both.
        let expected = try expectedValues("seed000-egov-2024.csv")
        #expect(importedValues(imported) == expected)
        #expect(imported.cells.allSatisfy { $0.match == .sttAndName })
        #expect(imported.notes == report.notes)
        // Only the targets appendix is left, and said to be: the plan's results come from the figures.
        #expect(imported.notRead.map(\.kind) == [.tableSkipped], "\(imported.notRead.map(\.message))")
        #expect(imported.notRead.first?.place == "Phụ lục III")

        // What BaoCao wrote from the data is left out of the narrative, and said so.
        #expect(imported.generatedLines.contains("(Chi tiết các văn bản tại Phụ lục I kèm theo)"))
        #expect(imported.generatedLines.contains(report.ratioSentences[0]))
        #expect(imported.generatedLines.contains { $0.hasPrefix("Trong quý I năm 2024, đã ban hành 01 quyết định, 04 kế hoạch") })
        #expect(imported.generatedLines.contains { $0.hasPrefix("- Chỉ tiêu 1.1") })
        #expect(imported.validation.errors.isEmpty, "\(imported.validation.errors.map(\.message))")
    }

    @Test func emptySectionsOfTheExportReadBackEmpty() throws {
        let form = try DOCXImportSupport.form("cchc-bm1")
        var report = DOCXImportSupport.Report()
        report.achievements = "Ban hành 03 văn bản chỉ đạo."
        report.values = ["1": "3", "2.1": "6", "2.2": "6"]
        let data = try DOCXWriter().write(DOCXImportSupport.officialDocument(report, form: form))
        let imported = try ReportDocumentImport(form: form).read(DOCXImportSupport.blocks(try DOCXReader().read(data)))
        #expect(imported.achievements == "Ban hành 03 văn bản chỉ đạo.")
        #expect(imported.assessment == "" && imported.nextTasks == "" && imported.proposals == "")
        #expect(imported.documents.isEmpty)
        #expect(imported.entries == ["1": "3", "2.1": "6", "2.2": "6"])
        #expect(issues(imported, .sectionMissing).isEmpty)
    }

    // MARK: Seeds made into Word documents

    @Test func seed000ReadsItsSectionsRegisterAndFigures() throws {
        let imported = try importSeed("seed000.docx", form: "egov-2024")
        #expect(imported.sections.map(\.field) == [.achievements, .assessment, .nextTasks])
        #expect(imported.achievements.hasPrefix("1. Kết quả hoàn thiện thể chế phục vụ xây dựng"))
        #expect(imported.assessment.hasPrefix("1. Kết quả đạt được"))
        #expect(imported.nextTasks.hasPrefix("Trình Chủ tịch UBND tỉnh Bắc Giang ban hành Quyết định"))
        #expect(!imported.nextTasks.contains("Nơi nhận"))
        // No section IV in the seed: said, and left empty.
        #expect(issues(imported, .sectionMissing).map(\.place) == [NarrativeField.proposals.heading])
        #expect(imported.proposals == "")

        // Phụ lục I: the 20 documents of the fixture, the table split in two parts.
        let documents = try seed000Documents()
        #expect(imported.documents.map(\.reference) == documents)
        #expect(imported.documents.first?.reference.number == "98/QĐ-UBND")
        #expect(imported.documents.last?.reference.date == CivilDate(year: 2024, month: 3, day: 7))
        #expect(issues(imported, .documentNotRead).isEmpty)

        // Phụ lục II in three parts; 6.5.2's name is split by the page break.
        #expect(importedValues(imported) == (try expectedValues("seed000-egov-2024.csv")))
        #expect(imported.cells.first { $0.code == "6.5.2" }?.match == .sttAndName)
        #expect(issues(imported, .rowNotMatched).isEmpty, "\(issues(imported, .rowNotMatched).map(\.message))")
    }

    @Test func seed003Section6IsMatchedByNameDespiteItsPrintedNumbers() throws {
        let imported = try importSeed("seed003.docx", form: "egov-2022")
        #expect(importedValues(imported) == (try expectedValues("seed003-bm7-egov-2022.csv")))
        // E3: printed 6.4–6.8 are the form's 6.1–6.5.
        let printed = ["6.1": "6.4.", "6.1.1": "6.4.1.", "6.2": "6.5.", "6.3": "6.6.", "6.4": "6.7.", "6.5": "6.8.", "6.5.2": "6.8.2."]
        for (code, stt) in printed {
            let cell = try #require(imported.cells.first { $0.code == code })
            #expect(cell.match == .name(printedSTT: stt), "\(code)")
        }
        #expect(imported.cells.first { $0.code == "5.3.1" }?.match == .sttAndName)
        // The six other forms of the appendix are named, not read.
        let skipped = issues(imported, .tableSkipped).map(\.place)
        #expect(skipped == (1...6).map { "Biểu mẫu \($0)" })
        // The draft is validated as the report page would: every cell read is a parsed value there.
        #expect(imported.validation.values["6.3.1"] == .number(ExactNumber(1628)))
        #expect(imported.validation.values.count == imported.cells.count)
    }

    @Test(arguments: [
        ("cchc-bm1", "seed003-cchc-bm1.csv"), ("cchc-bm3", "seed003-cchc-bm3.csv"), ("cchc-bm4", "seed003-cchc-bm4.csv"),
        ("cchc-bm5", "seed003-cchc-bm5.csv"), ("cchc-bm6", "seed003-cchc-bm6.csv")
    ])
    func seed003ReadsEachCCHCForm(form: String, csv: String) throws {
        let imported = try importSeed("seed003.docx", form: form)
        #expect(importedValues(imported) == (try expectedValues(csv)))
        #expect(issues(imported, .tableSkipped).count == 6)
    }

    @Test func seed003SectionsFollowItsOwnHeadings() throws {
        let imported = try importSeed("seed003.docx", form: "cchc-bm3")
        #expect(imported.sections.map(\.field) == [.achievements, .achievements, .assessment, .nextTasks, .proposals])
        // Two sections fill "Kết quả": each keeps its heading.
        #expect(imported.achievements.hasPrefix("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH\n- Đánh giá về các hoạt động chỉ đạo"))
        #expect(imported.achievements.contains("\nII. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH\n1. Cải cách thể chế\n"))
        #expect(imported.nextTasks.hasPrefix("- Tiếp tục triển khai thực hiện Kế hoạch số 39/KH-UBND"))
        // "V. KIẾN NGHỊ, ĐỀ XUẤT: Không có" is found and empty; the closing line is not part of it.
        #expect(imported.proposals == "")
        #expect(issues(imported, .sectionMissing).isEmpty)
        // Sub-rows restart at "1." under 3.1, 3.2, 3.3 and share names: each lands under its own parent.
        #expect(imported.cells.first { $0.code == "3.1.1" }?.match == .name(printedSTT: "1."))
        #expect(imported.cells.first { $0.code == "3.4.2" }?.text == "0")
    }

    @Test func seed001ReadsItsRegisterAndSaysWhatItCannot() throws {
        let imported = try importSeed("seed001.docx", form: "egov-2024")
        #expect(imported.sections.map(\.field) == [.achievements, .assessment, .nextTasks])
        #expect(issues(imported, .sectionMissing).map(\.place) == [NarrativeField.proposals.heading])
        // 58 numbered rows in Phụ lục I (7 + 9 + 42): each is read or said to be not read.
        let failed = issues(imported, .documentNotRead)
        #expect(imported.documents.count + failed.count == 58)
        // Row 31 is a "Sao y" (no such kind), row 15 has no "ngày" before its date.
        #expect(failed.contains { $0.place == "Phụ lục I, mục III, STT 31" && $0.message.contains("không nhận ra loại văn bản") })
        #expect(failed.contains { $0.place == "Phụ lục I, mục III, STT 15" && $0.message.contains("thiếu ngày ban hành") })
        // Row II.4 continues after a blank line in the source: joined into one citation.
        let plan18 = try #require(imported.documents.first { $0.reference.number == "18/KH-UBND" })
        #expect(plan18.reference.summary.hasPrefix("Triển khai thực hiện Quyết định số 06/QĐ-TTg"))
        #expect(imported.documents.first { $0.reference.number == "6/CT-UBND" }?.reference.kind == .directive)
        // Its Phụ lục II is the Kế hoạch 48 targets, not the e-government form.
        #expect(issues(imported, .noFigureTable).count == 1)
        #expect(issues(imported, .tableSkipped).map(\.place) == ["Phụ lục II"])
        #expect(imported.cells.isEmpty)
    }

    @Test func seed004ProseReportFindsItsFourSections() throws {
        let imported = try importSeed("seed004.docx", form: "egov-2024")
        #expect(imported.sections.map(\.field) == [.achievements, .assessment, .proposals, .nextTasks])
        #expect(imported.proposals == "")
        #expect(!imported.assessment.isEmpty && !imported.nextTasks.isEmpty)
        #expect(issues(imported, .sectionMissing).isEmpty)
    }

    // MARK: Headings written otherwise

    @Test func headingsWithoutRomanNumeralsAreFoundWhenUpperCase() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        // Word's automatic list numbering is not in the text: the headings come without "I.".
        let blocks: [ImportBlock] = [
            .paragraph("BÁO CÁO"), .paragraph("Kết quả quý I năm 2024"),
            .paragraph("KẾT QUẢ ĐẠT ĐƯỢC"), .paragraph("1. Kết quả đạt được trong quý:"), .paragraph("Hoàn thành 12 nhiệm vụ."),
            .paragraph("ĐÁNH GIÁ CHUNG"), .paragraph("Cơ bản đạt."),
            .paragraph("3. NHIỆM VỤ TRỌNG TÂM QUÝ II"), .paragraph("Tiếp tục."),
            .paragraph("KIẾN NGHỊ, ĐỀ XUẤT: Không có."),
            .paragraph("Nơi nhận:"), .paragraph("- Lưu: VT.")
        ]
        let imported = try ReportDocumentImport(form: form).read(blocks)
        #expect(imported.achievements == "1. Kết quả đạt được trong quý:\nHoàn thành 12 nhiệm vụ.")
        #expect(imported.assessment == "Cơ bản đạt.")
        #expect(imported.nextTasks == "Tiếp tục.")
        #expect(imported.proposals == "")
        #expect(issues(imported, .sectionMissing).isEmpty)
    }

    @Test func romanHeadingsInMixedCaseAreFoundAndUnknownOnesSaid() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let blocks: [ImportBlock] = [
            .paragraph("I. Kết quả thực hiện"), .paragraph("Đạt 100%."),
            .paragraph("II. TÌNH HÌNH TÀI CHÍNH KHÁC"), // upper case: a section, though of no field it knows…
            .paragraph("III. MỘT MỤC KHÁC"), .paragraph("Nội dung khác."),
            .paragraph("IV. Đề xuất, kiến nghị"), .paragraph("Đề nghị bổ sung kinh phí.")
        ]
        let imported = try ReportDocumentImport(form: form).read(blocks)
        #expect(imported.sections.map(\.field) == [.achievements, .achievements, nil, .proposals])
        #expect(imported.achievements == "I. Kết quả thực hiện\nĐạt 100%.\nII. TÌNH HÌNH TÀI CHÍNH KHÁC")
        #expect(imported.proposals == "Đề nghị bổ sung kinh phí.")
        let unknown = try #require(issues(imported, .sectionUnknown).first)
        #expect(unknown.place == "Mục III" && unknown.message.contains("1 đoạn"))
        #expect(issues(imported, .sectionMissing).map(\.place) == [NarrativeField.assessment.heading, NarrativeField.nextTasks.heading])
    }

    // MARK: Matching rules

    @Test func nameWinsWhereTheSTTSaysAnotherRow() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let rows: [[String]] = [
            ["STT", "Chỉ tiêu", "ĐVT", "Số liệu"],
            // The two rows' numbers are swapped: each value goes where its name says.
            ["6.3.2", "Tổng số hồ sơ của DVCTT toàn trình (gồm hồ sơ nộp trực tuyến + trực tiếp)", "Hồ sơ", "29.140"],
            ["6.3.1", "Số hồ sơ nộp trực tuyến của các DVCTT toàn trình", "Hồ sơ", "28.295"],
            // A typo in the name ("hồ sở"): close enough, so the STT decides.
            ["6.4.2", "Số hồ sở nộp trực tuyến của các DVCTT một phần", "Hồ sơ", "73.698"]
        ]
        let imported = try ReportDocumentImport(form: form).read([.table(rows)])
        #expect(imported.entries == ["6.3.1": "29.140", "6.3.2": "28.295", "6.4.2": "73.698"])
        #expect(
            imported.cells.map(\.match) == [
                .name(printedSTT: "6.3.2"), .name(printedSTT: "6.3.1"),
                .stt(printedName: "Số hồ sở nộp trực tuyến của các DVCTT một phần")
            ])
    }

    @Test func aDraftWithErrorsIsReadButCannotBeSaved() throws {
        let form = try DOCXImportSupport.form("egov-2022")
        // Seed 002's E2: 277 procedures with online dossiers out of 28 offered online.
        let rows: [[String]] = [
            ["STT", "Chỉ tiêu", "ĐVT", "Số liệu"],
            ["6.1.1", "Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức độ 3", "Thủ tục", "28"],
            ["6.1.2", "Số TTHC đang cung cấp trực tuyến mức độ 3", "Thủ tục", "28"],
            ["6.1.3", "Số TTHC đang cung cấp trực tuyến mức độ 3 có phát sinh hồ sơ nộp trực tuyến", "Thủ tục", "277"]
        ]
        let imported = try ReportDocumentImport(form: form).read([.paragraph("I. KẾT QUẢ ĐẠT ĐƯỢC"), .paragraph("Đạt."), .table(rows)])
        #expect(imported.entries == ["6.1.1": "28", "6.1.2": "28", "6.1.3": "277"])
        #expect(imported.validation.errors.contains { $0.code == "6.1.3" })
        #expect(!imported.canSave)
    }

    // MARK: Hostile input

    @Test func emptyDocumentIsRefusedWithAMessage() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        #expect(throws: ReportImportError.empty) { try ReportDocumentImport(form: form).read([]) }
        #expect(throws: ReportImportError.empty) { try ReportDocumentImport(form: form).read([.paragraph(" "), .table([[""]])]) }
        let empty = DOCXImportSupport.blocks(try DOCXReader().read(try DOCXWriter().write(DOCXDocument())))
        #expect(throws: ReportImportError.empty) { try ReportDocumentImport(form: form).read(empty) }
        #expect(ReportImportError.empty.description.contains("Tệp không có nội dung"))
    }

    @Test func textThatIsNoReportIsRefused() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let blocks: [ImportBlock] = [.paragraph("Thực đơn tuần này"), .table([["Món", "Giá"], ["Phở", "50.000"]])]
        #expect(throws: ReportImportError.notAReport) { try ReportDocumentImport(form: form).read(blocks) }
        #expect(ReportImportError.notAReport.description.contains("Nghị định 30/2020/NĐ-CP"))
    }

    @Test func tooManyBlocksAreRefused() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let limits = ReportImportLimits(maxBlocks: 10)
        let blocks = Array(repeating: ImportBlock.paragraph("I. KẾT QUẢ ĐẠT ĐƯỢC"), count: 11)
        #expect(throws: ReportImportError.tooManyBlocks(11, limit: 10)) {
            try ReportDocumentImport(form: form, limits: limits).read(blocks)
        }
    }

    @Test func aTableOf5000ColumnsIsSkippedWithAMessage() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        var doc = DOCXDocument()
        doc.append(DOCXParagraph("I. KẾT QUẢ ĐẠT ĐƯỢC"))
        doc.append(DOCXParagraph("Hoàn thành kế hoạch."))
        let wide = (0..<5_000).map { DOCXTableCell("\($0)") }
        doc.append(DOCXTable(columnWidths: Array(repeating: 1, count: 5_000), rows: [DOCXTableRow(wide), DOCXTableRow(wide)]))
        let blocks = DOCXImportSupport.blocks(try DOCXReader().read(try DOCXWriter().write(doc)))
        let imported = try ReportDocumentImport(form: form).read(blocks)
        #expect(imported.achievements == "Hoàn thành kế hoạch.")
        let skipped = try #require(issues(imported, .tableSkipped).first)
        #expect(skipped.message.contains("5.000 cột"))
        #expect(imported.cells.isEmpty)
    }

    @Test func garbageNumbersAreNamedAndNotRead() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let rows: [[String]] = [
            ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"],
            ["1.", "Cập nhật Kiến trúc chính quyền điện tử phiên bản mới nhất", "", "7", ""],
            ["3.", "Tỷ lệ báo cáo định kỳ được gửi, nhận qua Hệ thống thông tin báo cáo quốc gia", "%", "97.5", ""],
            ["5.", "Số liệu về trao đổi văn bản điện tử", "", "255", ""],
            ["6.1.1", "Tổng số DVC đủ điều kiện lên trực tuyến toàn trình", "DVC", "mười hai", ""],
            ["6.1.2", "Số lượng DVCTT toàn trình", "DVC", String(repeating: "9", count: 5_000), ""],
            [
                "6.2.1",
                "Tổng số DVCTT có phát sinh hồ sơ (gồm các DVCTT có phát sinh hồ sơ trực tuyến hoặc trực tiếp hoặc cả 2 hình thức)",
                "DVC", "1.609.226", ""
            ],
            ["9.9", "Một dòng không có trong biểu mẫu", "", "12", ""]
        ]
        let imported = try ReportDocumentImport(form: form).read([.paragraph("PHỤ LỤC II"), .table(rows)])
        #expect(imported.entries == ["6.2.1": "1.609.226"])
        let notRead = issues(imported, .valueNotRead)
        #expect(Set(notRead.compactMap(\.code)) == ["1", "3", "6.1.1", "6.1.2"])
        #expect(notRead.first { $0.code == "3" }?.message.contains("hãy nhập 97,5") == true)
        #expect(notRead.first { $0.code == "6.1.1" }?.message.contains("“mười hai” không phải là số") == true)
        #expect(issues(imported, .valueOnHeading).first?.code == "5")
        let unmatched = try #require(issues(imported, .rowNotMatched).first)
        #expect(unmatched.place == "PHỤ LỤC II, dòng 7 (STT 9.9)" && unmatched.message.contains("Giá trị “12”"))
        #expect(issues(imported, .sectionMissing).count == 4)
    }

    @Test func rowsBeyondTheLimitAreReported() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        var rows: [[String]] = [["STT", "Chỉ tiêu", "ĐVT", "Số liệu"]]
        rows += Array(
            repeating: ["3.", "Tỷ lệ báo cáo định kỳ được gửi, nhận qua Hệ thống thông tin báo cáo quốc gia", "%", "100"], count: 50)
        let imported = try ReportDocumentImport(form: form, limits: ReportImportLimits(maxRowsPerTable: 10)).read([.table(rows)])
        #expect(imported.entries == ["3": "100"])
        #expect(issues(imported, .duplicateRow).count == 8)
        #expect(issues(imported, .rowsBeyondLimit).count == 1)
    }

    @Test func anOverlongSectionIsCutAndSaid() throws {
        let form = try DOCXImportSupport.form("egov-2024")
        let limits = ReportImportLimits(maxSectionLength: 1_000)
        let long = ImportBlock.paragraph(String(repeating: "a", count: 300))
        let blocks: [ImportBlock] = [.paragraph("I. KẾT QUẢ ĐẠT ĐƯỢC")] + Array(repeating: long, count: 10)
        let imported = try ReportDocumentImport(form: form, limits: limits).read(blocks)
        #expect(imported.achievements.count == 1_000)
        #expect(issues(imported, .sectionTooLong).first?.place == NarrativeField.achievements.heading)
    }
}
