import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("Phụ lục I on the report page")
struct DocumentRegisterRouteTests {
    /// Seed 000's Phụ lục I lines, shared with the core tests.
    static func seedLines() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ReportingCoreTests/Fixtures/seed000-documents.txt")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func communeReport(_ app: Application) async throws -> Report {
        try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
    }

    static func entries(_ app: Application, _ report: Report) async throws -> [DocumentEntry] {
        try await DocumentEntry.query(on: app.db).filter(\.$report.$id == report.id!).all()
    }

    @Test func pasteTheSeedsAppendixAndSeeItCounted() async throws {
        try await withDemoApp { app in
            let report = try await Self.communeReport(app)
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let empty = try await reporter.get(path)
            #expect(empty.body.string.contains("Phụ lục I — Văn bản đã ban hành trong kỳ"))
            #expect(empty.body.string.contains("Chưa có văn bản nào trong Phụ lục I."))
            // Pasted as printed, with the section headings.
            let lines = try Self.seedLines().split(whereSeparator: \.isNewline).map(String.init)
            let pasted = (["I\tQuyết định"] + lines[0..<1] + ["II\tKế hoạch"] + lines[1..<5] + ["III\tCác văn bản chỉ đạo"] + lines[5...])
                .joined(separator: "\r\n")
            let response = try await reporter.post(path + "/documents", form: ["mode": "paste", "lines": pasted])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == path + "#phu-luc-i")
            let stored = try await Self.entries(app, report)
            #expect(stored.count == 20)
            let decision = try #require(stored.first { $0.number == "98/QĐ-UBND" })
            #expect(decision.kind == "decision" && decision.issuedOn == "2024-01-31" && decision.issuer == "UBND tỉnh")
            #expect(decision.summary.hasPrefix("điều chỉnh, bổ sung mã định danh điện tử"))
            let page = try await reporter.get(path)
            let body = page.body.string
            #expect(body.contains("<strong id=\"documents-counts\">01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo</strong>"))
            #expect(body.contains("Các văn bản chỉ đạo"))
            #expect(body.contains("Công văn số 92/STTTT-CNTT"))
            #expect(body.contains("Sở Thông tin và Truyền thông"))
            // Seed 000 lists Công văn 180/UBND-KGVX of 12/01/2024 twice: kept, pointed out.
            #expect(body.contains("Trùng số, ký hiệu và ngày ban hành với văn bản III."))
            // Every addition is in the report's history; the report has started.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).filter(\.$action == "document").count() == 20)
            #expect(try await app.report(unit: report.unitCode, period: "2024-Q1").status == .draft)
            let history = try await reporter.get(path + "/history")
            #expect(history.body.string.contains("Sửa Phụ lục I (văn bản)"))
            #expect(history.body.string.contains("Quyết định số 98/QĐ-UBND ngày 31/01/2024 của UBND tỉnh"))
        }
    }

    @Test func oneUnreadableLineSavesNothing() async throws {
        try await withDemoApp { app in
            let report = try await Self.communeReport(app)
            let path = "/reports/\(report.id!.uuidString)"
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get(path)
            let lines =
                "Kế hoạch số 26/KH-UBND ngày 26/01/2024 của UBND tỉnh về tuyên truyền cải cách hành chính năm 2024\n"
                + "Tờ trình số 5/TTr-UBND ngày 01/02/2024 của UBND tỉnh về dự toán\n"
                + "Công văn số 7/UBND-KGVX ngày 31/02/2024 của UBND tỉnh V/v chuyển đổi số"
            let response = try await reporter.post(path + "/documents", form: ["mode": "paste", "lines": lines])
            #expect(response.status == .unprocessableEntity)
            let body = response.body.string
            #expect(body.contains("Dòng 2 (“Tờ trình số 5/TTr-UBND"))
            #expect(body.contains("không nhận ra loại văn bản"))
            #expect(body.contains("Dòng 3 (“Công văn số 7/UBND-KGVX"))
            #expect(body.contains("ngày ban hành “31/02/2024” không hợp lệ"))
            // What was pasted is kept for correction.
            #expect(body.contains("Tờ trình số 5/TTr-UBND ngày 01/02/2024"))
            #expect(try await Self.entries(app, report).isEmpty)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).count() == 0)
            #expect(try await app.report(unit: report.unitCode, period: "2024-Q1").status == .notStarted)
            let blank = try await reporter.post(path + "/documents", form: ["mode": "paste", "lines": "  \n "])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.string.contains("Chưa dán dòng văn bản nào"))
        }
    }

    @Test func typeOneDocumentThenDeleteIt() async throws {
        try await withDemoApp { app in
            let report = try await Self.communeReport(app)
            let path = "/reports/\(report.id!.uuidString)"
            var leader = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await leader.get(path)
            let bad = try await leader.post(
                path + "/documents",
                form: [
                    "mode": "manual", "kind": "plan", "number": "", "date": "32/01/2024", "issuer": "UBND xã", "summary": ""
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Chưa nhập số, ký hiệu văn bản"))
            #expect(bad.body.string.contains("Ngày ban hành “32/01/2024” không hợp lệ"))
            #expect(bad.body.string.contains("Chưa nhập trích yếu nội dung văn bản."))
            let badKind = try await leader.post(
                path + "/documents",
                form: [
                    "mode": "manual", "kind": "memo", "number": "1/X", "date": "01/02/2024", "summary": "thử"
                ])
            #expect(badKind.status == .unprocessableEntity)
            #expect(try await Self.entries(app, report).isEmpty)

            let added = try await leader.post(
                path + "/documents",
                form: [
                    "mode": "manual", "kind": "plan", "number": "12/KH-UBND", "date": "5/2/2024", "issuer": "UBND xã Thái Sơn",
                    "summary": "chuyển đổi số năm 2024"
                ])
            #expect(added.status == .seeOther)
            let entry = try #require(try await Self.entries(app, report).first)
            #expect(entry.kind == "plan" && entry.number == "12/KH-UBND" && entry.issuedOn == "2024-02-05")
            #expect(entry.issuer == "UBND xã Thái Sơn" && entry.summary == "chuyển đổi số năm 2024")
            let page = try await leader.get(path)
            #expect(page.body.string.contains("01 kế hoạch"))
            // Dated outside the period's window (15/12/2023–14/03/2024)? Pointed out, not refused.
            #expect(
                try await leader.post(
                    path + "/documents",
                    form: [
                        "mode": "manual", "kind": "notice", "number": "3/TB-UBND", "date": "20/05/2024", "summary": "lịch họp"
                    ]
                ).status == .seeOther)
            #expect(try await leader.get(path).body.string.contains("Ngày ban hành nằm ngoài thời gian chốt số liệu của kỳ."))

            // Without the token: nothing deleted.
            #expect(
                try await leader.post(path + "/documents/\(entry.id!.uuidString)/delete", form: [:], includeToken: false).status
                    == .forbidden)
            #expect(try await Self.entries(app, report).count == 2)
            let deleted = try await leader.post(path + "/documents/\(entry.id!.uuidString)/delete", form: [:])
            #expect(deleted.status == .seeOther)
            #expect(try await Self.entries(app, report).count == 1)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$reportID == report.id!).filter(\.$action == "document").all()
            #expect(
                audit.contains {
                    $0.oldValue == "Kế hoạch số 12/KH-UBND ngày 05/02/2024 của UBND xã Thái Sơn về chuyển đổi số năm 2024"
                        && $0.newValue == nil
                })
            // Deleting it again, or a document of another report through this one: not found.
            #expect(try await leader.post(path + "/documents/\(entry.id!.uuidString)/delete", form: [:]).status == .notFound)
            let other = try await app.report(unit: DemoLoader.provinceCode, period: "2024-Q1")
            let foreign = DocumentEntry(
                reportID: other.id!, kind: "plan", number: "48/KH-UBND", issuedOn: "2024-03-01", issuer: "UBND tỉnh", summary: "x")
            try await foreign.save(on: app.db)
            #expect(try await leader.post(path + "/documents/\(foreign.id!.uuidString)/delete", form: [:]).status == .notFound)
            #expect(try await DocumentEntry.find(foreign.id, on: app.db) != nil)
        }
    }

    @Test func onlyTheUnitsOwnPeopleEditAndOnlyWhileEditable() async throws {
        try await withDemoApp { app in
            let report = try await Self.communeReport(app)
            let path = "/reports/\(report.id!.uuidString)"
            let line = [
                "mode": "paste",
                "lines": "Kế hoạch số 26/KH-UBND ngày 26/01/2024 của UBND tỉnh về tuyên truyền cải cách hành chính năm 2024"
            ]
            let existing = DocumentEntry(
                reportID: report.id!, kind: "decision", number: "98/QĐ-UBND", issuedOn: "2024-01-31", issuer: "UBND tỉnh",
                summary: "mã định danh")
            try await existing.save(on: app.db)
            // The reviewer above and the administrator read it but cannot edit; other units cannot even read it.
            for username in ["sotttt", "admin", "tinh.nhaplieu", "huyen.nhaplieu", "huyen.lanhdao"] {
                var browser = try await Browser.signIn(app, as: username)
                let page = try await browser.get(path)
                if page.status == .ok {
                    #expect(page.body.string.contains("98/QĐ-UBND"), "\(username) reads the appendix")
                    #expect(!page.body.string.contains("id=\"documents-paste\""), "\(username) sees the paste form")
                }
                _ = try await browser.get("/")
                #expect(try await browser.post(path + "/documents", form: line).status == .forbidden, "\(username) adds")
                #expect(
                    try await browser.post(path + "/documents/\(existing.id!.uuidString)/delete", form: [:]).status == .forbidden,
                    "\(username) deletes")
            }
            var anonymous = Browser(app: app)
            try await anonymous.refreshToken(path: "/login")
            #expect(try await anonymous.post(path + "/documents", form: line).status == .seeOther)
            #expect(try await Self.entries(app, report).count == 1)

            // The unit's reporter can, until the report goes to the leader.
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            let page = try await reporter.get(path)
            #expect(page.body.string.contains("id=\"documents-paste\""))
            #expect(try await reporter.post(path + "/documents", form: line).status == .seeOther)
            #expect(try await Self.entries(app, report).count == 2)
            #expect(try await reporter.post(path + "/documents", form: line, includeToken: false).status == .forbidden)
            #expect(try await Self.entries(app, report).count == 2)
            let sent = try await app.report(unit: report.unitCode, period: "2024-Q1")
            sent.status = .sent
            try await sent.save(on: app.db)
            let locked = try await reporter.get(path)
            #expect(locked.body.string.contains("98/QĐ-UBND"))
            #expect(!locked.body.string.contains("id=\"documents-paste\""))
            let refused = try await reporter.post(path + "/documents", form: line)
            #expect(refused.status == .forbidden)
            #expect(try await reporter.post(path + "/documents/\(existing.id!.uuidString)/delete", form: [:]).status == .forbidden)
            #expect(try await Self.entries(app, report).count == 2)
        }
    }
}
