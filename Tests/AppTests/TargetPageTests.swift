import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("Targets page, entering results, uploading plans")
struct TargetPageTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ReportingCoreTests/Fixtures")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// Seed 001's Phụ lục II evaluated by the core, the province's column.
    static func seedEvaluations(_ plan: TargetPlan) throws -> [TargetEvaluation] {
        let rows = try ValuesFile.parse(try fixture("seed001-kh48-results.csv"))
        return plan.targets.map { target in
            TargetEvaluator.evaluate(target, reported: rows.first { $0.code == target.code && $0.level == nil }?.value)
        }
    }

    /// The units seed 001's prose names below a target's threshold, worst first, as a sentence.
    static func seedLagging(_ target: Target) throws -> String {
        let values = ValuesFile.records(try fixture("seed001-lagging-units.csv")).dropFirst().filter { $0[0] == target.code }
            .compactMap { row -> (name: String, kind: UnitKind, value: Double)? in
                guard let number = ExactNumber(machine: row[3].replacingOccurrences(of: "%", with: "")) else { return nil }
                return (row[1], UnitKind(rawValue: row[2]) ?? .other, number.doubleValue)
            }
        return TargetEvaluator.laggingSentence(TargetEvaluator.lagging(target, values: values))
    }

    static func cells(_ html: String, _ code: String) -> String? {
        guard let start = html.range(of: "data-code=\"\(code)\">") else { return nil }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
    }

    @Test func theDemoResultsInThePaperLayout() async throws {
        try await withDemoApp { app in
            let plan = try #require(app.library.plans["kh48-2024"])
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let page = try await reviewer.get("/targets?plan=kh48-2024&period=2024-H1")
            #expect(page.status == .ok)
            let html = page.body.string
            let expected = TargetEvaluator.summary(try Self.seedEvaluations(plan))
            #expect(
                expected
                    == "Tổng số 28 chỉ tiêu: đã hoàn thành và vượt mức 16 chỉ tiêu, đang thực hiện 12 chỉ tiêu (trong đó 1 chỉ tiêu chưa có số liệu)."
            )
            #expect(html.contains("<p class=\"summary\" id=\"target-summary\">\(expected)</p>"))
            // Columns and group headings as in Phụ lục II.
            #expect(
                html.contains(
                    "<th class=\"stt\">STT</th><th>Chỉ tiêu</th><th class=\"responsible\">Chủ trì theo dõi, đánh giá</th><th class=\"result\">Kết quả 6 tháng đầu năm 2024</th>"
                ))
            for group in plan.groups {
                #expect(
                    html.contains(
                        "<tr class=\"group-heading\"><td class=\"stt\">\(group.code)</td><td colspan=\"4\">\(group.name)</td></tr>"))
            }
            // III.4: 95% against "đạt trên 95%" is not achieved, and the page says why.
            let boundary = try #require(Self.cells(html, "III.4"))
            #expect(boundary.contains("<td class=\"stt\">4</td>"))
            #expect(boundary.contains("Chưa đạt"))
            #expect(boundary.contains("bằng đúng ngưỡng"))
            #expect(html.contains("target-notAchieved strict-boundary\" data-code=\"III.4\""))
            // I.7 has no figure: the responsible agency's words are kept.
            #expect(Self.cells(html, "I.7")?.contains("Sở Tư pháp đang thống kê") == true)
            #expect(Self.cells(html, "I.7")?.contains("Chưa có số liệu") == true)
            #expect(Self.cells(html, "I.1")?.contains("Giám đốc Sở Thông tin và Truyền thông") == true)
        }
    }

    @Test func laggingUnitsWorstFirst() async throws {
        try await withDemoApp { app in
            let plan = try #require(app.library.plans["kh48-2024"])
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            let html = try await reviewer.get("/targets?plan=kh48-2024&period=2024-H1").body.string
            let i2 = try Self.seedLagging(try #require(plan.target("I.2")))
            #expect(
                i2.hasPrefix(
                    "Sở Tài nguyên và Môi trường (4,91%); Sở Kế hoạch và Đầu tư (21,74%); UBND huyện Lục Ngạn (44,85%); Sở Tư pháp (44,97%)"
                ))
            #expect(html.contains("Đơn vị chưa đạt: \(i2)"))
            #expect(html.contains("<li data-code=\"I.2\">"))
            let i4 = try Self.seedLagging(try #require(plan.target("I.4")))
            #expect(i4 == "Sở Tài chính (2,6%); Sở Công Thương (47,6%); Sở Giao thông vận tải (63,4%); Sở Tư pháp (64,9%)")
            #expect(Self.cells(html, "I.4")?.contains(i4) == true)
            // A department's own page: only the targets that apply to departments, its own result.
            let department = try await app.unitCode(named: "Sở Tài chính")
            let own = try await reviewer.get("/targets?plan=kh48-2024&period=2024-H1&unit=\(department)").body.string
            #expect(Self.cells(own, "I.4")?.contains("2,6%") == true)
            #expect(Self.cells(own, "III.4") == nil)
        }
    }

    @Test func anAdministratorEntersAResult() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/targets?plan=kh48-2024&period=2024-H1")
            let form = ["plan": "kh48-2024", "period": "2024-H1", "target": "III.4", "unit": DemoLoader.provinceCode, "value": "96,5%"]
            let saved = try await admin.post("/targets/results", form: form)
            #expect(saved.status == .seeOther)
            let page = try await admin.get(try #require(saved.headers.first(name: .location)))
            #expect(page.body.string.contains("Đã lưu kết quả chỉ tiêu III.4."))
            #expect(Self.cells(page.body.string, "III.4")?.contains("Đạt") == true)
            #expect(page.body.string.contains("đã hoàn thành và vượt mức 17 chỉ tiêu, đang thực hiện 11 chỉ tiêu"))
            let stored = try await TargetResult.query(on: app.db).filter(\.$targetCode == "III.4").all()
            #expect(stored.map(\.value) == ["96,5%"])

            // Bad input: 422 with the reason, nothing written.
            let ambiguous = try await admin.post("/targets/results", form: form.merging(["value": "97.1%"]) { $1 })
            #expect(ambiguous.status == .unprocessableEntity)
            #expect(ambiguous.body.string.contains("không rõ nghĩa"))
            let unknown = try await admin.post("/targets/results", form: form.merging(["target": "IX.9"]) { $1 })
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("không có chỉ tiêu mã “IX.9”"))
            let level = try await admin.post(
                "/targets/results", form: form.merging(["unit": try await app.unitCode(named: "Sở Y tế")]) { $1 })
            #expect(level.status == .unprocessableEntity)
            #expect(level.body.string.contains("không áp dụng cho Sở Y tế"))
            let period = try await admin.post("/targets/results", form: form.merging(["period": "2024-H3"]) { $1 })
            #expect(period.status == .unprocessableEntity)
            let empty = try await admin.post("/targets/results", form: form.merging(["value": "  "]) { $1 })
            #expect(empty.status == .unprocessableEntity)
            #expect(try await TargetResult.query(on: app.db).filter(\.$targetCode == "III.4").all().map(\.value) == ["96,5%"])
            #expect(try await admin.post("/targets/results", form: form, includeToken: false).status == .forbidden)

            // Only an administrator enters results.
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            _ = try await reviewer.get("/targets")
            #expect(try await reviewer.post("/targets/results", form: form.merging(["value": "10%"]) { $1 }).status == .forbidden)
            #expect(try await TargetResult.query(on: app.db).filter(\.$targetCode == "III.4").all().map(\.value) == ["96,5%"])
        }
    }

    static let newPlan = """
        id: kh12-2025
        title: "Kế hoạch 12/KH-BCĐCĐS: chuyển đổi số tỉnh Bắc Giang năm 2025"
        groups:
          - code: "I"
            name: "Phát triển chính quyền số"
            targets:
              - code: "I.1"
                name: "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình đạt tối thiểu 90%"
                responsible: "Giám đốc Sở Thông tin và Truyền thông"
                unit: percent
                threshold: {op: ">=", value: 90, wording: "đạt tối thiểu 90%"}
                applies_to: [province, department]
                indicator: "egov-2024:6.1"
          - code: "II"
            name: "Phát triển kinh tế số"
            targets:
              - code: "II.1"
                name: "Tỷ trọng kinh tế số đạt trên 20%"
                responsible: "Giám đốc Sở Kế hoạch và Đầu tư"
                unit: percent
                threshold: {op: ">", value: 20, wording: "đạt trên 20%"}
                applies_to: [province]
        """

    @Test func anAdministratorUploadsAPlan() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            let form = try await admin.get("/targets")
            #expect(form.body.string.contains("enctype=\"multipart/form-data\""))
            let uploaded = try await admin.upload("/admin/plans", file: Self.newPlan, named: "plan-kh12-2025.yaml")
            #expect(uploaded.status == .seeOther)
            #expect(try await StoredPlan.query(on: app.db).all().map(\.planID) == ["kh12-2025"])
            let page = try await admin.get(try #require(uploaded.headers.first(name: .location)))
            #expect(page.body.string.contains("Đã lưu kế hoạch “kh12-2025”: 2 chỉ tiêu trong 2 nhóm."))
            #expect(page.body.string.contains("Kế hoạch 12/KH-BCĐCĐS: chuyển đổi số tỉnh Bắc Giang năm 2025"))
            #expect(page.body.string.contains("Tổng số 2 chỉ tiêu"))
            // Merged with the built-in plans, and evaluated like them.
            #expect(page.body.string.contains("<option value=\"kh48-2024\""))
            #expect(try await PlanCatalog(database: app.db, library: app.library).all().map(\.plan.id) == ["kh12-2025", "kh48-2024"])
            let entered = try await admin.post(
                "/targets/results",
                form: [
                    "plan": "kh12-2025", "period": "2025-H1", "target": "II.1", "unit": DemoLoader.provinceCode, "value": "20%"
                ])
            #expect(entered.status == .seeOther)
            let evaluated = try await admin.get("/targets?plan=kh12-2025&period=2025-H1")
            #expect(Self.cells(evaluated.body.string, "II.1")?.contains("bằng đúng ngưỡng") == true)
        }
    }

    @Test func aBadPlanFileIsRefusedAndNothingStored() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/targets")
            let duplicate = try await admin.upload(
                "/admin/plans", file: Self.newPlan.replacingOccurrences(of: "code: \"II.1\"", with: "code: \"I.1\""), named: "trung.yaml")
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.body.string.contains("Mã chỉ tiêu I.1 bị trùng"))
            let noThreshold = try await admin.upload(
                "/admin/plans",
                file: Self.newPlan.replacingOccurrences(
                    of: "        threshold: {op: \">\", value: 20, wording: \"đạt trên 20%\"}\n", with: ""), named: "thieu.yaml")
            #expect(noThreshold.status == .unprocessableEntity)
            #expect(noThreshold.body.string.contains("thiếu ngưỡng (threshold) ở nhóm II › chỉ tiêu II.1"))
            let builtIn = try await admin.upload(
                "/admin/plans", file: Self.newPlan.replacingOccurrences(of: "id: kh12-2025", with: "id: kh48-2024"), named: "kh48.yaml")
            #expect(builtIn.status == .unprocessableEntity)
            #expect(builtIn.body.string.contains("trùng với kế hoạch có sẵn"))
            let garbage = try await admin.upload("/admin/plans", file: "id: [\n", named: "hong.yaml")
            #expect(garbage.status == .unprocessableEntity)
            #expect(garbage.body.string.contains("không phải YAML hợp lệ"))
            #expect(try await StoredPlan.query(on: app.db).count() == 0)
            // Not an administrator: refused; without the token: refused.
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            _ = try await reviewer.get("/targets")
            #expect(try await reviewer.upload("/admin/plans", file: Self.newPlan, named: "plan.yaml").status == .forbidden)
            #expect(
                try await admin.upload("/admin/plans", file: Self.newPlan, named: "plan.yaml", includeToken: false).status == .forbidden)
            #expect(try await StoredPlan.query(on: app.db).count() == 0)
        }
    }

    @Test func aCommuneReporterSeesNoTargets() async throws {
        try await withDemoApp { app in
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await reporter.get("/targets?plan=kh48-2024&period=2024-H1&unit=\(DemoLoader.provinceCode)").status == .forbidden)
        }
    }
}

extension Browser {
    /// A multipart upload as a browser sends it: the CSRF token as a form field, then the file.
    @discardableResult
    mutating func upload(_ path: String, file: String, named name: String, includeToken: Bool = true) async throws -> TestingHTTPResponse {
        let boundary = "----baocao\(UUID().uuidString)"
        var body = ""
        if includeToken, let csrf {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
        }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/x-yaml\r\n\r\n\(file)\r\n"
        body += "--\(boundary)--\r\n"
        var captured: TestingHTTPResponse?
        let cookie = self.cookie
        try await app.testing().test(
            .POST, path,
            beforeRequest: { request in
                if let cookie { request.headers.cookie = ["baocao_session": .init(string: cookie)] }
                request.headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
                request.body = ByteBuffer(string: body)
            }, afterResponse: { response in captured = response })
        remember(captured!)
        return captured!
    }
}
