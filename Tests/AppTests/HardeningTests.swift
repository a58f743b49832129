import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

/// Write paths attacked as a user or a careless client would: stale Excel
/// templates, note-only saves, oversized texts, formula-like cells, and the
/// audit trail every change must leave.
@Suite struct HardeningTests {
    /// The commune reporter's Q1 template at the report's current version.
    static func template(_ browser: inout Browser, _ path: String) async throws -> XLSXWorkbook {
        try XLSXReader().read(Data(buffer: try await browser.get(path + "/template.xlsx").body))
    }

    static func stored(_ app: Application, _ report: Report) async throws -> [String: ReportValue] {
        var byCode: [String: ReportValue] = [:]
        for value in try await ReportValue.query(on: app.db).filter(\.$report.$id == report.requireID()).all() {
            byCode[value.code] = value
        }
        return byCode
    }

    @Test func aStaleTemplateNeverRevertsAColleaguesChange() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            var leader = try await Browser.signIn(app, as: "xa.lanhdao")
            let form = try #require(app.library.form("egov-2024"))
            func row(_ code: String) -> Int { 5 + (form.slotByCode[code] ?? 0) }
            #expect(try await reporter.save(path, form: ["version": "0", "v[6.3.1]": "100", "v[6.4.1]": "50"]).status == .ok)

            // The reporter downloads at version 1; the leader then changes 6.3.1.
            var old = try await Self.template(&reporter, path)
            #expect(old.properties.custom["BaoCao.Version"] == "1")
            #expect(try await leader.save(path, form: ["version": "1", "v[6.3.1]": "120"]).status == .ok)

            // The old file, untouched at 6.3.1, changes 6.4.1 only: merged, the leader's 120 stays.
            old.sheets[0][row("6.4.1"), 3] = .number(60, .inputInteger)
            let merged = try await reporter.upload(path + "/upload", file: try XLSXWriter().write(old))
            #expect(merged.status == .ok, "\(merged.body.string.prefix(300))")
            #expect(merged.body.string.contains("1 ô thay đổi"))
            var now = try await Self.stored(app, report)
            #expect(now["6.3.1"]?.raw == "120")
            #expect(now["6.4.1"]?.raw == "60" && now["6.4.1"]?.number == "60")

            // The same old file now also changes 6.3.1, which the leader changed since: 409, the cell listed, nothing saved.
            old.sheets[0][row("6.3.1"), 3] = .number(130, .inputInteger)
            old.sheets[0][row("6.4.1"), 3] = .number(70, .inputInteger)
            let versionBefore = try await app.report(unit: report.unitCode, period: "2024-Q1").version
            let refused = try await reporter.upload(path + "/upload", file: try XLSXWriter().write(old))
            #expect(refused.status == .conflict)
            let message = refused.body.string
            #expect(message.contains("chỉ tiêu 6.3.1"))
            #expect(message.contains("lúc tải mẫu “100”, nay “120”, trong tệp “130”"))
            #expect(message.contains("Không có gì được lưu"))
            now = try await Self.stored(app, report)
            #expect(now["6.3.1"]?.raw == "120" && now["6.4.1"]?.raw == "60")
            #expect(try await app.report(unit: report.unitCode, period: "2024-Q1").version == versionBefore)

            // A template claiming a version the report never had is refused.
            var future = try await Self.template(&reporter, path)
            future.properties.custom["BaoCao.Version"] = "999"
            #expect(try await reporter.upload(path + "/upload", file: try XLSXWriter().write(future)).status == .unprocessableEntity)
            // A fresh template saves as before.
            var fresh = try await Self.template(&reporter, path)
            fresh.sheets[0][row("6.3.1"), 3] = .number(130, .inputInteger)
            #expect(try await reporter.upload(path + "/upload", file: try XLSXWriter().write(fresh)).status == .ok)
            #expect(try await Self.stored(app, report)["6.3.1"]?.raw == "130")
        }
    }

    @Test func theMergeRuleCellByCell() throws {
        let changes = [
            TemplateMerge.Change(code: "a", field: .value, version: 3, from: "1"),
            TemplateMerge.Change(code: "a", field: .value, version: 4, from: "2"),
            TemplateMerge.Change(code: "b", field: .value, version: nil, from: "9")
        ]
        let merge = TemplateMerge(
            templateVersion: 2, currentVersion: 4, storedValues: ["a": "3", "b": "8", "c": "5"], storedNotes: [:],
            changes: changes)
        // a: file as at version 2 ("1"): the later "3" stays. c: nobody changed it: the file's value is taken.
        let kept = try merge.merge(values: ["a": "1", "c": "6"], notes: [:])
        #expect(kept.values == ["c": "6"])
        // a changed on both sides.
        #expect(throws: TemplateMerge.Stale.self) { try merge.merge(values: ["a": "7"], notes: [:]) }
        // b has history of unknown version: a different value in the file is a clash, the same value no change.
        #expect(throws: TemplateMerge.Stale.self) { try merge.merge(values: ["b": "7"], notes: [:]) }
        #expect(try merge.merge(values: ["b": "8"], notes: [:]).values.isEmpty)
        // At the current version, everything in the file is saved as it is.
        let current = TemplateMerge(templateVersion: 4, currentVersion: 4, storedValues: [:], storedNotes: [:], changes: changes)
        #expect(try current.merge(values: ["a": "7"], notes: ["a": "x"]).values == ["a": "7"])
    }

    @Test func aNoteOnlySaveThroughTheApiKeepsTheNumber() async throws {
        try await withDemoApp { app in
            let spec = try await OpenAPIDocument.served(by: app)
            let reporter = try await ApiClient.make(app, as: "xa.nhaplieu", spec: spec)
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/api/v1/reports/\(report.id!.uuidString)/values"
            #expect(try await reporter.put(path, jsonText(["version": 0, "values": ["6.3.1": "1.200"]])).status == .ok)
            let noted = try await reporter.put(
                path, jsonText(["version": 1, "values": [String: String](), "notes": ["6.3.1": "Theo Cổng DVC"]]))
            #expect(noted.status == .ok)
            let value = try #require(try await Self.stored(app, report)["6.3.1"])
            #expect(value.raw == "1.200" && value.number == "1200" && value.note == "Theo Cổng DVC")
        }
    }

    @Test func oversizedTextsAreRefusedWholeWithTheLimitNamed() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let hugeNarrative = String(repeating: "Kết quả. ", count: 15_000) // 135.000 characters
            let narrative = try await reporter.post(path, form: ["version": "0", "v[6.3.1]": "5", "achievements": hugeNarrative])
            #expect(narrative.status == .unprocessableEntity)
            #expect(narrative.body.string.contains("Phần “I. Kết quả đạt được” quá dài: 135.000 ký tự, tối đa 100.000 ký tự"))
            let note = try await reporter.post(
                path, form: ["version": "0", "v[6.3.1]": "5", "n[6.3.1]": String(repeating: "x", count: 100_000)])
            #expect(note.status == .unprocessableEntity)
            #expect(note.body.string.contains("Ghi chú của chỉ tiêu 6.3.1 quá dài"))
            let unchanged = try await app.report(unit: report.unitCode, period: "2024-Q1")
            #expect(unchanged.version == 0 && unchanged.achievements.isEmpty)
            #expect(try await Self.stored(app, report).isEmpty)
        }
    }

    @Test func everyChangeLeavesAnAuditEntryAndTheAdministratorFindsIt() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(
                try await reporter.save(
                    path,
                    form: [
                        "version": "0", "v[6.3.1]": "5", "n[6.3.1]": "ghi chú một",
                        "achievements": "Đã triển khai"
                    ]
                ).status == .ok)
            #expect(
                try await reporter.save(path, form: ["version": "1", "n[6.3.1]": "ghi chú hai", "achievements": "Đã triển khai xong"])
                    .status == .ok)
            let entries = try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).sort(\.$at).all()
            func has(_ action: AuditEntry.Action, _ code: String, _ from: String?, _ to: String?, version: Int) -> Bool {
                entries.contains {
                    $0.action == action.rawValue && $0.code == code && $0.oldValue == from && $0.newValue == to && $0.version == version
                }
            }
            #expect(has(.value, "6.3.1", nil, "5", version: 1))
            #expect(has(.note, "6.3.1", nil, "ghi chú một", version: 1))
            #expect(has(.note, "6.3.1", "ghi chú một", "ghi chú hai", version: 2))
            #expect(has(.narrative, "achievements", "", "Đã triển khai", version: 1))
            #expect(has(.narrative, "achievements", "Đã triển khai", "Đã triển khai xong", version: 2))

            var admin = try await Browser.signIn(app, as: "admin")
            #expect(
                try await admin.post(
                    "/admin/users",
                    form: [
                        "username": "moi.nhaplieu", "name": "Cán bộ mới", "password": "matkhau-dai-1",
                        "role": "reporter", "unitCode": report.unitCode
                    ]
                ).status == .seeOther)
            let logged = try await AdminAuditEntry.query(on: app.db).filter(\.$area == "users").all()
            #expect(logged.contains { $0.subject == "moi.nhaplieu" && $0.username == "admin" && $0.action == "Tạo người dùng" })

            let page = try await admin.get("/admin/audit?user=admin&area=users")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("moi.nhaplieu"))
            #expect(!page.body.string.contains("ghi chú hai"))
            let reports = try await admin.get("/admin/audit?area=reports&text=" + Browser.escape("ghi chú hai"))
            #expect(reports.body.string.contains("Sửa ghi chú"))
            #expect(try await admin.get("/admin/audit?from=31/02/2024").status == .badRequest)
            #expect(try await reporter.get("/admin/audit").status == .forbidden)
        }
    }

    @Test func formulaLikeTextsStayTextInCSVAndNumbersStayNumbers() {
        #expect(CSVField.encode("=HYPERLINK(\"http://x\",\"bấm\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\"")
        #expect(CSVField.encode("+cmd") == "'+cmd")
        #expect(CSVField.encode("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVField.encode("-2+3") == "'-2+3")
        #expect(CSVField.encode("\t=1") == "'\t=1")
        #expect(CSVField.encode("-12,5") == "\"-12,5\"")
        #expect(CSVField.encode("-1.609.226") == "-1.609.226")
        #expect(CSVField.encode("-12.50") == "-12.50")
        #expect(CSVField.encode("97,45%") == "\"97,45%\"")
        #expect(CSVField.encode("Xã Đồng Sơn") == "Xã Đồng Sơn")
    }

    @Test func aFormulaTypedAsANoteIsExportedAsText() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(
                try await reporter.save(path, form: ["version": "0", "v[6.3.1]": "-5", "n[6.3.1]": "=HYPERLINK(\"http://x\")"]).status
                    == .ok)
            let csv = try await reporter.get(path + "/export.csv").body.string
            #expect(csv.contains("'=HYPERLINK"))
            #expect(!csv.contains(",=HYPERLINK"))
            let xlsx = try await reporter.get(path + "/export.xlsx")
            let workbook = try XLSXReader().read(Data(buffer: xlsx.body))
            let cells = workbook.sheets[0].rows.flatMap { $0 }.map(\.value)
            #expect(cells.contains(.string("=HYPERLINK(\"http://x\")")))
            #expect(!cells.contains { if case .formula = $0 { true } else { false } })
        }
    }

    @Test func anEighteenDigitCountIsRefusedOnEveryPathAndTheReportStillOpens() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let web = try await reporter.post(path, form: ["version": "0", "v[6.3.1]": "123.456.789.012.345.678"])
            #expect(web.status == .unprocessableEntity)
            #expect(web.body.string.contains("6.3.1"))
            #expect(web.body.string.contains("Không có gì được lưu"))
            let spec = try await OpenAPIDocument.served(by: app)
            let client = try await ApiClient.make(app, as: "xa.nhaplieu", spec: spec)
            let api = try await client.put(
                "/api/v1/reports/\(report.id!.uuidString)/values", jsonText(["version": 0, "values": ["6.3.1": "123456789012345678"]]))
            #expect(api.status == .unprocessableEntity)
            var template = try await Self.template(&reporter, path)
            let form = try #require(app.library.form("egov-2024"))
            template.sheets[0][5 + (form.slotByCode["6.3.1"] ?? 0), 3] = .number(123456789012345678, .inputInteger)
            #expect(try await reporter.upload(path + "/upload", file: try XLSXWriter().write(template)).status == .unprocessableEntity)
            #expect(try await Self.stored(app, report).isEmpty)
            #expect(try await reporter.get(path).status == .ok)
        }
    }

    @Test func anOutOfRangeNumberAlreadyStoredReadsAsAnErrorOnItsRow() async throws {
        try await withDemoApp { app in
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            // As an earlier version stored it: text and number, 18 digits.
            try await ReportValue(
                reportID: report.id!, code: "6.3.1", raw: "123.456.789.012.345.678", number: "123456789012345678", note: nil
            )
            .save(on: app.db)
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let page = try await reporter.get("/reports/\(report.id!.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("123.456.789.012.345.678"))
            #expect(try await reporter.get("/health").status == .ok)
            // Sending is refused on that row: the number must be fixed first.
            let problems = try await ReportService(
                database: app.db, library: app.library, tree: try await app.unitDirectory.tree(on: app.db),
                user: try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            )
            .validate(report, values: try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).all(), unitKind: .commune)
            #expect(problems.errors.contains { $0.code == "6.3.1" && $0.kind == .outOfRange })
        }
    }
}
