import Fluent
import Foundation
import ReportingCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

extension Browser {
    /// A multipart upload, as a browser sends a form with a file field.
    @discardableResult
    mutating func upload(_ path: String, fileField: String, filename: String, content: String, includeToken: Bool = true) async throws
        -> TestingHTTPResponse
    {
        let boundary = "----BaoCaoTestBoundary7MA4YWxkTrZu0gW"
        var body = ""
        if includeToken, let csrf {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
        }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        var captured: TestingHTTPResponse?
        let cookie = self.cookie
        try await app.testing().test(
            .POST, path,
            beforeRequest: { request in
                if let cookie { request.headers.cookie = ["baocao_session": .init(string: cookie)] }
                request.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                request.body = ByteBuffer(string: body)
            }, afterResponse: { response in captured = response })
        remember(captured!)
        return captured!
    }
}

@Suite("Administration pages")
struct AdminTests {
    static let nonAdmins = ["sotttt", "tinh.nhaplieu", "xa.nhaplieu", "xa.lanhdao", "huyen.nhaplieu", "huyen.lanhdao"]
    static let pages = ["/admin", "/admin/assignments", "/admin/users", "/admin/units", "/admin/forms", "/admin/publish"]

    /// A valid new assignment: the e-government form for Quý III/2024 to all departments and communes.
    static let quarterThree: [String: String] = [
        "formID": "egov-2024", "periodKey": "2024-Q3", "deadline": "20/09/2024",
        "receiverCode": DemoLoader.provinceCode, "kind[department]": "1", "kind[commune]": "1"
    ]

    @Test func onlyTheAdministratorGetsIn() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            for page in Self.pages {
                #expect(try await admin.get(page).status == .ok, "admin \(page)")
            }
            #expect(try await admin.get("/").body.string.contains("href=\"/admin\""))
            let assignments = try await Assignment.query(on: app.db).count()
            let users = try await User.query(on: app.db).count()
            for username in Self.nonAdmins {
                var browser = try await Browser.signIn(app, as: username)
                #expect(!(try await browser.get("/").body.string.contains("href=\"/admin\"")), "\(username) sees the admin link")
                for page in Self.pages {
                    #expect(try await browser.get(page).status == .forbidden, "\(username) \(page)")
                }
                #expect(try await browser.post("/admin/assignments", form: Self.quarterThree).status == .forbidden)
                #expect(
                    try await browser.post(
                        "/admin/users",
                        form: [
                            "username": "ke.gian", "name": "X", "role": "admin",
                            "unitCode": DemoLoader.provinceCode, "password": "12345678"
                        ]
                    ).status == .forbidden)
                let xa = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
                #expect(
                    try await browser.post("/admin/users/\(xa.id!.uuidString)/password", form: ["password": "chiem-quyen-1"]).status
                        == .forbidden)
                #expect(
                    try await browser.upload(
                        "/admin/units/import", fileField: "file", filename: "u.csv",
                        content: "code,name,kind,parent_code\nX1,Xã X,commune,000.00.31.H05\n"
                    ).status == .forbidden)
                #expect(
                    try await browser.post(
                        "/admin/publish",
                        form: [
                            "formID": "egov-2024", "periodKey": "2024-Q1",
                            "unitCode": DemoLoader.provinceCode
                        ]
                    ).status == .forbidden)
                #expect(try await browser.get("/admin/units/\(DemoLoader.provinceCode)").status == .forbidden)
                #expect(
                    try await browser.post("/admin/units/\(DemoLoader.provinceCode)", form: ["name": "Chiếm quyền"]).status == .forbidden)
            }
            #expect(try await UnitRecord.query(on: app.db).filter(\.$name == "Chiếm quyền").count() == 0)
            #expect(try await Assignment.query(on: app.db).count() == assignments)
            #expect(try await User.query(on: app.db).count() == users)
            #expect(try await UnitRecord.query(on: app.db).filter(\.$code == "X1").count() == 0)
            #expect(try await PublishedDataset.query(on: app.db).count() == 0)
            let xa = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            #expect(xa.passwordHash == DemoLoader.demoPassword)
            var anonymous = Browser(app: app)
            let redirected = try await anonymous.get("/admin/users")
            #expect(redirected.status == .seeOther)
            #expect(redirected.headers.first(name: .location) == "/login")
        }
    }

    @Test func assignAFormForAPeriodToDepartmentsAndCommunes() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            let page = try await admin.get("/admin/assignments")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Báo cáo thống kê CQĐT, CQS Quý I năm 2024"))
            let response = try await admin.post("/admin/assignments", form: Self.quarterThree)
            #expect(response.status == .seeOther)
            let assignment = try #require(try await Assignment.query(on: app.db).filter(\.$periodKey == "2024-Q3").first())
            #expect(response.headers.first(name: .location) == "/assignments/\(assignment.id!.uuidString)/monitor")
            #expect(assignment.deadline == "2024-09-20")
            #expect(assignment.formID == "egov-2024")
            #expect(assignment.receiverCode == DemoLoader.provinceCode)
            #expect(assignment.title == "CQĐT/CQS (2024) — Quý III năm 2024")
            let reports = try await Report.query(on: app.db).filter(\.$assignment.$id == assignment.id!).all()
            let units = try DemoLoader.units()
            let expected = Set(units.filter { $0.kind == .department || $0.kind == .commune }.map(\.code))
            #expect(Set(reports.map(\.unitCode)) == expected)
            #expect(reports.count == expected.count)
            #expect(reports.allSatisfy { $0.status == .notStarted && $0.periodKey == "2024-Q3" })
            // The commune sees it on its home page with the deadline, the reviewer can follow it.
            var commune = try await Browser.signIn(app, as: "xa.nhaplieu")
            #expect(try await commune.get("/").body.string.contains("20/09/2024"))
            var reviewer = try await Browser.signIn(app, as: "sotttt")
            #expect(try await reviewer.get("/assignments/\(assignment.id!.uuidString)/monitor").status == .ok)

            // Individual units, a named title, a district as the receiver.
            let districtCode = "000.00.32.H05"
            let single = try await admin.post(
                "/admin/assignments",
                form: [
                    "formID": "cchc-bm1", "periodKey": "2024-h1", "deadline": "5/6/2024", "receiverCode": districtCode,
                    "title": "Báo cáo CCHC 6 tháng của các xã Lạng Giang", "unit[000.01.32.H05]": "1", "unit[000.02.32.H05]": "1"
                ])
            #expect(single.status == .seeOther)
            let named = try #require(try await Assignment.query(on: app.db).filter(\.$formID == "cchc-bm1").first())
            #expect(named.periodKey == "2024-H1" && named.deadline == "2024-06-05" && named.receiverCode == districtCode)
            #expect(
                Set(try await Report.query(on: app.db).filter(\.$assignment.$id == named.id!).all().map(\.unitCode)) == [
                    "000.01.32.H05", "000.02.32.H05"
                ])
        }
    }

    @Test func badAssignmentsWriteNothing() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/assignments")
            let assignments = try await Assignment.query(on: app.db).count()
            let reports = try await Report.query(on: app.db).count()
            func refused(_ change: [String: String?], saying message: String) async throws {
                var form = Self.quarterThree
                for (key, value) in change { form[key] = value }
                let response = try await admin.post("/admin/assignments", form: form)
                #expect(response.status == .unprocessableEntity, "\(change)")
                #expect(
                    response.body.string.contains(message),
                    "\(change): \(response.body.string.matches(of: /<li>([^<]+)<\/li>/).map { String($0.1) })")
                #expect(response.body.string.contains("không có gì được lưu"))
            }
            try await refused(["periodKey": "2024-Q5"], saying: "Kỳ báo cáo “2024-Q5” không hợp lệ")
            try await refused(["deadline": "31/02/2024"], saying: "Hạn gửi “31/02/2024” không hợp lệ")
            try await refused(["deadline": "2024-09-20"], saying: "Hạn gửi “2024-09-20” không hợp lệ")
            try await refused(["deadline": "01/01/2024"], saying: "trước khi kỳ Quý III năm 2024 bắt đầu")
            try await refused(["formID": "khong-co"], saying: "Không có biểu mẫu “khong-co”")
            try await refused(["receiverCode": "999"], saying: "mã “999” không có trong cây đơn vị")
            try await refused(["kind[department]": nil, "kind[commune]": nil], saying: "Chưa chọn đơn vị nào phải báo cáo")
            // A department is not below a district: the district cannot receive its report.
            try await refused(
                ["receiverCode": "000.00.32.H05", "kind[department]": nil, "kind[commune]": nil, "unit[000.00.02.H05]": "1"],
                saying: "Sở Nội vụ không thuộc UBND huyện Lạng Giang")
            try await refused(["unit[KHONG-CO]": "1"], saying: "Không có đơn vị mã “KHONG-CO”")
            // Quý I/2024 is already assigned to every demo unit.
            try await refused(["periodKey": "2024-Q1", "deadline": "20/03/2024"], saying: "Đã giao “CQĐT/CQS (2024)” Quý I năm 2024 cho")
            #expect(try await Assignment.query(on: app.db).count() == assignments)
            #expect(try await Report.query(on: app.db).count() == reports)
            // Without the token: refused before anything is read.
            #expect(try await admin.post("/admin/assignments", form: Self.quarterThree, includeToken: false).status == .forbidden)
            #expect(try await Assignment.query(on: app.db).count() == assignments)
        }
    }

    @Test func createUsersAndResetPasswords() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            _ = try await admin.get("/admin/users")
            let commune = "000.02.32.H05"
            let created = try await admin.post(
                "/admin/users",
                form: [
                    "username": "Xa.DaiLam", "name": "Cán bộ nhập liệu UBND xã Đại Lâm", "role": "reporter", "unitCode": commune,
                    "password": "mat-khau-dai-lam"
                ])
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/admin/users?created=xa.dailam")
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "xa.dailam").first())
            #expect(user.role == .reporter && user.unitCode == commune)
            let list = try await admin.get("/admin/users?created=xa.dailam")
            #expect(list.body.string.contains("Đã tạo người dùng xa.dailam."))
            #expect(list.body.string.contains("Cán bộ nhập liệu UBND xã Đại Lâm"))
            var newcomer = try await Browser.signIn(app, as: "xa.dailam", password: "mat-khau-dai-lam")
            #expect(try await newcomer.get("/").status == .ok)

            let count = try await User.query(on: app.db).count()
            func refused(_ form: [String: String], saying message: String) async throws {
                let response = try await admin.post("/admin/users", form: form)
                #expect(response.status == .unprocessableEntity, "\(form)")
                #expect(response.body.string.contains(message), "\(form)")
            }
            let good = ["username": "huyen.moi", "name": "Người mới", "role": "leader", "unitCode": "000.00.32.H05", "password": "12345678"]
            try await refused(good.merging(["password": "1234567"]) { $1 }, saying: "Mật khẩu phải có ít nhất 8 ký tự.")
            try await refused(good.merging(["username": "xa.nhaplieu"]) { $1 }, saying: "Tên đăng nhập “xa.nhaplieu” đã có người dùng.")
            try await refused(good.merging(["username": "người dùng"]) { $1 }, saying: "Tên đăng nhập phải dài 3–40 ký tự")
            try await refused(good.merging(["role": "superuser"]) { $1 }, saying: "Vai trò “superuser” không hợp lệ.")
            try await refused(good.merging(["unitCode": "999"]) { $1 }, saying: "Không có đơn vị mã “999”.")
            try await refused(good.merging(["name": "  "]) { $1 }, saying: "Chưa nhập họ tên.")
            #expect(try await User.query(on: app.db).count() == count)
            #expect(try await admin.post("/admin/users", form: good, includeToken: false).status == .forbidden)
            #expect(try await User.query(on: app.db).count() == count)

            // Reset: the new password works, the old one does not, a lock-out is lifted.
            let reporter = try #require(try await User.query(on: app.db).filter(\.$username == "xa.nhaplieu").first())
            var attacker = Browser(app: app)
            try await attacker.refreshToken(path: "/login")
            for _ in 0..<AuthController.maxFailures {
                _ = try await attacker.post("/login", form: ["username": "xa.nhaplieu", "password": "sai"])
            }
            #expect(
                try await attacker.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword]).status
                    == .tooManyRequests)
            let short = try await admin.post("/admin/users/\(reporter.id!.uuidString)/password", form: ["password": "ngan"])
            #expect(short.status == .unprocessableEntity)
            #expect(short.body.string.contains("phải có ít nhất 8 ký tự"))
            #expect(
                try await admin.post(
                    "/admin/users/\(reporter.id!.uuidString)/password", form: ["password": "mat-khau-moi-2024"], includeToken: false
                ).status == .forbidden)
            #expect(try await User.find(reporter.id, on: app.db)?.passwordHash == DemoLoader.demoPassword)
            let reset = try await admin.post("/admin/users/\(reporter.id!.uuidString)/password", form: ["password": "mat-khau-moi-2024"])
            #expect(reset.status == .seeOther)
            #expect(
                try await (app.db as! any SQLDatabase).raw(
                    "SELECT count(*) AS n FROM login_throttle WHERE key = \(bind: LoginThrottle.accountKey("xa.nhaplieu"))"
                )
                .first()?.decode(column: "n", as: Int.self) == 0)
            var old = Browser(app: app)
            try await old.refreshToken(path: "/login")
            #expect(
                try await old.post("/login", form: ["username": "xa.nhaplieu", "password": DemoLoader.demoPassword]).status == .unauthorized
            )
            _ = try await Browser.signIn(app, as: "xa.nhaplieu", password: "mat-khau-moi-2024")
            #expect(try await admin.post("/admin/users/\(UUID().uuidString)/password", form: ["password": "12345678"]).status == .notFound)
        }
    }

    @Test func unitTreeAndCSVImport() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            let page = try await admin.get("/admin/units")
            #expect(page.status == .ok)
            // Indented as a tree: the province, then a department one level in, a commune two levels in.
            #expect(page.body.string.contains("<td class=\"indent-0\">UBND tỉnh Bắc Giang</td>"))
            #expect(page.body.string.contains("<td class=\"indent-1\">Sở Nội vụ</td>"))
            #expect(page.body.string.contains("<td class=\"indent-2\">UBND xã Thái Sơn</td>"))
            let before = try await UnitRecord.query(on: app.db).count()

            // One bad line: nothing is added.
            let bad = try await admin.upload(
                "/admin/units/import", fileField: "file", filename: "xa.csv",
                content:
                    "code,name,kind,parent_code\n000.03.32.H05,UBND xã Mới,commune,000.00.32.H05\n000.04.32.H05,UBND xã Lạc,commune,KHONG-CO\n"
            )
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("KHONG-CO"))
            #expect(bad.body.string.contains("Không có đơn vị nào được thêm"))
            let badKind = try await admin.upload(
                "/admin/units/import", fileField: "file", filename: "xa.csv",
                content:
                    "code,name,kind,parent_code\n000.03.32.H05,UBND xã Mới,làng,000.00.32.H05\n")
            #expect(badKind.status == .unprocessableEntity)
            #expect(badKind.body.string.contains("Dòng 2: loại đơn vị “làng” không hợp lệ"))
            let empty = try await admin.upload("/admin/units/import", fileField: "file", filename: "trong.csv", content: "")
            #expect(empty.status == .unprocessableEntity)
            #expect(
                try await admin.upload(
                    "/admin/units/import", fileField: "file", filename: "xa.csv",
                    content: "code,name,kind,parent_code\n000.03.32.H05,UBND xã Mới,commune,000.00.32.H05\n",
                    includeToken: false
                ).status == .forbidden)
            #expect(try await UnitRecord.query(on: app.db).count() == before)

            // A good file, with a BOM and a unit that exists already.
            let good = try await admin.upload(
                "/admin/units/import", fileField: "file", filename: "xa.csv",
                content:
                    "\u{FEFF}code,name,kind,parent_code\n000.03.32.H05,UBND xã Mới,commune,000.00.32.H05\n000.01.31.H05,UBND xã Thái Sơn,commune,000.00.31.H05\nTT-TEST,Trung tâm thử nghiệm,other,000.00.00.H05\n"
            )
            #expect(good.status == .ok)
            #expect(good.body.string.contains("Đã nhập 2 đơn vị mới từ “xa.csv”; 1 đơn vị đã có, giữ nguyên."))
            #expect(try await UnitRecord.query(on: app.db).count() == before + 2)
            // The cached tree was rebuilt: the new commune shows, and can be assigned a report.
            #expect(good.body.string.contains("<td class=\"indent-2\">UBND xã Mới</td>"))
            let assigned = try await admin.post(
                "/admin/assignments",
                form: [
                    "formID": "egov-2024", "periodKey": "2024-Q3", "deadline": "20/09/2024", "receiverCode": "000.00.32.H05",
                    "unit[000.03.32.H05]": "1"
                ])
            #expect(assigned.status == .seeOther)
            // A form is only assigned to the kinds of unit it applies to.
            let other = try await admin.post(
                "/admin/assignments",
                form: [
                    "formID": "egov-2024", "periodKey": "2024-Q4", "deadline": "20/12/2024", "receiverCode": DemoLoader.provinceCode,
                    "kind[other]": "1"
                ])
            #expect(other.status == .unprocessableEntity)
            #expect(other.body.string.contains("không áp dụng cho loại đơn vị “Đơn vị khác”"))
        }
    }

    /// The administrator renames a unit, and records that one stopped
    /// existing and which units took it over; bad input changes nothing.
    @Test func renameAndRetireAUnit() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            let commune = try await app.unitCode(kind: .commune)
            let report = try await app.report(unit: commune, period: "2024-Q1")
            var reporter = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await reporter.get("/reports/\(report.id!.uuidString)")
            _ = try await reporter.get("/reports/\(report.id!.uuidString)") // now cached

            let form = try await admin.get("/admin/units/\(commune)")
            #expect(form.status == .ok)
            #expect(form.body.string.contains("name=\"name\" value=\"UBND xã Thái Sơn\""))
            #expect(try await admin.get("/admin/units/KHONG-CO").status == .notFound)

            let renamed = try await admin.post(
                "/admin/units/\(commune)", form: ["name": "  UBND xã Thái Sơn Mới ", "retiredOn": "", "successors": ""])
            #expect(renamed.status == .seeOther)
            let list = try await admin.get(try #require(renamed.headers.first(name: .location)))
            #expect(list.body.string.contains("Đã cập nhật đơn vị “UBND xã Thái Sơn Mới”."))
            #expect(list.body.string.contains("<td class=\"indent-2\">UBND xã Thái Sơn Mới</td>"))
            // The officer's cached page shows the new name at once.
            #expect(try await reporter.get("/reports/\(report.id!.uuidString)").body.string.contains("UBND xã Thái Sơn Mới"))

            // Refused, each with what to fix; nothing changes.
            let other = try #require(try await UnitRecord.query(on: app.db).filter(\.$kind == "commune").filter(\.$code != commune).first())
            let refused: [([String: String], String)] = [
                (["name": " ", "retiredOn": "", "successors": ""], "Chưa nhập tên đơn vị."),
                (["name": "X", "retiredOn": "31/02/2025", "successors": ""], "Ngày thôi hoạt động “31/02/2025” không hợp lệ"),
                (
                    ["name": "X", "retiredOn": "01/07/2025", "successors": "KHONG-CO"],
                    "Đơn vị tiếp nhận mã “KHONG-CO” không có trong danh sách đơn vị."
                ),
                (["name": "X", "retiredOn": "01/07/2025", "successors": commune], "không thể tiếp nhận chính nó"),
                (["name": "X", "retiredOn": "", "successors": other.code], "hãy nhập cả ngày thôi hoạt động")
            ]
            for (fields, message) in refused {
                let response = try await admin.post("/admin/units/\(commune)", form: fields)
                #expect(response.status == .unprocessableEntity, "\(fields)")
                #expect(response.body.string.contains(message), "\(fields)")
            }
            var stored = try #require(try await UnitRecord.query(on: app.db).filter(\.$code == commune).first())
            #expect(stored.name == "UBND xã Thái Sơn Mới" && stored.retiredOn == nil && stored.successorCodes.isEmpty)

            // Merged into another commune on 1 July 2025: no new reports from then on.
            let retired = try await admin.post(
                "/admin/units/\(commune)", form: ["name": "UBND xã Thái Sơn Mới", "retiredOn": "01/07/2025", "successors": other.code])
            #expect(retired.status == .seeOther)
            stored = try #require(try await UnitRecord.query(on: app.db).filter(\.$code == commune).first())
            #expect(stored.retiredOn == "2025-07-01" && stored.successorCodes == other.code)
            #expect(try await admin.get("/admin/units").body.string.contains("<td>01/07/2025</td>"))
            let assigned = try await admin.post(
                "/admin/assignments",
                form: [
                    "formID": "egov-2024", "periodKey": "2025-Q3", "deadline": "20/09/2025", "receiverCode": DemoLoader.provinceCode,
                    "unit[\(commune)]": "1"
                ])
            #expect(assigned.status == .unprocessableEntity)
            #expect(assigned.body.string.contains("đã thôi hoạt động từ 01/07/2025"))
        }
    }

    @Test func formsAreListedReadOnly() async throws {
        try await withDemoApp { app in
            var admin = try await Browser.signIn(app, as: "admin")
            let page = try await admin.get("/admin/forms")
            #expect(page.status == .ok)
            let body = page.body.string
            #expect(body.contains("Biểu mẫu là tệp dữ liệu (YAML) trong mã nguồn"))
            for form in app.library.sortedForms {
                #expect(body.contains("id=\"form-\(form.id)\""))
            }
            #expect(body.contains("Tổng số hồ sơ của DVCTT toàn trình"))
            #expect(body.contains("[6.3.2] / [6.3.1] × 100"))
            #expect(!body.contains("action=\"/admin/forms"))
        }
    }
}
