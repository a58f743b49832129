import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// DHIS2 / ADX / SDMX out of the web app, and a DHIS2 file into a report
/// through the normal save. The formats themselves are tested in core.
@Suite struct ExchangeRouteTests {
    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func anAcceptedReportInEveryFormat() async throws {
        try await withDemoApp { app in
            let commune = try await app.unitCode(kind: .commune)
            try await DashboardTests.accept(app, unit: commune, period: "2024-Q1", values: ["6.3.1": "1.250", "6.3.2": "900"])
            let report = try await app.report(unit: commune, period: "2024-Q1")
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let base = "/reports/\(try report.requireID().uuidString)/exchange/"
            let dhis2 = try await reviewer.get(base + "dhis2")
            #expect(dhis2.status == .ok)
            let set = try Self.json(dhis2)
            #expect(set["dataSet"] as? String == "egov-2024")
            let values = try #require(set["dataValues"] as? [[String: Any]])
            let byCode = Dictionary(uniqueKeysWithValues: values.compactMap { v in (v["dataElement"] as? String).map { ($0, v) } })
            #expect(byCode["6.3.1"]?["value"] as? String == "1250")
            #expect(byCode["6.3.1"]?["orgUnit"] as? String == commune)
            #expect(byCode["6.3.1"]?["period"] as? String == "2024Q1")
            // The ratio the form computes travels too, from its parts: 900 / 1.250 = 72%.
            #expect(byCode["6.3"]?["value"] as? String == "72")
            let adx = try await reviewer.get(base + "adx")
            #expect(adx.status == .ok)
            #expect(XMLParser(data: Data(adx.body.string.utf8)).parse())
            #expect(adx.body.string.contains("period=\"2024-01-01/P3M\""))
            let sdmx = try await reviewer.get(base + "sdmx")
            #expect(sdmx.body.string.hasPrefix("STRUCTURE,STRUCTURE_ID,ACTION"))
            #expect(sdmx.body.string.contains("6_3_1"))
            let structure = try await reviewer.get(base + "sdmx-structure")
            #expect(XMLParser(data: Data(structure.body.string.utf8)).parse())
            #expect(try await reviewer.get(base + "xml").status == .badRequest)
        }
    }

    @Test func aDraftIsNotExported() async throws {
        try await withDemoApp { app in
            let commune = try await app.unitCode(kind: .commune)
            let report = try await app.report(unit: commune, period: "2024-Q1")
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let response = try await reviewer.get("/reports/\(try report.requireID().uuidString)/exchange/dhis2")
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("chỉ xuất số liệu đã được tiếp nhận"))
        }
    }

    @Test func consolidatedFiguresOfATreeAgreeWithTheConsolidatedView() async throws {
        try await withDemoApp { app in
            let communes = try await Report.query(on: app.db).filter(\.$periodKey == "2024-Q1").all()
                .map(\.unitCode).filter { $0 != DemoLoader.provinceCode }.prefix(2)
            for (offset, unit) in communes.enumerated() {
                try await DashboardTests.accept(
                    app, unit: unit, period: "2024-Q1", values: ["6.3.1": "\(100 * (offset + 1))", "6.3.2": "50"])
            }
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let response = try await reviewer.get("/exchange?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)&format=dhis2")
            #expect(response.status == .ok)
            let values = try #require(try Self.json(response)["dataValues"] as? [[String: Any]])
            let tree = try await app.unitDirectory.tree(on: app.db)
            let result = try await ConsolidationService(database: app.db, library: app.library, tree: tree)
                .consolidate(formID: "egov-2024", periodKey: "2024-Q1")
            let slot = try #require(result.form.slotByCode["6.3.1"])
            let expected = try #require(result.figures(at: DemoLoader.provinceCode, in: tree)?[slot].value)
            let province = values.first { $0["orgUnit"] as? String == DemoLoader.provinceCode && $0["dataElement"] as? String == "6.3.1" }
            #expect(province?["value"] as? String == ExactNumber(rounding: expected, scale: 6)?.normalized.description)
            #expect(expected >= 300)
            // Someone who may not consolidate the province is refused.
            var commune = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await commune.get("/exchange?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)").status == .forbidden)
        }
    }

    func dhis2File(unit: String, period: String = "2024Q1", values: [(String, String)]) -> String {
        let rows = values.map { "{\"dataElement\":\"\($0.0)\",\"period\":\"\(period)\",\"orgUnit\":\"\(unit)\",\"value\":\"\($0.1)\"}" }
        return
            "{\"dataSet\":\"egov-2024\",\"period\":\"\(period)\",\"orgUnit\":\"\(unit)\",\"dataValues\":[\(rows.joined(separator: ","))]}"
    }

    @Test func aDHIS2FileFillsTheDraftThroughTheNormalSaveOrNothing() async throws {
        try await withDemoApp { app in
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            let unit = try #require(user.unitCode)
            let report = try await app.report(unit: unit, period: "2024-Q1")
            let path = "/reports/\(try report.requireID().uuidString)/import/dhis2"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get("/reports/\(try report.requireID().uuidString)")
            // Another unit's file: refused whole, nothing stored.
            let wrong = try await reporter.upload(
                path, fileField: "file", filename: "dhis2.json",
                content: dhis2File(unit: DemoLoader.provinceCode, values: [("6.3.1", "10")]))
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == report.requireID()).count() == 0)
            let unknown = try await reporter.upload(
                path, fileField: "file", filename: "dhis2.json",
                content: dhis2File(unit: unit, values: [("6.3.1", "10"), ("99.9", "1")]))
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("99.9"))
            #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == report.requireID()).count() == 0)
            // The right file: saved as typed, validated as typed (a part larger than its whole is an error).
            let good = try await reporter.upload(
                path, fileField: "file", filename: "dhis2.json",
                content: dhis2File(unit: unit, values: [("6.3.1", "1250"), ("6.3.2", "1300")]))
            #expect(good.status == .ok)
            #expect(good.body.string.contains("Đã nhập 2 số liệu từ tệp DHIS2"))
            #expect(good.body.string.contains("1 lỗi") || good.body.string.contains("lỗi và"))
            let stored = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.requireID()).all()
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0.raw) }) == ["6.3.1": "1.250", "6.3.2": "1.300"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$reportID == report.requireID()).count() >= 2)
        }
    }
}
