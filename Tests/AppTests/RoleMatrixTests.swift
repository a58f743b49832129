import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every demo role against the signed-in pages: the allowed ones answer, the
/// others are refused, whatever URL is tried.
@Suite("Roles against routes")
struct RoleMatrixTests {
    enum Expect { case ok, refused }

    @Test func everyRoleAgainstEveryPage() async throws {
        try await withDemoApp { app in
            let commune = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let district = try await app.report(unit: try await app.unitCode(kind: .district), period: "2024-Q1")
            let province = try await app.report(unit: DemoLoader.provinceCode, period: "2024-Q1")
            let assignment = province.$assignment.id
            let pages: [(String, [String: Expect])] = [
                ("/", ["admin": .ok, "sotttt": .ok, "tinh.nhaplieu": .ok, "xa.nhaplieu": .ok, "xa.lanhdao": .ok, "huyen.nhaplieu": .ok]),
                ("/password", ["admin": .ok, "sotttt": .ok, "xa.nhaplieu": .ok]),
                (
                    "/reports/\(commune.id!)",
                    [
                        "admin": .ok, "sotttt": .ok, "xa.nhaplieu": .ok, "xa.lanhdao": .ok,
                        "tinh.nhaplieu": .refused, "huyen.nhaplieu": .refused
                    ]
                ),
                (
                    "/reports/\(commune.id!)/history",
                    ["sotttt": .ok, "xa.nhaplieu": .ok, "huyen.nhaplieu": .refused, "tinh.nhaplieu": .refused]
                ),
                (
                    "/reports/\(district.id!)",
                    [
                        "sotttt": .ok, "huyen.nhaplieu": .ok, "huyen.lanhdao": .ok,
                        "xa.nhaplieu": .refused, "xa.lanhdao": .refused, "tinh.nhaplieu": .refused
                    ]
                ),
                (
                    "/reports/\(province.id!)",
                    [
                        "sotttt": .ok, "tinh.nhaplieu": .ok, "admin": .ok,
                        "xa.nhaplieu": .refused, "huyen.lanhdao": .refused
                    ]
                ),
                ("/reports/\(province.id!)/export.docx", ["sotttt": .ok, "tinh.nhaplieu": .ok, "xa.nhaplieu": .refused]),
                ("/reports/\(commune.id!)/template.xlsx", ["xa.nhaplieu": .ok, "huyen.nhaplieu": .refused]),
                (
                    "/assignments/\(assignment)/monitor",
                    [
                        "admin": .ok, "sotttt": .ok, "tinh.nhaplieu": .refused,
                        "xa.nhaplieu": .refused, "xa.lanhdao": .refused, "huyen.lanhdao": .refused
                    ]
                ),
                (
                    "/consolidated?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)",
                    ["admin": .ok, "sotttt": .ok, "tinh.nhaplieu": .refused, "xa.nhaplieu": .refused, "huyen.lanhdao": .refused]
                ),
                (
                    "/targets?plan=kh48-2024&period=2024-H1&unit=\(DemoLoader.provinceCode)",
                    ["admin": .ok, "sotttt": .ok, "xa.nhaplieu": .refused, "xa.lanhdao": .refused]
                ),
                (
                    "/dashboard?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)",
                    ["admin": .ok, "sotttt": .ok, "xa.nhaplieu": .refused]
                ),
                ("/admin", ["admin": .ok, "sotttt": .refused, "tinh.nhaplieu": .refused, "xa.lanhdao": .refused]),
                ("/admin/users", ["admin": .ok, "sotttt": .refused, "xa.nhaplieu": .refused]),
                ("/admin/assignments", ["admin": .ok, "sotttt": .refused, "huyen.lanhdao": .refused]),
                ("/tokens", ["admin": .ok, "xa.nhaplieu": .ok])
            ]
            var browsers: [String: Browser] = [:]
            for user in ["admin", "sotttt", "tinh.nhaplieu", "xa.nhaplieu", "xa.lanhdao", "huyen.nhaplieu", "huyen.lanhdao"] {
                browsers[user] = try await Browser.signIn(app, as: user)
            }
            for (path, expectations) in pages {
                for (user, expected) in expectations {
                    let status = try await browsers[user]!.get(path).status
                    switch expected {
                    case .ok: #expect(status == .ok, "\(user) GET \(path) → \(status)")
                    case .refused: #expect(status == .forbidden, "\(user) GET \(path) → \(status)")
                    }
                }
            }
            // Not signed in: every page sends to the login page, none shows data.
            var stranger = Browser(app: app)
            for (path, _) in pages {
                let status = try await stranger.get(path).status
                #expect(status == .seeOther, "anonymous GET \(path) → \(status)")
            }
        }
    }

    @Test func aCommuneCannotWriteAnotherUnitsReport() async throws {
        try await withDemoApp { app in
            let district = try await app.report(unit: try await app.unitCode(kind: .district), period: "2024-Q1")
            var commune = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await commune.get("/")
            let path = "/reports/\(district.id!)"
            #expect(try await commune.post(path, form: ["version": "0", "v[6.3.1]": "5"]).status == .forbidden)
            #expect(try await commune.post(path + "/action", form: ["action": "send"]).status == .forbidden)
            #expect(
                try await commune.post(
                    path + "/documents", form: ["paste": "Quyết định số 1/QĐ-UBND ngày 01/02/2024 của UBND xã về việc thử"]
                ).status == .forbidden)
            #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == district.id!).count() == 0)
            #expect(try await app.report(unit: district.unitCode, period: "2024-Q1").status == .notStarted)
        }
    }
}

@Suite("Error pages")
struct ErrorPageTests {
    @Test func browsersGetAVietnamesePageAndProgramsKeepJSON() async throws {
        try await withDemoApp { app in
            let district = try await app.report(unit: try await app.unitCode(kind: .district), period: "2024-Q1")
            var commune = try await Browser.signIn(app, as: "xa.nhaplieu")
            _ = try await commune.get("/")
            let cookie = try #require(commune.cookie)
            for (path, status, title) in [
                ("/reports/\(district.id!)", HTTPStatus.forbidden, "Không có quyền truy cập"),
                ("/khong-co-trang-nay", .notFound, "Không tìm thấy trang")
            ] {
                try await app.testing().test(
                    .GET, path,
                    beforeRequest: { request in
                        request.headers.cookie = ["baocao_session": .init(string: cookie)]
                        request.headers.replaceOrAdd(name: .accept, value: "text/html,application/xhtml+xml")
                    },
                    afterResponse: { response in
                        #expect(response.status == status)
                        #expect(response.headers.contentType == .html)
                        #expect(response.body.string.contains("<h1>\(title)</h1>"))
                        #expect(response.headers.first(name: "Content-Security-Policy") != nil)
                    })
            }
            // A program asking for JSON keeps the JSON error.
            try await app.testing().test(
                .GET, "/reports/\(district.id!)",
                beforeRequest: { request in
                    request.headers.cookie = ["baocao_session": .init(string: cookie)]
                    request.headers.replaceOrAdd(name: .accept, value: "application/json")
                },
                afterResponse: { response in
                    #expect(response.status == .forbidden)
                    #expect(response.body.string.contains("\"reason\":\"Bạn không có quyền xem báo cáo của đơn vị này.\""))
                })
        }
    }
}
