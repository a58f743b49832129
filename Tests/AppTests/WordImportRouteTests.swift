import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("A Word report into a draft, and the narrative check on the report page")
struct WordImportRouteTests {
    static let cells = ["6.1.1": "812", "6.1.2": "812", "6.3.1": "1.200", "6.3.2": "900", "6.4.1": "1.234"]

    static func stored(_ app: Application, _ report: Report) async throws -> [String: String] {
        var byCode: [String: String] = [:]
        for value in try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).all() { byCode[value.code] = value.raw }
        return byCode
    }

    /// BaoCao's own Word report of one period, brought into the next period's draft: the same cells and narrative.
    @Test func exportedDocxRoundTripsIntoAnotherDraft() async throws {
        try await withDemoApp { app in
            let commune = try await app.unitCode(kind: .commune)
            let source = try await app.report(unit: commune, period: "2024-Q1")
            let target = try await app.report(unit: commune, period: "2024-H1")
            let sourcePath = "/reports/\(source.id!.uuidString)", targetPath = "/reports/\(target.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            var form = [
                "version": String(source.version), "achievements": "Xã đã triển khai Cổng dịch vụ công đến các thôn.",
                "assessment": "Cơ bản hoàn thành nhiệm vụ.", "nextTasks": "Tiếp tục tuyên truyền dịch vụ công trực tuyến.",
                "proposals": "Đề nghị tập huấn thêm cho cán bộ một cửa."
            ]
            for (code, value) in Self.cells { form["v[\(code)]"] = value }
            _ = try await browser.get(sourcePath)
            #expect(try await browser.save(sourcePath, form: form).status == .ok)
            let docx = try await browser.get(sourcePath + "/export.docx")
            #expect(docx.status == .ok)

            let page = try await browser.get(targetPath).body.string
            #expect(page.contains("action=\"\(targetPath)/import/docx\""))
            #expect(page.contains("Nhập từ báo cáo Word (.docx"))
            let response = try await browser.upload(targetPath + "/import/docx", file: Data(buffer: docx.body), name: "quy1.docx")
            #expect(response.status == .ok, "\(response.body.string.suffix(4000))")
            #expect(response.body.string.contains("Đã nhập từ báo cáo Word “quy1.docx”"))

            let copied = try await Self.stored(app, target)
            let original = try await Self.stored(app, source)
            for code in Self.cells.keys { #expect(copied[code] == original[code], "\(code)") }
            let imported = try await app.report(unit: commune, period: "2024-H1")
            #expect(imported.achievements == form["achievements"])
            #expect(imported.nextTasks == form["nextTasks"])
            #expect(imported.proposals == form["proposals"])
            #expect(imported.version == target.version + 1)
        }
    }

    @Test func aFileThatIsNotWordIsRefusedAndNothingIsWritten() async throws {
        try await withDemoApp { app in
            let commune = try await app.unitCode(kind: .commune)
            let report = try await app.report(unit: commune, period: "2024-H1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await browser.get(path)
            for bytes in [Data("đây không phải tệp Word".utf8), Data([0x50, 0x4B, 0x03, 0x04, 0xFF, 0xFF, 0x00])] {
                let response = try await browser.upload(path + "/import/docx", file: bytes, name: "hong.docx")
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("Không đọc được tệp Word “hong.docx”"))
                #expect(response.body.string.contains("Không có gì được lưu."))
            }
            let after = try await app.report(unit: commune, period: "2024-H1")
            #expect(after.version == report.version && after.achievements == report.achievements)
            #expect(try await Self.stored(app, report).isEmpty == (try await Self.stored(app, after).isEmpty))
        }
    }

    // MARK: The narrative check on the page

    static func saveNarrative(_ browser: inout Browser, _ app: Application, _ report: Report, _ text: String) async throws -> String {
        let path = "/reports/\(report.id!.uuidString)"
        let fresh = try await app.report(unit: report.unitCode, period: report.periodKey)
        _ = try await browser.get(path)
        let page = try await browser.save(
            path,
            form: [
                "version": String(fresh.version), "achievements": text, "assessment": "",
                "nextTasks": "", "proposals": ""
            ])
        #expect(page.status == .ok)
        return page.body.string
    }

    @Test func wrongBreakdownIsWarnedRightOneIsNotAndAMarkSurvivesReload() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")

            let right = try await Self.saveNarrative(
                &browser, app, report, "Trong kỳ, xã tiếp nhận 1.200 hồ sơ (trực tuyến 900, trực tiếp 300).")
            #expect(!right.contains("class=\"narrative-findings\""))

            let wrong = try await Self.saveNarrative(
                &browser, app, report, "Trong kỳ, xã tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300).")
            #expect(wrong.contains("class=\"narrative-findings\""))
            #expect(wrong.contains("tổng không khớp các thành phần"))
            #expect(wrong.contains("1.200"))
            let match = try #require(wrong.firstMatch(of: /id="finding-([a-z_]+-[0-9a-f]{16})"/))
            let id = String(match.1)
            #expect(wrong.contains("id=\"ack-\(id)\""))

            let marked = try await browser.post(
                path + "/narrative/acknowledge", form: ["finding": id, "note": "Số liệu theo Cổng DVC, đã đối chiếu"])
            #expect(marked.status == .seeOther)
            let reloaded = try await browser.get(path).body.string
            #expect(reloaded.contains("id=\"finding-\(id)\" class=\"acknowledged\""))
            #expect(reloaded.contains("Đã kiểm tra — Số liệu theo Cổng DVC, đã đối chiếu"))
            #expect(!reloaded.contains("id=\"ack-\(id)\""))
            #expect(try await NarrativeAcknowledgement.query(on: app.db).count() == 1)

            // An id that is not a finding of the report is refused, nothing stored.
            let bogus = try await browser.post(path + "/narrative/acknowledge", form: ["finding": "ratio-0000000000000000", "note": ""])
            #expect(bogus.status == .unprocessableEntity)
            #expect(try await NarrativeAcknowledgement.query(on: app.db).count() == 1)
        }
    }

    @Test func wordPreviewListsTheFindingsOfTheDocumentText() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: DemoLoader.provinceCode, period: "2024-Q1")
            report.achievements = "Toàn tỉnh tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300)."
            try await report.save(on: app.db)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let page = try await reviewer.get("/reports/\(report.id!.uuidString)").body.string
            #expect(page.contains("formaction=\"/reports/\(report.id!.uuidString)/preview\""))
            let preview = try await reviewer.get("/reports/\(report.id!.uuidString)/preview?date=14/03/2024")
            #expect(preview.status == .ok)
            let html = preview.body.string
            #expect(html.contains("tổng không khớp các thành phần"))
            #expect(html.contains("href=\"/reports/\(report.id!.uuidString)/export.docx?date=14/03/2024\""))

            report.achievements = "Toàn tỉnh tiếp nhận 1.200 hồ sơ (trực tuyến 900, trực tiếp 300)."
            try await report.save(on: app.db)
            let clean = try await reviewer.get("/reports/\(report.id!.uuidString)/preview").body.string
            #expect(!clean.contains("tổng không khớp các thành phần"))
        }
    }
}
