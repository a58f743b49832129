import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// "Tính từ hồ sơ (CSV/XLSX)" on the report page (issue #13): dossier records
/// fill the unit's draft through the web save, each cell marked; a computed
/// figure is changed only with a note; a bad file changes nothing.
@Suite("Figures computed from dossier records into a draft")
struct DossierUploadTests {
    /// One dossier; `inQuarter` says by hand whether its receipt date is in
    /// Quý I/2024's cut-off window (15/12/2023–14/03/2024).
    struct Dossier {
        let unit: String
        let procedure: String
        let level: String
        let channel: String
        let received: String
        let finished: String
        let inQuarter: Bool

        var csv: String {
            [unit, procedure, level, channel, received, "30/03/2024", finished, "Không", "Không", "Không", "Không", "Không", "Không", ""]
                .joined(separator: ",")
        }
    }

    static let header =
        "Mã đơn vị,Mã thủ tục,Mức độ DVC,Hình thức nộp,Ngày tiếp nhận,Hạn trả kết quả,Ngày trả kết quả,Số hóa hồ sơ,"
        + "Số hóa kết quả,Kết quả điện tử,Tái sử dụng dữ liệu,Có nghĩa vụ tài chính,Thanh toán trực tuyến,Đánh giá"

    static func dossiers(commune: String, district: String) -> [Dossier] {
        var rows = [
            Dossier(
                unit: commune, procedure: "P1", level: "Toàn trình", channel: "Trực tuyến", received: "14/03/2024 16:30", finished: "",
                inQuarter: true), // the window's last day, still in progress
            Dossier(
                unit: commune, procedure: "P1", level: "Toàn trình", channel: "Trực tuyến", received: "15/03/2024 08:00",
                finished: "16/03/2024", inQuarter: false), // the next quarter's first day
            Dossier(
                unit: commune, procedure: "P2", level: "Toàn trình", channel: "Trực tiếp", received: "15/12/2023", finished: "20/12/2023",
                inQuarter: true), // the window's first day
            Dossier(
                unit: commune, procedure: "P2", level: "Toàn trình", channel: "Trực tuyến", received: "14/12/2023", finished: "",
                inQuarter: false),
            Dossier(
                unit: commune, procedure: "P9", level: "", channel: "Trực tiếp", received: "04/02/2024", finished: "06/02/2024",
                inQuarter: true),
            Dossier(
                unit: district, procedure: "P7", level: "Toàn trình", channel: "Trực tuyến", received: "05/02/2024", finished: "",
                inQuarter: true) // the district's own: not the commune's
        ]
        for index in 0..<41 {
            rows.append(
                Dossier(
                    unit: commune, procedure: "P\(3 + index % 4)", level: index % 3 == 0 ? "Toàn trình" : "Một phần",
                    channel: index % 2 == 0 ? "Trực tuyến" : "Bưu chính", received: "\(10 + index % 18)/01/2024",
                    finished: index % 5 == 0 ? "" : "\(10 + index % 18)/02/2024", inQuarter: true))
        }
        return rows
    }

    static func file(_ rows: [Dossier]) -> Data { Data(([header] + rows.map(\.csv)).joined(separator: "\n").utf8) }

    /// The commune's expected figures, counted from the rows as written.
    static func expected(_ rows: [Dossier], unit: String) -> [String: String] {
        let mine = rows.filter { $0.unit == unit && $0.inQuarter }
        func count(_ level: String, online: Bool = false) -> String {
            String(mine.filter { $0.level == level && (!online || $0.channel == "Trực tuyến") }.count)
        }
        return [
            "6.3.1": count("Toàn trình"), "6.3.2": count("Toàn trình", online: true), "6.4.1": count("Một phần"),
            "6.4.2": count("Một phần", online: true),
            "6.2.1": String(Set(mine.filter { !$0.level.isEmpty }.map(\.procedure)).count),
            "6.2.2": String(Set(mine.filter { !$0.level.isEmpty && $0.channel == "Trực tuyến" }.map(\.procedure)).count)
        ]
    }

    struct Fixture {
        let report: Report
        let path: String
        let commune: String
        let rows: [Dossier]
    }

    static func fixture(_ app: Application) async throws -> Fixture {
        let commune = try await app.unitCode(kind: .commune)
        let district = try #require(try DemoLoader.units().first { $0.code == commune }?.parentCode)
        let report = try await app.report(unit: commune, period: "2024-Q1")
        return Fixture(
            report: report, path: "/reports/\(try report.requireID().uuidString)", commune: commune,
            rows: dossiers(commune: commune, district: district))
    }

    static func stored(_ app: Application, _ report: Report) async throws -> [String: ReportValue] {
        let values = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.requireID()).all()
        return Dictionary(values.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func marks(_ app: Application, _ report: Report) async throws -> [String: ComputedValue] {
        try await ComputedValue.all(ofReport: report.requireID(), on: try #require(app.db as? any SQLDatabase))
    }

    @Test func uploadFillsTheDraftWithTheCountsAndTheMark() async throws {
        try await withDemoApp { app in
            let fixture = try await Self.fixture(app)
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let page = try await browser.get(fixture.path).body.string
            #expect(page.contains("action=\"\(fixture.path)/dossiers\" enctype=\"multipart/form-data\""))
            let response = try await browser.upload(fixture.path + "/dossiers", file: Self.file(fixture.rows), name: "hoso-quy1.csv")
            #expect(response.status == .ok, "\(response.body.string.prefix(600))")
            #expect(response.body.string.contains("Đã tính 6 chỉ tiêu từ tệp hồ sơ “hoso-quy1.csv”"))

            let expected = Self.expected(fixture.rows, unit: fixture.commune)
            let received = fixture.rows.filter { $0.unit == fixture.commune && $0.inQuarter }.count
            let values = try await Self.stored(app, fixture.report)
            let marks = try await Self.marks(app, fixture.report)
            for (code, value) in expected {
                #expect(values[code]?.raw == value, "\(code)")
                #expect(marks[code]?.value == value, "\(code)")
                #expect(marks[code]?.dossiers == received, "\(code)")
                #expect(marks[code]?.fileName == "hoso-quy1.csv")
            }
            #expect(Set(marks.keys) == Set(expected.keys)) // 6.3, 6.4 and 6.2 are the form's formulas, not filled

            // The data-entry page shows the mark next to each such cell.
            let shown = try await browser.get(fixture.path).body.string
            #expect(shown.contains("tính từ \(received) hồ sơ (hoso-quy1.csv, "))
            #expect(shown.components(separatedBy: "class=\"hint computed-from\"").count - 1 == expected.count)
        }
    }

    @Test func changingAComputedFigureNeedsANote() async throws {
        try await withDemoApp { app in
            let fixture = try await Self.fixture(app)
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await browser.upload(fixture.path + "/dossiers", file: Self.file(fixture.rows), name: "hoso.csv").status == .ok)
            let computed = try #require(Self.expected(fixture.rows, unit: fixture.commune)["6.3.1"])
            func version() async throws -> Int { try #require(try await Report.find(fixture.report.id, on: app.db)).version }

            let refused = try await browser.save(
                fixture.path, form: ["version": String(try await version()), "v[6.3.1]": "250", "n[6.3.1]": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Chỉ tiêu 6.3.1"))
            #expect(refused.body.string.contains("chưa ghi chú"))
            #expect(try await Self.stored(app, fixture.report)["6.3.1"]?.raw == computed)

            // The same figure typed another way is no change; another cell needs no note.
            let same = try await browser.save(
                fixture.path,
                form: [
                    "version": String(try await version()), "v[6.3.1]": " \(computed) ",
                    "v[6.1.1]": "812"
                ])
            #expect(same.status == .ok)

            let accepted = try await browser.save(
                fixture.path,
                form: [
                    "version": String(try await version()), "v[6.3.1]": "250",
                    "n[6.3.1]": "Theo số liệu Cổng DVC quốc gia"
                ])
            #expect(accepted.status == .ok)
            let values = try await Self.stored(app, fixture.report)
            #expect(values["6.3.1"]?.raw == "250")
            #expect(values["6.3.1"]?.note == "Theo số liệu Cổng DVC quốc gia")
            #expect(accepted.body.string.contains("Đã sửa; số tính từ"))

            // The note cannot then be cleared while the figure stays changed.
            let cleared = try await browser.save(
                fixture.path,
                form: [
                    "version": String(try await version()), "n[6.3.1]": " ",
                    "v[6.3.1]": "250"
                ])
            #expect(cleared.status == .unprocessableEntity)
        }
    }

    @Test func aBadFileChangesNothing() async throws {
        try await withDemoApp { app in
            let fixture = try await Self.fixture(app)
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let before = try await Self.stored(app, fixture.report).mapValues(\.raw)
            let version = try #require(try await Report.find(fixture.report.id, on: app.db)).version
            var rows = fixture.rows.map(\.csv)
            rows.insert("\(fixture.commune),P1,Toàn trình,Trực tuyến,10/02/2024,20/02/2024,09/02/2024,Có,Có,Có,Có,Có,Có,", at: 1)
            rows.insert("ZZZ.99,P1,Toàn trình,Trực tuyến,10/02/2024,20/02/2024,,Có,Có,Có,Có,Có,Có,", at: 4)
            let bad = Data(([Self.header] + rows).joined(separator: "\n").utf8)
            let response = try await browser.upload(fixture.path + "/dossiers", file: bad, name: "hoso-loi.csv")
            #expect(response.status == .unprocessableEntity)
            let body = response.body.string
            #expect(body.contains("Dòng 3: ngày trả kết quả 09/02/2024 trước ngày tiếp nhận 10/02/2024"))
            #expect(body.contains("Dòng 6: mã đơn vị “ZZZ.99” không có trong danh sách đơn vị"))
            #expect(body.contains("Không có gì được lưu."))
            #expect(try await Self.stored(app, fixture.report).mapValues(\.raw) == before)
            #expect(try await Self.marks(app, fixture.report).isEmpty)
            #expect(try #require(try await Report.find(fixture.report.id, on: app.db)).version == version)
        }
    }

    @Test func anAdministratorMayFillAReviewerMayNot() async throws {
        try await withDemoApp { app in
            let fixture = try await Self.fixture(app)
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            #expect(!(try await reviewer.get(fixture.path).body.string.contains("/dossiers\"")))
            #expect(
                try await reviewer.upload(fixture.path + "/dossiers", file: Self.file(fixture.rows), name: "a.csv").status == .forbidden)
            #expect(try await Self.marks(app, fixture.report).isEmpty)

            // An administrator, with the same rows as an XLSX sheet (text cells, as an export often has them).
            var admin = try await Browser.signIn(app, as: "admin")
            var sheet = XLSXSheet(name: "Hồ sơ")
            let table = ([Self.header] + fixture.rows.map(\.csv)).map { $0.components(separatedBy: ",") }
            sheet.rows = table.map { $0.map { XLSXCell.string($0) } }
            let bytes = try XLSXWriter().write(XLSXWorkbook(sheets: [sheet]))
            let response = try await admin.upload(fixture.path + "/dossiers", file: bytes, name: "hoso.xlsx")
            #expect(response.status == .ok, "\(response.body.string.prefix(600))")
            let marks = try await Self.marks(app, fixture.report)
            #expect(marks.mapValues(\.value) == Self.expected(fixture.rows, unit: fixture.commune))
            #expect(marks["6.3.1"]?.username == "admin")
        }
    }
}
