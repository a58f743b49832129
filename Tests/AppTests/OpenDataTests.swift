import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("Open data")
struct OpenDataTests {
    static let provinceSlug = "egov-2024-2024-Q1-000.00.00.H05"
    static let lucNgan = "000.00.32.H05"
    static let thaiDao = "000.01.32.H05"
    static let daiLam = "000.02.32.H05"

    /// Gives a unit's Quý I/2024 report these values and this status, as if entered and moved through the workflow.
    static func fill(_ app: Application, unit: String, _ values: [String: String], status: ReportStatus) async throws {
        let report = try await app.report(unit: unit, period: "2024-Q1")
        let form = try #require(app.library.form("egov-2024"))
        let parsed = Validator(form: form).validate(entries: values)
        for (code, raw) in values {
            try await ReportValue(reportID: report.id!, code: code, raw: raw, number: parsed.values[code]?.number?.description, note: nil)
                .save(on: app.db)
        }
        report.status = status
        if status == .accepted { report.acceptedAt = Date() }
        try await report.save(on: app.db)
    }

    static func setStatus(_ app: Application, unit: String, _ status: ReportStatus) async throws {
        let report = try await app.report(unit: unit, period: "2024-Q1")
        report.status = status
        try await report.save(on: app.db)
    }

    @Test func publicPagesNeedNoLoginAndUnpublishedIsNotFound() async throws {
        try await withDemoApp { app in
            var anonymous = Browser(app: app)
            let list = try await anonymous.get("/open-data")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("Chưa có bộ dữ liệu nào được công bố."))
            // The province's Quý I/2024 report is accepted in the demo, but not published: nothing public.
            for suffix in ["", ".csv", ".json"] {
                #expect(try await anonymous.get("/open-data/\(Self.provinceSlug)\(suffix)").status == .notFound, "\(suffix)")
            }
            #expect(try await anonymous.get("/open-data/khong-co").status == .notFound)
        }
    }

    @Test func publishTheProvincesAcceptedFigures() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/publish")
            let published = try await admin.post(
                "/admin/publish", form: ["formID": "egov-2024", "periodKey": "2024-q1", "unitCode": DemoLoader.provinceCode])
            #expect(published.status == .seeOther)
            #expect(published.headers.first(name: .location) == "/admin/publish?published=\(Self.provinceSlug)")
            #expect(
                try await admin.get("/admin/publish?published=\(Self.provinceSlug)").body.string.contains(
                    "Đã công bố bộ dữ liệu tại /open-data/\(Self.provinceSlug)."))
            let again = try await admin.post(
                "/admin/publish", form: ["formID": "egov-2024", "periodKey": "2024-Q1", "unitCode": DemoLoader.provinceCode])
            #expect(again.status == .conflict)
            #expect(try await PublishedDataset.query(on: app.db).count() == 1)

            var anonymous = Browser(app: app)
            let list = try await anonymous.get("/open-data")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("href=\"/open-data/\(Self.provinceSlug)\""))
            #expect(list.body.string.contains("<svg class=\"mini-chart\""))
            let page = try await anonymous.get("/open-data/\(Self.provinceSlug)")
            #expect(page.status == .ok)
            let body = page.body.string
            // Seed 000, Phụ lục II: 6.3.1 = 29.140 dossiers, 6.3.2 = 28.295, so 6.3 = 97,1%.
            #expect(body.contains("<td class=\"number\">29.140</td>"))
            #expect(body.contains("<td class=\"number\">97,1%</td>"))
            #expect(body.contains("Tính theo công thức [6.3.2] / [6.3.1] × 100"))
            #expect(body.contains("Báo cáo của UBND tỉnh Bắc Giang"))
            #expect(body.contains("<svg class=\"chart\""))
            #expect(body.contains("<title>6.3 Tỷ lệ hồ sơ trực tuyến toàn trình: 97,1%</title>"))

            let csv = try await anonymous.get("/open-data/\(Self.provinceSlug).csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.components(separatedBy: "\r\n")
            #expect(lines.first == "\u{FEFF}code,label,name,unit,value,display,source")
            #expect(
                lines.contains {
                    $0.hasPrefix(
                        "6.3.1,6.3.1,Tổng số hồ sơ của DVCTT toàn trình (gồm hồ sơ nộp trực tuyến + trực tiếp),Hồ sơ,29140,29.140,")
                })
            #expect(lines.contains { $0.hasPrefix("6.3,6.3,Tỷ lệ hồ sơ trực tuyến toàn trình,%,97.1002,\"97,1%\",") })

            let json = try await anonymous.get("/open-data/\(Self.provinceSlug).json")
            #expect(json.status == .ok)
            struct Payload: Decodable {
                struct Indicator: Decodable { let code: String; let value: Double?; let method: String }
                let slug: String
                let basis: String
                let acceptedReports: Int
                let indicators: [Indicator]
            }
            let payload = try JSONDecoder().decode(Payload.self, from: Data(json.body.string.utf8))
            #expect(payload.slug == Self.provinceSlug && payload.basis == "accepted" && payload.acceptedReports == 1)
            #expect(payload.indicators.first { $0.code == "6.3.1" }?.value == 29140)
            #expect(payload.indicators.first { $0.code == "6.3" }?.value == 97.1002)
            #expect(payload.indicators.first { $0.code == "5.1.3" }?.method.contains("Xã, phường, thị trấn") == true)

            // Withdrawn: gone from the public pages.
            let dataset = try #require(try await PublishedDataset.query(on: app.db).first())
            _ = try await admin.get("/admin/publish")
            #expect(
                try await admin.post("/admin/publish/\(dataset.id!.uuidString)/withdraw", form: [:], includeToken: false).status
                    == .forbidden)
            #expect(try await anonymous.get("/open-data/\(Self.provinceSlug)").status == .ok)
            #expect(try await admin.post("/admin/publish/\(dataset.id!.uuidString)/withdraw", form: [:]).status == .seeOther)
            #expect(try await anonymous.get("/open-data/\(Self.provinceSlug)").status == .notFound)
            #expect(try await anonymous.get("/open-data/\(Self.provinceSlug).json").status == .notFound)
        }
    }

    @Test func onlyAcceptedReportsCount() async throws {
        try await withDemoApp { app in
            let slug = "egov-2024-2024-Q1-\(Self.lucNgan)"
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/publish")
            // Nothing accepted under the district yet: nothing to publish.
            try await Self.fill(app, unit: Self.daiLam, ["6.3.1": "500", "6.3.2": "100"], status: .sent)
            let early = try await admin.post(
                "/admin/publish", form: ["formID": "egov-2024", "periodKey": "2024-Q1", "unitCode": Self.lucNgan])
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.string.contains("Chưa có báo cáo nào"))
            #expect(try await PublishedDataset.query(on: app.db).count() == 0)

            try await Self.fill(app, unit: Self.thaiDao, ["6.3.1": "1.200", "6.3.2": "1.100"], status: .accepted)
            #expect(
                try await admin.post("/admin/publish", form: ["formID": "egov-2024", "periodKey": "2024-Q1", "unitCode": Self.lucNgan])
                    .status == .seeOther)
            var anonymous = Browser(app: app)
            func figure(_ code: String) async throws -> Double? {
                let json = try await anonymous.get("/open-data/\(slug).json")
                let object = try JSONSerialization.jsonObject(with: Data(json.body.string.utf8)) as? [String: Any]
                let indicators = object?["indicators"] as? [[String: Any]] ?? []
                return indicators.first { $0["code"] as? String == code }?["value"] as? Double
            }
            // Only Thái Đào's accepted report: Đại Lâm's sent one is left out.
            #expect(try await figure("6.3.1") == 1200)
            #expect(try await figure("6.3") == 91.6667)
            let page = try await anonymous.get("/open-data/\(slug)")
            #expect(page.body.string.contains("Tổng hợp từ 1/2 đơn vị"))
            #expect(!page.body.string.contains("1.700"))
            // Returned, or back to draft: still left out.
            try await Self.setStatus(app, unit: Self.daiLam, .returned)
            #expect(try await figure("6.3.1") == 1200)
            // Accepted: counted, without republishing.
            try await Self.setStatus(app, unit: Self.daiLam, .accepted)
            #expect(try await figure("6.3.1") == 1700)
            #expect(try await figure("6.3") == 70.5882)
            // Reopened by the reviewer: out again until accepted again.
            try await Self.setStatus(app, unit: Self.thaiDao, .returned)
            #expect(try await figure("6.3.1") == 500)
        }
    }

    @Test func publishingIsForTheAdministratorWithValidInput() async throws {
        try await withDemoApp { app in
            let form = ["formID": "egov-2024", "periodKey": "2024-Q1", "unitCode": DemoLoader.provinceCode]
            for username in AdminTests.nonAdmins {
                var browser = try await Browser.signIn(app, as: username)
                _ = try await browser.get("/")
                #expect(try await browser.post("/admin/publish", form: form).status == .forbidden, "\(username)")
            }
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/publish")
            #expect(try await admin.post("/admin/publish", form: form, includeToken: false).status == .forbidden)
            for (change, message) in [
                (["periodKey": "Q1-2024"], "Kỳ báo cáo “Q1-2024” không hợp lệ"),
                (["formID": "khong-co"], "Không có biểu mẫu “khong-co”"),
                (["unitCode": "999"], "Không có đơn vị mã “999”"),
                (["periodKey": "2024-H1"], "Chưa có báo cáo nào")
            ] {
                let response = try await admin.post("/admin/publish", form: form.merging(change) { $1 })
                #expect(response.status == .unprocessableEntity, "\(change)")
                #expect(response.body.string.contains(message), "\(change)")
            }
            #expect(try await PublishedDataset.query(on: app.db).count() == 0)
        }
    }
}
