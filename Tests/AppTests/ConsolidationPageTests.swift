import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("Consolidated figures page")
struct ConsolidationPageTests {
    static let province = DemoLoader.provinceCode
    static let langGiang = "000.00.32.H05"
    static let thaiDao = "000.01.32.H05"
    static let daiLam = "000.02.32.H05"

    /// A leader for a demo commune that has none: the demo only creates users for the first commune.
    static func addLeader(_ app: Application, username: String, unit: String) async throws {
        try await User(
            username: username, displayName: "Lãnh đạo \(unit)", passwordHash: DemoLoader.demoPassword,
            role: .leader, unitCode: unit
        ).save(on: app.db)
    }

    /// Fills a commune's Quý I/2024 report through the data-entry page and sends it, as its leader.
    static func fillAndSend(_ app: Application, unit: String, leader: String, overrides: [String: String]) async throws -> String {
        let report = try await app.report(unit: unit, period: "2024-Q1")
        let path = "/reports/\(report.id!.uuidString)"
        var browser = try await Browser.signIn(app, as: leader)
        _ = try await browser.get(path)
        let saved = try await browser.save(path, form: WorkflowTests.completeCommuneForm(version: 0).merging(overrides) { $1 })
        #expect(saved.status == .ok)
        let problems = saved.body.string.matches(of: /class="problem[^"]*"[^>]*>([^<]+)</).map { String($0.1) }
        #expect(saved.body.string.contains("Không có lỗi"), "\(unit): \(problems)")
        let sent = try await browser.post(path + "/action", form: ["action": "send"])
        #expect(sent.status == .seeOther, "send \(unit): \(sent.status)")
        return path
    }

    static func accept(_ reviewer: inout Browser, _ path: String) async throws {
        _ = try await reviewer.get(path)
        #expect(try await reviewer.post(path + "/action", form: ["action": "accept"]).status == .seeOther)
    }

    /// The cells of one row of the consolidated table.
    static func row(_ html: String, _ code: String) -> (figure: String, coverage: String, share: String?)? {
        guard let start = html.range(of: "data-code=\"\(code)\">") else { return nil }
        let rest = html[start.upperBound...]
        let row = String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
        guard let figure = row.firstMatch(of: /<td class="figure">([^<]*)/),
            let coverage = row.firstMatch(of: /<td class="coverage">([^<]*)/)
        else { return nil }
        return (String(figure.1), String(coverage.1), row.firstMatch(of: /<div class="share">([^<]*)/).map { String($0.1) })
    }

    static func consolidated(unit: String, basis: String = "accepted") -> String {
        "/consolidated?form=egov-2024&period=2024-Q1&unit=\(unit)&basis=\(basis)"
    }

    @Test func figuresFollowTheReportsAsTheyAreAccepted() async throws {
        try await withDemoApp { app in
            try await Self.addLeader(app, username: "thaidao.lanhdao", unit: Self.thaiDao)
            try await Self.addLeader(app, username: "dailam.lanhdao", unit: Self.daiLam)
            var reviewer = try await Browser.signIn(app, as: "sotttt")

            // Nothing accepted yet: nothing consolidated, coverage 0 of the district's 2 communes.
            let before = try await reviewer.get(Self.consolidated(unit: Self.langGiang))
            #expect(before.status == .ok)
            #expect(Self.row(before.body.string, "6.3.1")?.coverage == "0/2")
            #expect(Self.row(before.body.string, "6.3.1")?.figure == "Chưa có số liệu")

            let thaiDao = try await Self.fillAndSend(
                app, unit: Self.thaiDao, leader: "thaidao.lanhdao",
                overrides: ["v[6.3.1]": "1.200", "v[6.3.2]": "1.100", "v[5.1.3]": "100"])
            let daiLam = try await Self.fillAndSend(
                app, unit: Self.daiLam, leader: "dailam.lanhdao",
                overrides: ["v[6.3.1]": "1.300", "v[6.3.2]": "1.250", "v[5.1.3]": "0"])
            // Sent but not accepted: only counts on the "sent" basis.
            _ = try await Self.fillAndSend(
                app, unit: try await app.unitCode(kind: .commune), leader: "xa.lanhdao",
                overrides: ["v[6.3.1]": "1.000", "v[6.3.2]": "900"])
            let sentOnly = try await reviewer.get(Self.consolidated(unit: Self.langGiang))
            #expect(Self.row(sentOnly.body.string, "6.3.1")?.coverage == "0/2")
            try await Self.accept(&reviewer, thaiDao)
            try await Self.accept(&reviewer, daiLam)

            let district = try await reviewer.get(Self.consolidated(unit: Self.langGiang))
            let html = district.body.string
            #expect(html.contains("UBND huyện Lạng Giang"))
            let count = try #require(Self.row(html, "6.3.1"))
            #expect(count.figure == "2.500") // 1.200 + 1.300
            #expect(count.coverage == "2/2")
            #expect(Self.row(html, "6.3.2")?.figure == "2.350")
            // The ratio is recomputed from the sums (2.350 / 2.500), not averaged from 91,67 and 96,15.
            #expect(Self.row(html, "6.3")?.figure == "94")
            #expect(Self.row(html, "6.3")?.coverage == "2/2")
            // Share of communes connected: one of two.
            let share = try #require(Self.row(html, "5.1.3"))
            #expect(share.share == "1/2 đơn vị")
            #expect(share.figure == "50")
            // The basis is a visible choice.
            #expect(html.contains("name=\"basis\" value=\"sent\""))
            #expect(html.contains("Chỉ báo cáo đã tiếp nhận"))

            // The province: accepted reports only, then also the sent one.
            let assigned = try await Report.query(on: app.db).filter(\.$formID == "egov-2024").filter(\.$periodKey == "2024-Q1")
                .filter(\.$unitCode != Self.province).count()
            let accepted = try await reviewer.get(Self.consolidated(unit: Self.province))
            #expect(Self.row(accepted.body.string, "6.3.1")?.figure == "2.500")
            #expect(Self.row(accepted.body.string, "6.3.1")?.coverage == "2/\(assigned)")
            let withSent = try await reviewer.get(Self.consolidated(unit: Self.province, basis: "sent"))
            #expect(Self.row(withSent.body.string, "6.3.1")?.figure == "3.500")
            #expect(Self.row(withSent.body.string, "6.3.1")?.coverage == "3/\(assigned)")
            #expect(withSent.body.string.contains("Cả báo cáo đã gửi"))
            // The province entered its own figures (seed 000): they differ from what its units add up to.
            #expect(accepted.body.string.contains("Chỉ tiêu 6.3.1: số liệu nhập 29.140 khác số tổng hợp từ đơn vị cấp dưới 2.500."))
            #expect(try await reviewer.get(Self.consolidated(unit: Self.province, basis: "all")).status == .badRequest)
        }
    }

    @Test func drillDownListsTheUnitsBehindAFigure() async throws {
        try await withDemoApp { app in
            try await Self.addLeader(app, username: "thaidao.lanhdao", unit: Self.thaiDao)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let path = try await Self.fillAndSend(app, unit: Self.thaiDao, leader: "thaidao.lanhdao", overrides: ["v[6.3.1]": "1.200"])
            try await Self.accept(&reviewer, path)

            let district = try await reviewer.get("/consolidated/drill?form=egov-2024&period=2024-Q1&unit=\(Self.langGiang)&code=6.3.1")
            #expect(district.status == .ok)
            let html = district.body.string
            #expect(html.contains("UBND xã Thái Đào"))
            #expect(html.contains("UBND xã Đại Lâm"))
            #expect(html.contains("<td class=\"figure\">1.200</td>"))
            #expect(html.contains("Đã tiếp nhận"))
            #expect(html.contains("Chưa nhập"))
            #expect(html.contains("href=\"\(path)\""))
            #expect(html.contains("<strong class=\"coverage\">1/2</strong>"))

            // One level up: the district appears with its consolidated value and a link further down.
            let province = try await reviewer.get("/consolidated/drill?form=egov-2024&period=2024-Q1&unit=\(Self.province)&code=6.3.1")
            let top = province.body.string
            #expect(top.contains("UBND huyện Lạng Giang"))
            #expect(top.contains("Tổng hợp từ 1/2 đơn vị"))
            #expect(
                top.contains(
                    "/consolidated/drill?form=egov-2024&amp;period=2024-Q1&amp;unit=\(Self.langGiang)&amp;basis=accepted&amp;code=6.3.1"))
            #expect(top.contains("Sở Tư pháp"))
            // Each row of the table links to its drill-down.
            let table = try await reviewer.get(Self.consolidated(unit: Self.province))
            #expect(
                table.body.string.contains(
                    "/consolidated/drill?form=egov-2024&amp;period=2024-Q1&amp;unit=\(Self.province)&amp;basis=accepted&amp;code=6.3.1"))
            #expect(
                try await reviewer.get("/consolidated/drill?form=egov-2024&period=2024-Q1&unit=\(Self.province)&code=9.9").status
                    == .notFound)
        }
    }

    @Test func onlyReviewersLeadersAndAdminsSeeConsolidatedFigures() async throws {
        try await withDemoApp { app in
            let commune = try await app.unitCode(kind: .commune)
            let district = try await app.unitCode(kind: .district)
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let refused = try await reporter.get(Self.consolidated(unit: Self.province))
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("không có quyền xem số liệu tổng hợp"))
            #expect(try await reporter.get(Self.consolidated(unit: commune)).status == .forbidden)
            #expect(
                try await reporter.get("/consolidated/drill?form=egov-2024&period=2024-Q1&unit=\(Self.province)&code=6.3.1").status
                    == .forbidden)
            var districtReporter = try await Browser.signIn(app, as: "huyen.nhaplieu")
            #expect(try await districtReporter.get(Self.consolidated(unit: district)).status == .forbidden)
            // A leader sees their own unit's figures, not the province's.
            var leader = try await Browser.signIn(app, as: "huyen.lanhdao")
            #expect(try await leader.get(Self.consolidated(unit: district)).status == .ok)
            #expect(try await leader.get(Self.consolidated(unit: Self.province)).status == .forbidden)
            // A commune has no units below: nothing to consolidate.
            var communeLeader = try await Browser.signIn(app, as: "xa.lanhdao")
            let leaf = try await communeLeader.get(Self.consolidated(unit: commune))
            #expect(leaf.status == .unprocessableEntity)
            var admin = try await Browser.signIn(app, as: "admin")
            #expect(try await admin.get(Self.consolidated(unit: Self.province)).status == .ok)
        }
    }

    @Test func theHomePageLinksEachAssignmentsFigures() async throws {
        try await withDemoApp { app in
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let home = try await reviewer.get("/")
            let assignment = try #require(try await Assignment.query(on: app.db).filter(\.$periodKey == "2024-Q1").first())
            let link = "/consolidated?assignment=\(assignment.id!.uuidString)"
            #expect(home.body.string.contains("<a href=\"\(link)\">Số liệu tổng hợp</a>"))
            let redirect = try await reviewer.get(link)
            #expect(redirect.status == .seeOther)
            #expect(redirect.headers.first(name: .location) == "/consolidated?form=egov-2024&period=2024-Q1&unit=\(Self.province)")
            // The default page (no parameters) is the reviewer's unit and the latest assignment.
            let page = try await reviewer.get("/consolidated")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("6 tháng đầu năm 2024"))
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(!(try await reporter.get("/").body.string.contains("Số liệu tổng hợp")))
        }
    }
}
