import Foundation
import Testing

@testable import ReportingCore

/// Each rule of the narrative check on small texts: what it flags and what it leaves alone.
@Suite struct NarrativeRuleTests {
    func check(_ text: String, _ context: NarrativeContext = .none) throws -> [NarrativeFinding] {
        try NarrativeCheck.check(text, context: context)
    }

    // MARK: Breakdowns

    @Test func theIssueExample() throws {
        let findings = try check("Trong quý, bộ phận một cửa tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300).")
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.rule == .breakdownSum)
        #expect(finding.figures == ["1.250", "900", "300"])
        #expect(finding.expected == "900 + 300 = 1.200")
        #expect(finding.message.contains("1.250") && finding.message.contains("1.200") && finding.message.contains("chênh 50"))
        #expect(finding.severity == "warning")
        #expect(finding.line == 1 && finding.offset == 0)
    }

    @Test(arguments: [
        "Trong quý, bộ phận một cửa tiếp nhận 1.200 hồ sơ (trực tuyến 900, trực tiếp 300).",
        "Tổng số hồ sơ tiếp nhận: 56 hồ sơ (trong đó tiếp nhận mới 49 hồ sơ, kỳ trước chuyển sang 07 hồ sơ).",
        "Đã tạo lập 13.196 tài khoản (10712 + 2484).",
        "Đã tạo lập 13196 tài khoản (10.712 + 2.484).",
        "Triển khai đến 591 cơ quan (cấp tỉnh: 155, cấp huyện: 330, cấp xã: 106).",
        "Đã tiếp nhận 190 phản ánh, trong đó: số phản ánh đúng hạn: 117 phản ánh; số phản ánh bị từ chối: 73 phản ánh.",
        "Lắp đặt 1.305 camera (trong đó có 22 camera thông minh, 125 camera giao thông).",
        "Cung cấp 1.858 dịch vụ công (mức độ 3: 571 dịch vụ; mức 4: 1057 dịch vụ).",
        "Hỗ trợ 2.190 người dân (mỗi đoàn xã thành lập 01 tổ, toàn tỉnh huy động hơn 7.000 đoàn viên).",
        "Năm 2024 (quý I: 5, quý II: 7) là năm chuyển đổi số.",
        "Tiếp nhận 120 hồ sơ (tăng 15, giảm 3 so với cùng kỳ).",
        "Tiếp nhận khoảng 1.250 hồ sơ (trực tuyến 900, trực tiếp 300).",
        // A footnote as Word raises its mark (the DOCX reader writes it "⁸"): 8 is not a total.
        "⁸ Trong đó: 10712 tài khoản công dân, 2484 tài khoản của cán bộ tiếp nhận, xử lý."
    ])
    func rightOrNotABreakdown(sentence: String) throws {
        #expect(try check(sentence).isEmpty, "\(sentence)")
    }

    @Test func writtenSumsWithAndWithoutSeparators() throws {
        let wrong = try check("Đã tạo lập 13.197 tài khoản (10712 + 2484).")
        #expect(wrong.map(\.rule) == [.breakdownSum])
        #expect(wrong.first?.expected == "10712 + 2484 = 13.196")
        #expect(try check("Đã tạo lập 13.196 tài khoản (10712 + 2.484).").isEmpty)
    }

    @Test func aSubsetMayNotExceedItsTotal() throws {
        let findings = try check("Lắp đặt 1.305 camera (trong đó có 22 camera thông minh, 125 camera giao thông, 1.159 camera an ninh).")
        #expect(findings.map(\.expected) == ["22 + 125 + 1.159 = 1.306"])
    }

    @Test func aPartLargerThanItsTotalIsSaid() throws {
        let findings = try check("+ Tổng số hồ sơ tiếp nhận: 56 hồ sơ (trong đó tiếp nhận mới 495 hồ sơ, kỳ trước chuyển sang 07 hồ sơ).")
        #expect(findings.first?.message.contains("lớn hơn cả tổng") == true)
    }

    @Test func trongDoWithoutParentheses() throws {
        let findings = try check(
            "Đã tiếp nhận 190 phản ánh, trong đó: số phản ánh đúng hạn: 117 phản ánh; số phản ánh bị từ chối: 72 phản ánh.")
        #expect(findings.map(\.figures) == [["190", "117", "72"]])
    }

    // MARK: Ratios

    @Test(arguments: ["66,67%", "66,66%", "66,7%", "66,6%", "67%", "66%"])
    func roundedOrTruncatedRatiosAreRight(printed: String) throws {
        #expect(try check("Giải quyết 2/3 hồ sơ đạt \(printed).").isEmpty)
    }

    @Test(arguments: ["65%", "66,5%", "66,65%", "68%"])
    func ratiosBeyondTheirPrintedPrecisionAreFlagged(printed: String) throws {
        let findings = try check("Giải quyết 2/3 hồ sơ đạt \(printed).")
        #expect(findings.map(\.rule) == [.ratio])
        #expect(findings.first?.expected == "2/3 = 66,67%")
    }

    @Test func theSeedsRatioError() throws {
        let finding = try #require(try check("Toàn tỉnh có 312.000/411.230 (83%) thanh niên sử dụng tài khoản thanh toán điện tử.").first)
        #expect(finding.figures == ["312.000/411.230", "83%"])
        #expect(finding.message.contains("75,87%") && finding.message.contains("76%"))
    }

    @Test func aShareOfABreakdownsTotal() throws {
        #expect(try check("Tiếp nhận 11.689 hồ sơ (11.577 trực tiếp, 112 trực tuyến (tỷ lệ 0,95 %)).").isEmpty)
        let wrong = try check("Tiếp nhận 200 hồ sơ (150 trực tiếp, 50 trực tuyến (tỷ lệ 20%)).")
        #expect(wrong.map(\.figures) == [["50", "200", "20%"]])
        #expect(wrong.first?.expected == "50/200 = 25%")
    }

    @Test func percentBeforeItsFractionAndDotDecimals() throws {
        #expect(try check("Doanh nghiệp mới chiếm 16.2% tổng số DN được thành lập mới (138/851 DN).").isEmpty)
        #expect(try check("Doanh nghiệp mới chiếm 18.2% tổng số DN được thành lập mới (138/851 DN).").map(\.rule) == [.ratio])
    }

    @Test(arguments: [
        "Thực hiện Nghị định 42/2022 đạt 100% chỉ tiêu.",
        "Đến tháng 6/2024 đạt 80% kế hoạch.",
        "Giải quyết 56/56 hồ sơ, tỷ lệ hài lòng đạt 98%.",
        "Giải quyết 0/0 hồ sơ đạt 100%.",
        "Giải quyết hơn 2/3 hồ sơ đạt 50%."
    ])
    func notARatioOfItsFraction(sentence: String) throws {
        #expect(try check(sentence).isEmpty, "\(sentence)")
    }

    // MARK: Targets

    @Test func claimsAgainstTheTargetGiven() throws {
        #expect(try check("Tỷ lệ hồ sơ trực tuyến đạt 79,08% (được giao 70%).").isEmpty)
        #expect(try check("Tỷ lệ hồ sơ trực tuyến chưa đạt 65% (được giao 70%).").isEmpty)
        #expect(try check("Tỷ lệ hồ sơ trực tuyến đạt 65% (được giao 70%).").map(\.rule) == [.targetClaim])
        #expect(try check("Tỷ lệ hồ sơ trực tuyến vượt, đạt 70% (được giao 70%).").map(\.rule) == [.targetClaim])
        #expect(try check("Tỷ lệ hồ sơ trực tuyến chưa đạt, mới được 75% (được giao 70%).").map(\.rule) == [.targetClaim])
    }

    @Test func countsOfTargets() throws {
        #expect(try check("Giao thực hiện 28 chỉ tiêu, đã hoàn thành 17 chỉ tiêu, đang thực hiện 11 chỉ tiêu.").isEmpty)
        let wrong = try check("Giao thực hiện 28 chỉ tiêu, đã hoàn thành 17 chỉ tiêu, đang thực hiện 10 chỉ tiêu.")
        #expect(wrong.map(\.expected) == ["17 + 10 = 27"])
    }

    @Test func countsOfTargetsAgainstThePlanAndResults() throws {
        let plan = try #require(Fixtures.library.plans["kh48-2024"])
        var results: [String: String] = [:]
        for target in plan.targets { results[target.code] = "100%" }
        let context = NarrativeContext(plan: plan, targetResults: results)
        #expect(try check("Thực hiện 28 chỉ tiêu, đã hoàn thành 28 chỉ tiêu, đang thực hiện 0 chỉ tiêu.", context).isEmpty)
        results["I.2"] = "34,6%"
        let findings = try check(
            "Thực hiện 28 chỉ tiêu, đã hoàn thành 28 chỉ tiêu, đang thực hiện 0 chỉ tiêu.",
            NarrativeContext(plan: plan, targetResults: results))
        #expect(findings.map(\.expected) == ["27 chỉ tiêu đạt"])
        #expect(findings.first?.message.contains("I.2") == true)
    }

    // MARK: The form

    @Test func aProseFigureAgainstItsCell() throws {
        let form = try #require(Fixtures.library.form("egov-2024"))
        let context = NarrativeContext(form: form, values: ["6.3": ExactNumber(mantissa: 971, scale: 1)])
        #expect(try check("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1%.", context).isEmpty)
        #expect(try check("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,14%.", context).map(\.rule) == [.formCell])
        let finding = try #require(try check("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 90%.", context).first)
        #expect(finding.rule == .formCell && finding.expected == "97,1%")
        #expect(finding.message.contains("6.3") && finding.message.contains("egov-2024"))
        #expect(try check("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 90%.").isEmpty)
    }

    // MARK: Documents

    func reference(_ line: String) throws -> DocumentReference { try DocumentReference.parsing(line) }

    @Test func documentCountsAgainstTheRegister() throws {
        let documents = NarrativeDocument.list([
            try reference("Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về mã định danh"),
            try reference("Quyết định số 99/QĐ-UBND ngày 01/02/2024 của UBND tỉnh về kiện toàn tổ công tác"),
            try reference("Kế hoạch số 26/KH-UBND ngày 26/01/2024 của UBND tỉnh về tuyên truyền")
        ])
        let context = NarrativeContext(documents: documents)
        #expect(try check("UBND tỉnh đã ban hành 02 quyết định, 01 kế hoạch về chuyển đổi số.", context).isEmpty)
        let findings = try check("UBND tỉnh đã ban hành 03 quyết định, 01 kế hoạch về chuyển đổi số.", context)
        #expect(findings.map(\.expected) == ["02 quyết định"])
        // One count alone may be any mention.
        #expect(try check("UBND tỉnh đã ban hành 03 quyết định về chuyển đổi số.", context).isEmpty)
    }

    @Test func aDocumentListedInTheWrongSection() throws {
        let text = """
            UBND tỉnh đã ban hành 02 Quyết định, 01 Kế hoạch.

            **Phụ lục I**
            STT\tNỘI DUNG VĂN BẢN
            <b>I</b>\t<b>Quyết định</b>
            1\tQuyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về mã định danh
            2\tChỉ thị số 6/CT-UBND ngày 27/01/2024 của UBND tỉnh về an toàn thông tin
            <b>II</b>\t<b>Kế hoạch</b>
            1\tKế hoạch số 26/KH-UBND ngày 26/01/2024 của UBND tỉnh về tuyên truyền
            """
        let findings = try check(text)
        #expect(findings.map(\.rule) == [.documentCount])
        #expect(findings.first?.message.contains("Chỉ thị số 6/CT-UBND") == true)
        #expect(findings.first?.expected == "01 quyết định")
    }

    @Test func documentDatesAgainstTheCutOffWindow() throws {
        let context = NarrativeContext(period: .quarter(1, 2024))
        #expect(try check("Thực hiện Kế hoạch số 12/KH-UBND ngày 14/3/2024 của UBND tỉnh.", context).isEmpty)
        let findings = try check("Thực hiện Kế hoạch số 12/KH-UBND ngày 15/3/2024 của UBND tỉnh.", context)
        #expect(findings.map(\.rule) == [.documentDate])
        #expect(findings.first?.message.contains("14/03/2024") == true)
        // Without a period there is no window to compare with.
        #expect(try check("Thực hiện Kế hoạch số 12/KH-UBND ngày 15/3/2025 của UBND tỉnh.").isEmpty)
    }

    @Test func oneNumberWithTwoDates() throws {
        let text = """
            Thực hiện Kế hoạch số 48/KH-BCĐCĐS ngày 01/3/2024 của Ban chỉ đạo.
            Triển khai Kế hoạch số 48/KH-BCĐCĐS ngày 28/02/2023 của Ban chỉ đạo.
            Theo Kế hoạch số 48/kh-bcđcđs ngày 01/03/2024, các sở báo cáo.
            """
        let findings = try check(text)
        #expect(findings.map(\.rule) == [.documentDuplicate])
        #expect(findings.first?.line == 2)
        #expect(findings.first?.message.contains("01/03/2024 (dòng 1)") == true)
        #expect(try check("Thực hiện Kế hoạch số 48/KH-BCĐCĐS ngày 01/3/2024. Theo Kế hoạch số 48/KH-BCĐCĐS ngày 01/03/2024.").isEmpty)
    }

    @Test func aCitationOverABlankLine() throws {
        let text = "Kế hoạch số 48/KH-BCĐCĐS ngày \n\n01/3/2024 của Ban chỉ đạo.\n\nKế hoạch số 48/KH-BCĐCĐS ngày 02/3/2024."
        let findings = try check(text)
        #expect(findings.map(\.line) == [5])
    }

    // MARK: Acknowledgement and output

    @Test func anAcknowledgementSurvivesRechecking() throws {
        let text = "Trong quý tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300)."
        let id = try #require(try check(text).first?.id)
        #expect(id.hasPrefix("breakdown_sum-") && id.count == "breakdown_sum-".count + 16)
        // Another line, other spacing, more text around it: the same id.
        let moved = "Mở đầu báo cáo.\n\nTrong  quý tiếp nhận 1.250 hồ sơ (trực tuyến 900,  trực tiếp 300)."
        let findings = try check(moved, NarrativeContext(acknowledgements: [id: "Còn 50 hồ sơ qua bưu chính."]))
        #expect(findings.first?.id == id)
        #expect(findings.first?.acknowledgement == "Còn 50 hồ sơ qua bưu chính.")
        let report = NarrativeReport.text(findings)
        #expect(report.contains("Đã kiểm tra: Còn 50 hồ sơ qua bưu chính."))
        #expect(report.contains("1 đã kiểm tra, 0 chưa kiểm tra"))
        #expect(try check("Trong quý tiếp nhận 1.250 hồ sơ (trực tuyến 901, trực tiếp 300).").first?.id != id)
    }

    @Test func commandLineText() throws {
        let findings = try check("Mở đầu.\nTiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300).\nGiải quyết 2/3 hồ sơ đạt 50%.")
        let lines = NarrativeReport.text(findings).split(separator: "\n")
        try #require(lines.count == 3)
        #expect(lines[0].hasPrefix("Dòng 2: "))
        #expect(lines[1].hasPrefix("Dòng 3: "))
        #expect(lines[2] == "Tổng cộng: 2 cảnh báo.")
        #expect(NarrativeReport.text([]) == "Không có cảnh báo nào về số liệu trong văn bản.\n")
    }

    @Test func json() throws {
        let findings = try check("Tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300).")
        let data = Data(try NarrativeReport.json(findings).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(object["findings"] as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list[0]["sentence"] as? String == "Tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300).")
        #expect(list[0]["severity"] as? String == "warning")
        #expect((list[0]["message"] as? String)?.contains("1.200") == true)
        #expect((object["counts"] as? [String: Any])?["total"] as? Int == 1)
        let decoded = try JSONDecoder().decode(NarrativeReport.Document.self, from: data)
        #expect(decoded.findings == findings)
    }
}

/// The context `baocao check-text` builds from its options.
@Suite struct NarrativeContextOptionTests {
    @Test func fromOptions() throws {
        let csv = "code,value\n6.3,\"97,1\"\n6.3.1,29140\nI.2,\"34,6%\"\n"
        let context = try NarrativeContext(
            library: Fixtures.library, periodKey: "2024-Q1", formID: "egov-2024", valuesCSV: csv,
            planID: "kh48-2024")
        #expect(context.period == .quarter(1, 2024))
        #expect(context.values["6.3"] == ExactNumber(mantissa: 971, scale: 1))
        #expect(context.values["6.3.1"] == ExactNumber(29140))
        #expect(context.targetResults == ["I.2": "34,6%"])
        #expect(try NarrativeCheck.check("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 90%.", context: context).map(\.rule) == [.formCell])
    }

    @Test func badOptionsAreRefusedInVietnamese() {
        #expect(throws: NarrativeContextError.unknownPeriod("2024-Q5")) {
            try NarrativeContext(library: Fixtures.library, periodKey: "2024-Q5")
        }
        do {
            _ = try NarrativeContext(library: Fixtures.library, formID: "egov-2024", valuesCSV: "code,value\n6.3,97.1\n")
            Issue.record("an ambiguous cell was accepted")
        } catch {
            #expect(error.description.contains("6.3") && error.description.contains("97,1"))
        }
        do {
            _ = try NarrativeContext(library: Fixtures.library, formID: "khong-co")
            Issue.record("an unknown form was accepted")
        } catch {
            #expect(error.description.contains("egov-2024"))
        }
    }
}
