import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("What the province gets out: the Word report, Excel in and out, CSV and JSON")
struct ExportTests {
    static let province = DemoLoader.provinceCode

    // MARK: The Word report

    @Test func officialReportOfTheProvinceReadsBackWithItsSentencesAndTables() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: Self.province, period: "2024-Q1")
            for (kind, number, date, summary) in [
                ("decision", "98/QĐ-UBND", "2024-01-31", "điều chỉnh, bổ sung mã định danh điện tử"),
                ("plan", "26/KH-UBND", "2024-01-26", "tuyên truyền cải cách hành chính năm 2024"),
                ("plan", "27/KH-UBND", "2024-02-01", "triển khai nhiệm vụ trọng tâm năm 2024"),
                ("official_letter", "4/UBND-KGVX", "2024-01-01", "triển khai thực hiện nhiệm vụ trọng tâm năm 2024")
            ] {
                try await DocumentEntry(
                    reportID: report.id!, kind: kind, number: number, issuedOn: date, issuer: "UBND tỉnh", summary: summary
                ).save(on: app.db)
            }
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let page = try await reviewer.get("/reports/\(report.id!.uuidString)").body.string
            #expect(page.contains("action=\"/reports/\(report.id!.uuidString)/export.docx\""))
            #expect(!page.contains("/upload\"")) // a reviewer does not edit the report
            let response = try await reviewer.get(
                "/reports/\(report.id!.uuidString)/export.docx?date=14/03/2024&number=12&signer=Nguy%E1%BB%85n%20V%C4%83n%20A&recipients=S%E1%BB%9F%20N%E1%BB%99i%20v%E1%BB%A5%0D%0AL%C6%B0u%3A%20VT"
            )
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "vnd.openxmlformats-officedocument.wordprocessingml.document")
            #expect(response.headers.first(name: .contentDisposition)?.contains("egov-2024_2024-Q1_000.00.00.H05.docx") == true)
            let content = try DOCXReader().read(Data(buffer: response.body))

            let header = try #require(content.tables.first?.first)
            #expect(header[0].hasPrefix("ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG"))
            #expect(header[0].hasSuffix("Số: 12/BC-UBND"))
            #expect(header[1].hasPrefix("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"))
            #expect(header[1].hasSuffix("Bắc Giang, ngày 14 tháng 3 năm 2024"))

            let paragraphs = content.paragraphs
            #expect(paragraphs.contains("BÁO CÁO"))
            #expect(
                paragraphs.contains("Thống kê số liệu chuyên đề về xây dựng và phát triển Chính phủ điện tử, Chính phủ số Quý I năm 2024"))
            for heading in [
                "I. KẾT QUẢ ĐẠT ĐƯỢC", "II. ĐÁNH GIÁ CHUNG", "III. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2024", "IV. ĐỀ XUẤT, KIẾN NGHỊ"
            ] {
                #expect(paragraphs.contains(heading), "\(heading)")
            }
            // Sentences written from the data, numbers the Vietnamese way.
            #expect(paragraphs.contains("Trong Quý I năm 2024, đã ban hành 01 quyết định, 02 kế hoạch, 01 văn bản chỉ đạo."))
            #expect(paragraphs.contains("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1% (28.295/29.140 hồ sơ)."))
            #expect(paragraphs.contains("Tỷ lệ DVCTT toàn trình đủ điều kiện đạt 100% (được giao 80%; 812/812 DVC)."))
            // Kế hoạch 48 has one result out of 28 for Quý I: no targets summary nor appendix
            // (the 6-month report below has them); the linked row still says "được giao 80%".
            #expect(!paragraphs.contains { $0.hasPrefix("Theo Kế hoạch 48/KH-BCĐCĐS") })
            #expect(paragraphs.contains("(Chi tiết các văn bản tại Phụ lục I kèm theo)"))
            #expect(paragraphs.contains("(Chi tiết số liệu tại Phụ lục II kèm theo)"))
            #expect(!paragraphs.contains { $0.hasPrefix("(Chi tiết kết quả thực hiện các chỉ tiêu") })
            // The narrative stored with the report.
            #expect(paragraphs.contains(report.nextTasks))
            #expect(
                paragraphs.contains {
                    $0.hasPrefix("Trên đây là báo cáo thống kê số liệu chuyên đề") && $0.hasSuffix("của UBND tỉnh Bắc Giang./.")
                })

            let signature = try #require(content.tables.first { $0.first?.first?.hasPrefix("Nơi nhận:") == true }?.first)
            #expect(signature[0] == "Nơi nhận:\n- Sở Nội vụ;\n- Lưu: VT.")
            #expect(signature[1].hasPrefix("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"))
            #expect(signature[1].hasSuffix("Nguyễn Văn A"))

            for appendix in ["Phụ lục I", "Phụ lục II"] { #expect(paragraphs.contains(appendix)) }
            #expect(!paragraphs.contains("Phụ lục III"))
            let documents = try #require(content.tables.first { $0.first == ["STT", "NỘI DUNG VĂN BẢN"] })
            #expect(documents.contains(["I", "Quyết định"]))
            #expect(
                documents.contains([
                    "1", "Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh về điều chỉnh, bổ sung mã định danh điện tử"
                ]))
            #expect(documents.contains(["III", "Các văn bản chỉ đạo"]))
            let figures = try #require(content.tables.first { $0.first == ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"] })
            #expect(figures.count == 1 + 33)
            #expect(
                figures.contains([
                    "6.3.1", "Tổng số hồ sơ của DVCTT toàn trình (gồm hồ sơ nộp trực tuyến + trực tiếp)", "Hồ sơ", "29.140", ""
                ]))
            #expect(figures.contains(["6.3", "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", "97,1", ""]))
            #expect(figures.contains(["5.", "Số liệu về trao đổi văn bản điện tử", "", "", ""]))
            #expect(paragraphs.contains { $0.hasPrefix("Chưa có báo cáo nào của các đơn vị cấp dưới được tính") })
            #expect(content.tables.first { $0.first == ["STT", "Chỉ tiêu", "Chủ trì theo dõi", "Kết quả", "Đánh giá"] } == nil)
            // Page numbers from page 2: a numbered header plus an empty first-page one.
            #expect(content.headers.sorted() == ["", "2"])
            #expect(content.properties.custom["BaoCao.Unit"] == Self.province)
        }
    }

    @Test func sixMonthReportStatesTheTargetSummaryAndTheLaggingUnits() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: Self.province, period: "2024-H1")
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let response = try await reviewer.get("/reports/\(report.id!.uuidString)/export.docx?date=2024-07-05&sign=tm&symbol=STTTT")
            #expect(response.status == .ok)
            let content = try DOCXReader().read(Data(buffer: response.body))
            let paragraphs = content.paragraphs
            #expect(paragraphs.contains { $0.contains("đã hoàn thành và vượt mức 16 chỉ tiêu, đang thực hiện 12 chỉ tiêu") })
            #expect(paragraphs.contains("III. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM 2024"))
            let lagging = try #require(paragraphs.first { $0.hasPrefix("- Chỉ tiêu I.2 ") })
            #expect(lagging.contains("Sở Tư pháp (44,97%)"))
            #expect(lagging.contains("UBND huyện Lục Ngạn (44,85%)"))
            #expect(content.tables[0][0][1].hasSuffix("Bắc Giang, ngày 05 tháng 7 năm 2024"))
            #expect(content.tables[0][0][0].hasSuffix("/BC-STTTT"))
            let signature = try #require(content.tables.first { $0.first?.first?.hasPrefix("Nơi nhận:") == true }?.first)
            #expect(signature[1].hasPrefix("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"))
            let targets = try #require(content.tables.first { $0.first == ["STT", "Chỉ tiêu", "Chủ trì theo dõi", "Kết quả", "Đánh giá"] })
            #expect(targets.contains { $0.count == 5 && $0[3] == "Sở Tư pháp đang thống kê" && $0[4] == "Chưa có số liệu" })
            #expect(targets.contains { $0.count == 5 && $0[3] == "34,6%" && $0[4] == "Chưa đạt" })
        }
    }

    @Test func phuLucIIConsolidatesForThoseWhoMaySeeItAndShowsOwnFiguresToOthers() async throws {
        try await withDemoApp { app in
            // One commune's report accepted with figures of its own.
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            for (code, raw) in [("6.3.1", "1.200"), ("6.3.2", "1.100"), ("3", "90")] {
                let number = try VietnameseNumber.parse(raw).get().description
                try await ReportValue(reportID: commune.id!, code: code, raw: raw, number: number, note: nil).save(on: app.db)
            }
            commune.status = .accepted
            try await commune.save(on: app.db)
            let report = try await app.report(unit: Self.province, period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)/export.docx?date=14/03/2024"

            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let consolidated = try DOCXReader().read(Data(buffer: try await reviewer.get(path).body))
            let figures = try #require(consolidated.tables.first { $0.first == ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"] })
            #expect(figures.contains { $0[0] == "6.3.1" && $0[3] == "1.200" && $0[4] == "Tổng hợp 1/34 đơn vị" })
            #expect(figures.contains { $0[0] == "6.3" && $0[3] == "91,67" && $0[4] == "Tổng hợp 1/34 đơn vị" })
            // Row 3 is not consolidated: each level reports its own.
            #expect(figures.contains { $0[0] == "3." && $0[3] == "100" && $0[4] == "Số liệu của đơn vị" })
            #expect(consolidated.paragraphs.contains("Tỷ lệ hồ sơ trực tuyến toàn trình đạt 91,67% (1.100/1.200 hồ sơ)."))

            // A reporter of the province may read its report but not consolidated figures.
            var reporter = try await Browser.signIn(app, as: "tinh.nhaplieu")
            let own = try DOCXReader().read(Data(buffer: try await reporter.get(path).body))
            let ownFigures = try #require(own.tables.first { $0.first == ["STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"] })
            #expect(ownFigures.contains { $0[0] == "6.3.1" && $0[3] == "29.140" && $0[4] == "" })
        }
    }

    @Test func exportsFollowTheAccessRules() async throws {
        try await withDemoApp { app in
            let province = try await app.report(unit: Self.province, period: "2024-Q1")
            let communeCode = try await app.unitCode(kind: .commune)
            var commune = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await commune.get("/reports/\(province.id!.uuidString)/export.docx").status == .forbidden)
            #expect(try await commune.get("/reports/\(province.id!.uuidString)/export.xlsx").status == .forbidden)
            #expect(try await commune.get("/reports/\(province.id!.uuidString)/template.xlsx").status == .forbidden)
            #expect(try await commune.get("/export?unit=\(Self.province)&period=2024-Q1&form=egov-2024&format=csv").status == .forbidden)
            #expect(
                try await commune.get("/export?unit=\(Self.province)&period=2024-Q1&form=egov-2024&table=consolidated").status == .forbidden
            )
            #expect(try await commune.get("/export?unit=\(communeCode)&period=2024-Q1&form=egov-2024&format=csv").status == .ok)
            #expect(try await commune.get("/export?period=2024-Q1&form=egov-2024&format=json").status == .ok)
            var reporter = try await Browser.signIn(app, as: "tinh.nhaplieu")
            #expect(
                try await reporter.get("/export?unit=\(Self.province)&period=2024-Q1&form=egov-2024&consolidated=1").status == .forbidden)
            #expect(try await reporter.get("/export?unit=\(Self.province)&period=2024-H1&plan=kh48-2024").status == .forbidden)
            #expect(try await reporter.get("/export?unit=\(Self.province)&period=2024-Q1&form=egov-2024&format=pdf").status == .badRequest)
            var stranger = Browser(app: app)
            #expect(try await stranger.get("/reports/\(province.id!.uuidString)/export.docx").status == .seeOther)
        }
    }

    // MARK: Tables

    @Test func reportConsolidatedAndTargetsTablesAgreeAcrossFormats() async throws {
        try await withDemoApp { app in
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let query = "unit=\(Self.province)&period=2024-Q1&form=egov-2024"
            let csv = try await reviewer.get("/export?\(query)&format=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.components(separatedBy: "\r\n")
            #expect(lines[0] == "\u{FEFF}code,name,unit,value,note")
            #expect(lines.contains("6.3,Tỷ lệ hồ sơ trực tuyến toàn trình,%,\"97,1\","))
            #expect(lines.contains("6.3.2,Số hồ sơ nộp trực tuyến của các DVCTT toàn trình,Hồ sơ,28.295,"))
            // The CSV is a values file: it reads back with the core's reader.
            let rows = try ValuesFile.parse(csv.body.string)
            #expect(rows.first { $0.code == "6.4" }?.value == "99,8")

            struct Table: Decodable {
                let table: String
                let columns: [String]
                let header: [String]
                let rows: [[Cell]]
                let info: [String: String]
            }
            enum Cell: Decodable, Equatable {
                case text(String)
                case number(Double)
                case null
                init(from decoder: Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if container.decodeNil() {
                        self = .null
                    } else if let number = try? container.decode(Double.self) {
                        self = .number(number)
                    } else {
                        self = .text(try container.decode(String.self))
                    }
                }
            }
            let json = try JSONDecoder().decode(Table.self, from: Data(buffer: try await reviewer.get("/export?\(query)&format=json").body))
            #expect(json.table == "report" && json.columns == ["code", "name", "unit", "value", "note"])
            #expect(json.info["period"] == "2024-Q1")
            #expect(json.rows.first { $0[0] == .text("6.3.2") }?[3] == .number(28295))
            #expect(json.rows.first { $0[0] == .text("6.3") }?[3] == .number(97.1))
            #expect(json.rows.first { $0[0] == .text("5") }?[3] == .null)

            let report = try await app.report(unit: Self.province, period: "2024-Q1")
            let workbook = try XLSXReader().read(Data(buffer: try await reviewer.get("/reports/\(report.id!.uuidString)/export.xlsx").body))
            let sheet = workbook.sheets[0]
            #expect(sheet.rows[0].map { $0.value.stringValue } == json.header)
            #expect(sheet.rows.count == json.rows.count + 1)
            let row = try #require(sheet.rows.first { $0.first?.value.stringValue == "6.3" })
            #expect(row[3].value.numberValue == 97.1)
            #expect(workbook.sheet(named: "Thông tin") != nil)

            // Units as rows, indicators as columns, with the consolidated row.
            let table = try XLSXReader().read(Data(buffer: try await reviewer.get("/export?\(query)&consolidated=1").body)).sheets[0]
            let form = try #require(app.library.form("egov-2024"))
            #expect(table.rows[0].count == 4 + form.indicators.filter { !$0.isHeading }.count)
            #expect(table.rows[0][0].value.stringValue == "Mã đơn vị")
            #expect(table.rows[1][0].value.stringValue == Self.province && table.rows[1][3].value.stringValue == "Đã tiếp nhận")
            let column = try #require(table.rows[0].firstIndex { $0.value.stringValue?.hasPrefix("6.3.1 ") == true })
            #expect(table.rows[1][column].value.numberValue == 29140)
            #expect(table.rows[2][1].value.stringValue == "Tổng hợp: UBND tỉnh Bắc Giang")
            #expect(table.rows[2][3].value.stringValue == "Đã tính 0/34 báo cáo")
            #expect(table.rows.count == 1 + 35 + 3) // header, 35 units' own rows, totals of the province and the 2 districts with communes

            let targets = try await reviewer.get("/export?unit=\(Self.province)&period=2024-H1&plan=kh48-2024&format=csv")
            #expect(targets.status == .ok)
            let targetLines = targets.body.string.components(separatedBy: "\r\n")
            #expect(targetLines[0] == "\u{FEFF}group,code,name,responsible,result,value,status,lagging")
            let i2 = try #require(targetLines.first { $0.hasPrefix("I,I.2,") })
            #expect(i2.contains(",\"34,6%\",\"34,6\",Chưa đạt,"))
            #expect(i2.contains("Sở Tư pháp (44,97%)"))
        }
    }

    // MARK: Excel in

    @Test func templateLooksLikeTheFormAndCarriesItsIdentity() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: Self.province, period: "2024-Q1")
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let response = try await reviewer.get("/reports/\(report.id!.uuidString)/template.xlsx")
            #expect(response.status == .ok)
            let workbook = try XLSXReader().read(Data(buffer: response.body))
            #expect(workbook.sheets.map(\.name) == ["Số liệu", "Hướng dẫn"])
            let sheet = workbook.sheets[0]
            #expect(sheet.isProtected)
            #expect(sheet.isColumnHidden(5) && !sheet.isColumnHidden(3))
            #expect(sheet[0, 0].value.stringValue?.hasPrefix("THỐNG KÊ SỐ LIỆU CHUYÊN ĐỀ") == true)
            #expect(sheet[1, 0].value.stringValue == "Đơn vị báo cáo: UBND tỉnh Bắc Giang (mã \(Self.province))")
            #expect(sheet[2, 0].value.stringValue == "Kỳ báo cáo: Quý I năm 2024")
            #expect(
                (0..<6).map { sheet[4, $0].value.stringValue } == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã chỉ tiêu"])
            let form = try #require(app.library.form("egov-2024"))
            #expect((0..<form.indicators.count).map { sheet[5 + $0, 5].value.stringValue } == form.indicators.map(\.code))
            func row(_ code: String) -> Int { 5 + form.slotByCode[code]! }
            // Input cells unlocked, holding what is stored; labels locked and indented by depth.
            #expect(sheet[row("6.3.1"), 3] == .number(29140, .inputInteger))
            #expect(sheet[row("3"), 3] == .number(100, .inputDecimal))
            #expect(sheet[row("1"), 3] == .number(1, .input))
            #expect(sheet[row("6.3.1"), 4].style == .input)
            #expect(sheet[row("6.3.1"), 1].style == .indent2 && sheet[row("6.3"), 1].style == .indent1)
            #expect(sheet[row("5"), 3].style.isInput == false)
            // A computed row: Excel's formula with the value cached.
            guard case .formula(let formula, let cached) = sheet[row("6.3"), 3].value else {
                Issue.record("6.3 is not a formula: \(sheet[row("6.3"), 3])"); return
            }
            #expect(formula == "IFERROR(D\(row("6.3.2") + 1)/D\(row("6.3.1") + 1)*100,\"\")")
            #expect(cached == .number(28295.0 / 29140.0 * 100))
            #expect(sheet[row("6.3"), 3].style.isInput == false)
            // Identity as hidden names and as document properties.
            let layout = ExcelTemplate.fingerprint(form)
            for (name, value) in [
                ("BaoCao_MaBieu", "egov-2024"), ("BaoCao_MaDonVi", Self.province), ("BaoCao_KyBaoCao", "2024-Q1"), ("BaoCao_BoCuc", layout)
            ] {
                let defined = try #require(workbook.definedName(name))
                #expect(defined.refersTo == "\"\(value)\"" && defined.isHidden)
            }
            #expect(workbook.definedName("BaoCao_MaChiTieu")?.refersTo == "'Số liệu'!$F$6:$F$\(5 + form.indicators.count)")
            #expect(workbook.properties.custom["BaoCao.MaDonVi"] == Self.province)
            #expect(workbook.properties.custom["BaoCao.BoCuc"] == layout)
        }
    }

    @Test func filledTemplateGoesThroughTheWebFormSave() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            var workbook = try XLSXReader().read(Data(buffer: try await browser.get(path + "/template.xlsx").body))
            let form = try #require(app.library.form("egov-2024"))
            func row(_ code: String) -> Int { 5 + form.slotByCode[code]! }
            workbook.sheets[0][row("6.3.1"), 3] = .number(1200, .inputInteger)
            workbook.sheets[0][row("6.3.2"), 3] = .number(1500, .inputInteger) // more than its total: an error on its row
            workbook.sheets[0][row("6.1.1"), 3] = .formula("800+12", cached: .number(812), .inputInteger)
            workbook.sheets[0][row("6.1.2"), 3] = .number(812, .inputInteger)
            workbook.sheets[0][row("3"), 3] = .number(97.5, .inputDecimal)
            workbook.sheets[0][row("6.4.1"), 3] = .string("1.234", .input)
            workbook.sheets[0][row("6.1.2"), 4] = .string("Theo Cổng DVC", .input)
            let page = try await browser.get(path).body.string
            #expect(
                page.contains("<form method=\"post\" action=\"/reports/\(report.id!.uuidString)/upload\" enctype=\"multipart/form-data\""))
            #expect(page.contains("href=\"/reports/\(report.id!.uuidString)/template.xlsx\""))
            let response = try await browser.upload(path + "/upload", file: try XLSXWriter().write(workbook))
            #expect(response.status == .ok)
            let result = response.body.string
            #expect(result.contains("Đã nhập số liệu từ tệp “mau.xlsx”: 7 ô thay đổi."))
            #expect(result.contains("lớn hơn tổng của nó"))

            let stored = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).all()
            var byCode: [String: ReportValue] = [:]
            for value in stored { byCode[value.code] = value }
            #expect(byCode["6.3.1"]?.raw == "1.200" && byCode["6.3.1"]?.number == "1200")
            #expect(byCode["6.1.1"]?.raw == "812")
            #expect(byCode["3"]?.raw == "97,5" && byCode["3"]?.number == "97.5")
            #expect(byCode["6.4.1"]?.raw == "1.234" && byCode["6.4.1"]?.number == "1234")
            #expect(byCode["6.1.2"]?.note == "Theo Cổng DVC")
            #expect(byCode["6.3"] == nil) // computed rows are the server's
            let saved = try await app.report(unit: report.unitCode, period: "2024-Q1")
            #expect(saved.version == 1 && saved.status == .draft)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).filter(\.$action == "value").count()
            #expect(audit == 6)
        }
    }

    @Test func wrongOrTamperedFilesAreRefusedAndNothingIsWritten() async throws {
        try await withDemoApp { app in
            let communeCode = try await app.unitCode(kind: .commune)
            let report = try await app.report(unit: communeCode, period: "2024-Q1")
            let sixMonths = try await app.report(unit: communeCode, period: "2024-H1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let template = try XLSXReader().read(Data(buffer: try await browser.get(path + "/template.xlsx").body))
            let form = try #require(app.library.form("egov-2024"))
            var filled = template
            filled.sheets[0][5 + form.slotByCode["6.3.1"]!, 3] = .number(1200, .inputInteger)

            func refused(_ target: String, _ bytes: Data, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
            {
                _ = try await browser.get(target)
                let response = try await browser.upload(target + "/upload", file: bytes)
                #expect(response.status == .unprocessableEntity, sourceLocation: sourceLocation)
                #expect(response.body.string.contains(message), "\(message)", sourceLocation: sourceLocation)
                #expect(response.body.string.contains("Không có gì được lưu."), sourceLocation: sourceLocation)
            }
            // Another period of the same unit.
            try await refused(
                "/reports/\(sixMonths.id!.uuidString)", try XLSXWriter().write(filled),
                "tệp dành cho kỳ Quý I năm 2024 thay vì 6 tháng đầu năm 2024")
            // The form's identity changed in one place only.
            var renamed = filled
            renamed.definedNames[0].refersTo = "\"egov-2022\""
            try await refused(path, try XLSXWriter().write(renamed), "không khớp nhau")
            // Another form altogether: its layout is not this one's.
            renamed.properties.custom["BaoCao.MaBieu"] = "egov-2022"
            try await refused(path, try XLSXWriter().write(renamed), "bố cục cũ của biểu mẫu")
            // The hidden codes column edited.
            var tampered = filled
            tampered.sheets[0][5 + form.slotByCode["6.3.2"]!, 5] = .string("6.3.9", .text)
            try await refused(path, try XLSXWriter().write(tampered), "ô F\(6 + form.slotByCode["6.3.2"]!) có “6.3.9”, đúng ra là “6.3.2”")
            var extra = filled
            extra.sheets[0][5 + form.indicators.count, 5] = .string("7", .text)
            try await refused(path, try XLSXWriter().write(extra), "có thêm dòng “7”")
            // A formula without its result (saved by a program that does not calculate).
            var uncalculated = filled
            uncalculated.sheets[0][5 + form.slotByCode["6.1.1"]!, 3] = .formula("800+12", cached: .empty, .inputInteger)
            try await refused(path, try XLSXWriter().write(uncalculated), "có công thức nhưng tệp không lưu kết quả đã tính")
            // Not an Excel file, and no file.
            try await refused(path, Data("mã,giá trị\n6.3.1,1200\n".utf8), "Tệp không phải là tệp Excel (.xlsx) hợp lệ.")
            try await refused(path, Data(), "Chưa chọn tệp")

            // Another unit's report: the district's reporter uploads the commune's template.
            var district = try await Browser.signIn(app, as: "huyen.nhaplieu")
            let districtReport = try await app.report(unit: try await app.unitCode(kind: .district), period: "2024-Q1")
            _ = try await district.get("/reports/\(districtReport.id!.uuidString)")
            let other = try await district.upload("/reports/\(districtReport.id!.uuidString)/upload", file: try XLSXWriter().write(filled))
            #expect(other.status == .unprocessableEntity)
            #expect(other.body.string.contains("tệp dành cho đơn vị UBND xã Thái Sơn thay vì UBND huyện Hiệp Hòa"))
            // Without the CSRF token.
            #expect(
                try await browser.upload(path + "/upload", file: try XLSXWriter().write(filled), includeToken: false).status == .forbidden)

            for id in [report.id!, sixMonths.id!, districtReport.id!] {
                #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == id).count() == 0)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$reportID == id).count() == 0)
                #expect(try await Report.find(id, on: app.db)?.version == 0)
            }
            // The same file on its own report goes in.
            _ = try await browser.get(path)
            #expect(try await browser.upload(path + "/upload", file: try XLSXWriter().write(filled)).status == .ok)
            #expect(
                try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).filter(\.$code == "6.3.1").first()?.raw
                    == "1.200")
        }
    }

    // MARK: Pieces

    @Test func numbersFromCellsAreTypedTheVietnameseWay() {
        #expect(ExcelImport.vietnamese(28295) == "28.295")
        #expect(ExcelImport.vietnamese(97.1) == "97,1")
        #expect(ExcelImport.vietnamese(0.1 + 0.2) == "0,3")
        #expect(ExcelImport.vietnamese(1e-7) == "0,0000001")
        #expect(ExcelImport.vietnamese(-1_234_567.5) == "-1.234.567,5")
        #expect(ExcelImport.vietnamese(1_609_226) == "1.609.226")
        #expect(ExcelImport.vietnamese(97.123456789) == "97,123456789")
        #expect(VietnameseNumber.parse(ExcelImport.vietnamese(12.5)) == .success(ExactNumber(mantissa: 125, scale: 1)))
        #expect(ExcelImport.vietnamese(97.10020590253946, shortest: true) == "97,10020590253946")
        #expect(ExcelImport.vietnamese(0.1 + 0.2, shortest: true) == "0,30000000000000004")
    }

    @Test func letterheadPieces() {
        #expect(OfficialReportBuilder.dateLine(CivilDate(year: 2024, month: 2, day: 5)) == "ngày 05 tháng 02 năm 2024")
        #expect(OfficialReportBuilder.dateLine(CivilDate(year: 2024, month: 3, day: 14)) == "ngày 14 tháng 3 năm 2024")
        #expect(OfficialReportBuilder.abbreviation("Sở Thông tin và Truyền thông") == "STTTT")
        #expect(OfficialReportBuilder.abbreviation("Sở Nội vụ") == "SNV")
        #expect(OfficialReportBuilder.abbreviation("Văn phòng UBND tỉnh") == "VPUBND")
        #expect(OfficialReportBuilder.abbreviation("UBND xã Thái Sơn") == "UBND")
        #expect(OfficialReportBuilder.place("UBND tỉnh Bắc Giang") == "Bắc Giang")
        #expect(OfficialReportBuilder.agencyLines("Sở Y tế") == ["SỞ Y TẾ"])
        #expect(OfficialReportBuilder.headTitle("Sở Y tế") == "GIÁM ĐỐC")
        var options = OfficialReportBuilder.Options()
        #expect(OfficialReportBuilder.signatureLines(unitName: "Sở Y tế", options: options) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])
        options.signing = .head
        #expect(
            OfficialReportBuilder.signatureLines(unitName: "UBND huyện Yên Thế", options: options) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"])
        #expect(OfficialReportBuilder.nextPeriodLabel(.quarter(4, 2024)) == "Quý I năm 2025")
        #expect(ExcelTemplate.excelFormula("[6.3.2] / [6.3.1] * 100", rowOf: ["6.3.1": 30, "6.3.2": 31]) == "IFERROR(D32/D31*100,\"\")")
        #expect(ExcelTemplate.excelFormula("sum(children)", rowOf: [:]) == nil)
        #expect(ExcelTemplate.fingerprint(codes: ["1", "2"]) != ExcelTemplate.fingerprint(codes: ["2", "1"]))
    }
}

extension Browser {
    /// Posts a file as a browser's multipart form does, with the CSRF token.
    @discardableResult
    mutating func upload(_ path: String, file: Data, name: String = "mau.xlsx", includeToken: Bool = true) async throws
        -> TestingHTTPResponse
    {
        let boundary = "----BaoCaoTest\(UUID().uuidString)"
        var body = ByteBuffer()
        if includeToken, let csrf {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n")
        body.writeString("Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var captured: TestingHTTPResponse?
        let cookie = self.cookie
        let payload = body
        try await app.testing().test(
            .POST, path,
            beforeRequest: { request in
                if let cookie { request.headers.cookie = ["baocao_session": .init(string: cookie)] }
                request.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                request.body = payload
            }, afterResponse: { response in captured = response })
        remember(captured!)
        return captured!
    }
}
