import Fluent
import Foundation
import ReportingCore
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite("JSON API")
struct ApiTests {
    static let users = ["admin", "sotttt", "tinh.nhaplieu", "xa.nhaplieu", "xa.lanhdao", "huyen.nhaplieu", "huyen.lanhdao"]

    /// One client per demo user, all held to the served OpenAPI document.
    static func clients(_ app: Application) async throws -> [String: ApiClient] {
        let spec = try await OpenAPIDocument.served(by: app)
        var clients: [String: ApiClient] = [:]
        for user in users { clients[user] = try await ApiClient.make(app, as: user, spec: spec) }
        return clients
    }

    static func valueCount(_ app: Application, _ report: Report) async throws -> Int {
        try await ReportValue.query(on: app.db).filter(\.$report.$id == report.requireID()).count()
    }

    // MARK: The OpenAPI document

    @Test func openAPIDocumentIsServedAndComplete() async throws {
        try await withDemoApp { app in
            // Served without a token: clients need it before they have one.
            let spec = try await OpenAPIDocument.served(by: app)
            #expect(spec.root["openapi"]?.string == "3.0.3")
            #expect(spec.basePath == "/api/v1")
            // Every $ref points somewhere.
            func references(_ value: JSONValue) -> [String] {
                switch value {
                case .object(let object): return (object["$ref"]?.string.map { [$0] } ?? []) + object.values.flatMap(references)
                case .array(let array): return array.flatMap(references)
                default: return []
                }
            }
            let refs = references(spec.root)
            #expect(refs.count > 50)
            for reference in refs { #expect(spec.resolve(.object(["$ref": .string(reference)])) != .null, "\(reference)") }
            for (path, item) in spec.paths {
                for (method, operation) in item.object ?? [:] {
                    let responses = operation["responses"]?.object ?? [:]
                    #expect(responses.keys.contains(where: { $0.hasPrefix("2") }), "\(method) \(path)")
                    // Everything but the document itself needs a token.
                    if path != "/openapi.json" { #expect(responses["401"] != nil, "\(method) \(path) documents no 401") }
                    // Path parameters are declared.
                    let declared = Set(
                        (operation["parameters"]?.array ?? []).filter { $0["in"]?.string == "path" }.compactMap { $0["name"]?.string })
                    let inPath = Set(path.matches(of: /\{([^}]+)\}/).map { String($0.1) })
                    #expect(declared == inPath, "\(method) \(path)")
                    // Writes document bad input.
                    if method == "put" || method == "post" {
                        for status in ["400", "413", "415", "422"] {
                            #expect(responses[status] != nil, "\(method) \(path) documents no \(status)")
                        }
                    }
                }
            }
        }
    }

    @Test func everyApiRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        try await withDemoApp { app in
            let spec = try await OpenAPIDocument.served(by: app)
            let routes = Set(
                app.routes.all.compactMap { route -> String? in
                    let path = route.path.map { component -> String in
                        switch component {
                        case .constant(let text): return text
                        case .parameter(let name): return "{\(name)}"
                        case .anything: return "*"
                        case .catchall: return "**"
                        }
                    }
                    // The catch-alls only answer unknown addresses with a Vietnamese 404.
                    guard path.count >= 2, path[0] == "api", path[1] == "v1", path.last != "**" else { return nil }
                    return "\(route.method.rawValue) /" + path.dropFirst(2).joined(separator: "/")
                })
            #expect(routes.count >= 10)
            #expect(
                routes == spec.operations,
                "only routed: \(routes.subtracting(spec.operations)); only documented: \(spec.operations.subtracting(routes))")

            // Addresses the document does not have: a JSON 404 in Vietnamese, token or not.
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            for (method, path) in [
                (HTTPMethod.GET, "/api/v1/khong-co"), (.DELETE, "/api/v1/reports/\(report.id!.uuidString)"),
                (.GET, "/api/v1/reports/\(report.id!.uuidString)/values"), (.PATCH, "/api/v1/forms/egov-2024")
            ] {
                try await app.testing().test(method, path) { response in
                    #expect(response.status == .notFound, "\(method) \(path)")
                    #expect(response.headers.contentType?.subType == "json")
                    #expect(response.body.string.contains("Không có địa chỉ API \(method.rawValue)"), "\(response.body.string)")
                }
            }
            #expect(try await Report.find(report.id, on: app.db) != nil)
        }
    }

    /// The conformance check itself must be able to fail.
    @Test func theConformanceCheckerRejectsWhatTheDocumentDoesNotSay() async throws {
        try await withDemoApp { app in
            let spec = try await OpenAPIDocument.served(by: app)
            let good = #"{"forms": [{"id": "egov-2024", "title": "T", "levels": ["commune"], "indicatorCount": 3}]}"#
            #expect(
                spec.problems(method: .GET, url: "/api/v1/forms", status: 200, contentType: "application/json; charset=utf-8", body: good)
                    .isEmpty)
            let cases: [(UInt, String, String?, String)] = [
                (200, #"{"forms": [{"id": "egov-2024", "title": "T", "levels": ["commune"]}]}"#, "application/json", "indicatorCount"),
                (200, #"{"forms": [{"id": 7, "title": "T", "levels": [], "indicatorCount": 3}]}"#, "application/json", "expected a string"),
                (200, #"{"forms": [], "extra": true}"#, "application/json", "not documented"),
                (
                    200, #"{"forms": [{"id": "a", "title": "T", "levels": ["planet"], "indicatorCount": 1}]}"#, "application/json",
                    "is not one of"
                ),
                (200, good, "text/html", "content type"),
                (418, good, "application/json", "not documented")
            ]
            for (status, body, contentType, expected) in cases {
                let problems = spec.problems(method: .GET, url: "/api/v1/forms", status: status, contentType: contentType, body: body)
                #expect(problems.contains { $0.contains(expected) }, "\(body): \(problems)")
            }
            #expect(!spec.problems(method: .DELETE, url: "/api/v1/forms", status: 200, contentType: nil, body: "").isEmpty)
            #expect(!spec.problems(method: .GET, url: "/api/v1/nowhere", status: 200, contentType: nil, body: "").isEmpty)
            #expect(spec.template(for: "/api/v1/reports/\(UUID().uuidString)/values?x=1") == "/reports/{reportID}/values")
            #expect(spec.template(for: "/api/v1/openapi.json") == "/openapi.json")
        }
    }

    // MARK: Tokens

    @Test func missingInvalidOrRevokedTokensGet401AndCookiesAreNotAccepted() async throws {
        try await withDemoApp { app in
            let spec = try await OpenAPIDocument.served(by: app)
            let anonymous = ApiClient(app: app, spec: spec, token: nil)
            let missing = try await anonymous.get("/api/v1/forms")
            #expect(missing.status == .unauthorized)
            #expect(missing.json["error"]?.bool == true)
            #expect(missing.reason.contains("Thiếu mã truy cập API"))
            #expect(missing.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            for bad in ["Bearer bc_khongdung", "Bearer ", "Basic eGE6YmFvY2FvMjAyNA==", "bc_khongdung"] {
                let response = try await anonymous.send(.GET, "/api/v1/reports", headers: ["Authorization": bad])
                #expect(response.status == .unauthorized, "\(bad)")
                #expect(!response.reason.isEmpty)
            }
            let invalid = ApiClient(app: app, spec: spec, token: "bc_" + String(repeating: "A", count: 43))
            #expect(try await invalid.get("/api/v1/forms").reason.contains("không hợp lệ hoặc đã bị thu hồi"))
            // Every route needs a token, writes included.
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let id = try report.requireID().uuidString
            for (method, path, body) in [
                (HTTPMethod.GET, "/api/v1/forms/egov-2024", nil), (.GET, "/api/v1/reports/\(id)", nil),
                (.PUT, "/api/v1/reports/\(id)/values", #"{"version": 0, "values": {"6.3.1": "5"}}"#),
                (.POST, "/api/v1/reports/\(id)/actions", #"{"action": "ask_approval"}"#),
                (.GET, "/api/v1/assignments", nil), (.GET, "/api/v1/consolidated?form=egov-2024&period=2024-Q1", nil)
            ] {
                #expect(try await anonymous.send(method, path, json: body).status == .unauthorized, "\(method) \(path)")
            }
            #expect(try await Self.valueCount(app, report) == 0)

            // A revoked token stops working at once.
            let client = try await ApiClient.make(app, as: "xa.nhaplieu", spec: spec)
            #expect(try await client.get("/api/v1/forms").status == .ok)
            try await ApiToken.query(on: app.db).filter(\.$tokenHash == ApiToken.hash(client.token!)).delete()
            #expect(try await client.get("/api/v1/forms").status == .unauthorized)

            // So does an expired one, saying since when.
            let expiring = try await ApiClient.make(app, as: "xa.nhaplieu", spec: spec)
            #expect(try await expiring.get("/api/v1/forms").status == .ok)
            let record = try #require(try await ApiToken.query(on: app.db).filter(\.$tokenHash == ApiToken.hash(expiring.token!)).first())
            record.expiresAt = Date().addingTimeInterval(-60)
            try await record.save(on: app.db)
            let expired = try await expiring.get("/api/v1/forms")
            #expect(expired.status == .unauthorized)
            #expect(expired.reason.contains("Mã truy cập API “Kiểm thử” đã hết hạn từ"))

            // The API ignores the web session cookie (no CSRF protection there), and a
            // token never turns into a session.
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let cookie = try #require(browser.cookie)
            let withCookie = try await anonymous.send(
                .PUT, "/api/v1/reports/\(id)/values", json: #"{"version": 0, "values": {"6.3.1": "5"}}"#,
                headers: ["Cookie": "baocao_session=\(cookie)"])
            #expect(withCookie.status == .unauthorized)
            #expect(try await Self.valueCount(app, report) == 0)
            let fresh = try await ApiClient.make(app, as: "xa.nhaplieu", spec: spec)
            let tokenOnly = try await fresh.get("/api/v1/forms")
            #expect(tokenOnly.headers.setCookie?["baocao_session"] == nil)
            #expect(tokenOnly.headers.first(name: .cacheControl) == "no-store")
            // With both, the token decides, and the browser's session is left as it was.
            let reviewer = try await ApiClient.make(app, as: "sotttt", spec: spec)
            let both = try await reviewer.send(
                .GET, "/api/v1/assignments/\(report.$assignment.id.uuidString)/status",
                headers: ["Cookie": "baocao_session=\(cookie)"])
            #expect(both.status == .ok)
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("Cán bộ nhập liệu"))
        }
    }

    @Test func tokensPageCreatesShowsOnceAndRevokes() async throws {
        try await withDemoApp { app in
            let spec = try await OpenAPIDocument.served(by: app)
            var browser = try await Browser.signIn(app, as: "xa.nhaplieu")
            let page = try await browser.get("/tokens")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Mã truy cập API"))
            #expect(try await browser.post("/tokens", form: ["label": "Một cửa"], includeToken: false).status == .forbidden)
            #expect(try await ApiToken.query(on: app.db).count() == 0)
            let empty = try await browser.post("/tokens", form: ["label": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Hãy đặt tên cho mã truy cập"))

            #expect(try await browser.post("/tokens", form: ["label": "Một cửa", "days": "0"]).status == .unprocessableEntity)
            #expect(try await browser.post("/tokens", form: ["label": "Một cửa", "days": "366"]).body.string.contains("từ 1 đến 365 ngày"))
            #expect(try await ApiToken.query(on: app.db).count() == 0)

            let created = try await browser.post("/tokens", form: ["label": "Phần mềm một cửa", "days": "30"])
            #expect(created.status == .created)
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let token = try #require(created.body.string.firstMatch(of: /<code id="new-token">(bc_[A-Za-z0-9_-]+)<\/code>/)).1
            #expect(created.body.string.contains("chỉ hiển thị một lần"))
            let stored = try #require(try await ApiToken.query(on: app.db).first())
            #expect(stored.tokenHash == ApiToken.hash(String(token)))
            #expect(stored.tokenHash != String(token))
            // Valid for the 30 days chosen, and the list says until when.
            let expiry = try #require(stored.expiresAt)
            #expect(abs(expiry.timeIntervalSinceNow - 30 * 86_400) < 600)
            #expect(created.body.string.contains(VietnameseTime.format(expiry)))
            let client = ApiClient(app: app, spec: spec, token: String(token))
            #expect(try await client.get("/api/v1/reports").status == .ok)
            // Shown once: the list shows the label, never the token.
            let later = try await browser.get("/tokens")
            #expect(later.body.string.contains("Phần mềm một cửa"))
            #expect(!later.body.string.contains(String(token)))

            // Someone else cannot revoke it.
            var other = try await Browser.signIn(app, as: "xa.lanhdao")
            _ = try await other.get("/tokens")
            let foreign = try await other.post("/tokens/\(stored.id!.uuidString)/revoke", form: [:])
            #expect(foreign.status == .notFound)
            #expect(try await client.get("/api/v1/reports").status == .ok)

            _ = try await browser.get("/tokens")
            let revoked = try await browser.post("/tokens/\(stored.id!.uuidString)/revoke", form: [:])
            #expect(revoked.status == .ok)
            #expect(revoked.body.string.contains("Đã thu hồi mã “Phần mềm một cửa”"))
            #expect(try await client.get("/api/v1/reports").status == .unauthorized)
        }
    }

    // MARK: Access

    @Test func everyRoleAgainstEveryRoute() async throws {
        try await withDemoApp { app in
            let clients = try await Self.clients(app)
            let communeCode = try await app.unitCode(kind: .commune)
            let districtCode = try await app.unitCode(kind: .district)
            let province = DemoLoader.provinceCode
            let commune = try await app.report(unit: communeCode, period: "2024-Q1")
            let provinceReport = try await app.report(unit: province, period: "2024-Q1")
            let communePath = "/api/v1/reports/\(commune.id!.uuidString)"
            let provincePath = "/api/v1/reports/\(provinceReport.id!.uuidString)"
            let assignment = commune.$assignment.id.uuidString
            let all = Set(Self.users)
            let totalReports = try await Report.query(on: app.db).count()

            func check(
                _ path: String, method: HTTPMethod = .GET, body: String? = nil, _ expected: [String: HTTPStatus],
                sourceLocation: SourceLocation = #_sourceLocation
            ) async throws {
                for user in Self.users {
                    let response = try await clients[user]!.send(method, path, json: body, sourceLocation: sourceLocation)
                    let status = try #require(expected[user], sourceLocation: sourceLocation)
                    #expect(
                        response.status == status, "\(user) \(method) \(path): \(response.status) \(response.reason)",
                        sourceLocation: sourceLocation)
                    if status.code >= 400 { #expect(!response.reason.isEmpty, sourceLocation: sourceLocation) }
                }
            }
            func everyone(_ status: HTTPStatus) -> [String: HTTPStatus] { Dictionary(uniqueKeysWithValues: all.map { ($0, status) }) }
            func only(_ allowed: Set<String>, _ yes: HTTPStatus = .ok, overrides: [String: HTTPStatus] = [:]) -> [String: HTTPStatus] {
                Dictionary(uniqueKeysWithValues: all.map { ($0, overrides[$0] ?? (allowed.contains($0) ? yes : .forbidden)) })
            }

            try await check("/api/v1/forms", everyone(.ok))
            try await check("/api/v1/forms/egov-2024", everyone(.ok))
            try await check("/api/v1/forms/khong-co", everyone(.notFound))
            try await check("/api/v1/reports", everyone(.ok))
            try await check("/api/v1/assignments", everyone(.ok))
            try await check(communePath, only(["admin", "sotttt", "xa.nhaplieu", "xa.lanhdao"]))
            try await check(provincePath, only(["admin", "sotttt", "tinh.nhaplieu"]))
            try await check("/api/v1/reports/\(UUID().uuidString)", everyone(.notFound))
            try await check("/api/v1/assignments/\(assignment)/status", only(["admin", "sotttt"]))
            try await check("/api/v1/assignments/\(UUID().uuidString)/status", everyone(.notFound))
            try await check("/api/v1/consolidated?form=egov-2024&period=2024-Q1&unit=\(province)", only(["admin", "sotttt"]))
            try await check(
                "/api/v1/consolidated?form=egov-2024&period=2024-Q1&unit=\(districtCode)", only(["admin", "sotttt", "huyen.lanhdao"]))
            // Without a unit: the user's own. A commune has nothing below it to consolidate.
            try await check(
                "/api/v1/consolidated?form=egov-2024&period=2024-Q1",
                only(["admin", "sotttt", "huyen.lanhdao"], overrides: ["xa.lanhdao": .unprocessableEntity]))

            // Asking for approval: only the commune's reporter gets past access
            // (then refused for the empty required rows); everyone else is refused.
            try await check(
                communePath + "/actions", method: .POST, body: #"{"action": "ask_approval"}"#,
                only(["xa.nhaplieu"], .unprocessableEntity))
            try await check(communePath + "/actions", method: .POST, body: #"{"action": "accept"}"#, everyone(.forbidden))
            #expect(try await app.report(unit: communeCode, period: "2024-Q1").status == .notStarted)

            // Writing: the commune's reporter and leader, nobody else; refusals write nothing.
            for user in Self.users {
                let version = try await app.report(unit: communeCode, period: "2024-Q1").version
                let response = try await clients[user]!.put(
                    communePath + "/values", jsonText(["version": version, "values": ["6.3.1": "\(version + 1)"]]))
                let allowed = user == "xa.nhaplieu" || user == "xa.lanhdao"
                #expect(response.status == (allowed ? .ok : .forbidden), "\(user): \(response.status) \(response.reason)")
                #expect(try await app.report(unit: communeCode, period: "2024-Q1").version == version + (allowed ? 1 : 0), "\(user)")
            }
            #expect(try await ReportValue.query(on: app.db).filter(\.$report.$id == commune.id!).first()?.raw == "2")

            // Lists hold only what each user may read.
            for user in Self.users {
                let reports = try #require(try await clients[user]!.get("/api/v1/reports").json["reports"]?.array)
                let units = Set(reports.compactMap { $0["unitCode"]?.string })
                switch user {
                case "admin", "sotttt": #expect(reports.count == totalReports, "\(user)")
                case "tinh.nhaplieu": #expect(units == [province])
                case "xa.nhaplieu", "xa.lanhdao": #expect(units == [communeCode]); #expect(reports.count == 2)
                default: #expect(units == [districtCode], "\(user)")
                }
                let assignments = try #require(try await clients[user]!.get("/api/v1/assignments").json["assignments"]?.array)
                #expect(assignments.count == 2, "\(user)")
            }
            let filtered = try await clients["sotttt"]!.get("/api/v1/reports?period=2024-q1&status=draft&form=egov-2024")
            #expect(filtered.json["reports"]?.array?.compactMap { $0["unitCode"]?.string } == [communeCode])
        }
    }

    /// The list comes in pages: following `next` gives every report once, in
    /// the same order as one long page; bad paging parameters get a 400.
    @Test func reportListsComeInPages() async throws {
        try await withDemoApp { app in
            let reviewer = try await Self.clients(app)["sotttt"]!
            let whole = try await reviewer.get("/api/v1/reports?period=2024-Q1&limit=1000")
            let all = try #require(whole.json["reports"]?.array).compactMap { $0["id"]?.string }
            #expect(whole.json["total"]?.int == all.count)
            #expect(whole.json["next"]?.isNull == true)
            #expect(all.count > 25)
            var seen: [String] = []
            var path: String? = "/api/v1/reports?period=2024-Q1&limit=10"
            var pages = 0
            while let next = path {
                let page = try await reviewer.get(next)
                #expect(page.status == .ok)
                #expect(page.json["total"]?.int == all.count)
                #expect(page.json["limit"]?.int == 10)
                seen += try #require(page.json["reports"]?.array).compactMap { $0["id"]?.string }
                path = page.json["next"]?.string
                pages += 1
                if let path { #expect(path.contains("period=2024-Q1")) } // the filters carry over
            }
            #expect(seen == all)
            #expect(pages == (all.count + 9) / 10)
            for bad in ["limit=0", "limit=1001", "limit=abc", "offset=-1", "offset=x"] {
                let response = try await reviewer.get("/api/v1/reports?\(bad)")
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.reason.contains("phải là số nguyên"), "\(bad)")
            }
            let beyond = try await reviewer.get("/api/v1/reports?offset=100000")
            #expect(beyond.json["reports"]?.array?.isEmpty == true)
            #expect(beyond.json["next"]?.isNull == true)
        }
    }

    @Test func aCommuneUserCannotReachAnotherUnitsReportByAnyID() async throws {
        try await withDemoApp { app in
            let clients = try await Self.clients(app)
            let communeCode = try await app.unitCode(kind: .commune)
            let others = try await Report.query(on: app.db).filter(\.$unitCode != communeCode).all()
            #expect(others.count > 60)
            let audit = try await AuditEntry.query(on: app.db).count()
            let values = try await ReportValue.query(on: app.db).count()
            for user in ["xa.nhaplieu", "xa.lanhdao"] {
                let client = clients[user]!
                for report in others {
                    let path = "/api/v1/reports/\(report.id!.uuidString)"
                    #expect(try await client.get(path).status == .forbidden, "\(user) read \(report.unitCode)")
                    #expect(
                        try await client.put(path + "/values", jsonText(["version": report.version, "values": ["6.3.1": "1"]])).status
                            == .forbidden)
                    for action in ["ask_approval", "send"] {
                        #expect(try await client.post(path + "/actions", jsonText(["action": action])).status == .forbidden)
                    }
                }
                // Filters cannot widen the list either.
                let other = others[0].unitCode
                #expect(try await client.get("/api/v1/reports?unit=\(other)").json["reports"]?.array?.isEmpty == true)
                #expect(
                    try await client.get("/api/v1/consolidated?form=egov-2024&period=2024-Q1&unit=\(DemoLoader.provinceCode)").status
                        == .forbidden)
                // Not an id at all: not found.
                for id in ["khong-phai-uuid", "1", UUID().uuidString] {
                    #expect(try await client.get("/api/v1/reports/\(id)").status == .notFound)
                }
            }
            #expect(try await AuditEntry.query(on: app.db).count() == audit)
            #expect(try await ReportValue.query(on: app.db).count() == values)
            #expect(try await Report.query(on: app.db).filter(\.$status != .notStarted).count() == 1) // the demo province's
        }
    }

    // MARK: Workflow

    static func completeCommuneValues() -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in WorkflowTests.completeCommuneForm(version: 0) where key.hasPrefix("v[") {
            values[String(key.dropFirst(2).dropLast())] = value
        }
        return values
    }

    @Test func fillSendReturnResendAcceptReopenThroughTheApi() async throws {
        try await withDemoApp { app in
            let clients = try await Self.clients(app)
            let reporter = clients["xa.nhaplieu"]!, leader = clients["xa.lanhdao"]!, reviewer = clients["sotttt"]!
            let communeCode = try await app.unitCode(kind: .commune)
            let districtCode = try await app.unitCode(kind: .district)
            let commune = try await app.report(unit: communeCode, period: "2024-Q1")
            let path = "/api/v1/reports/\(commune.id!.uuidString)"

            let opened = try await reporter.get(path)
            #expect(opened.status == .ok)
            #expect(opened.json["report"]?["status"]?.string == "not_started")
            #expect(opened.json["report"]?["version"]?.int == 0)
            #expect(opened.json["permissions"]?["canEdit"]?.bool == true)
            #expect(opened.json["validation"]?["canSend"]?.bool == false)

            // 6.3.2 above its total: saved, and flagged in Vietnamese.
            let first = try await reporter.put(
                path + "/values",
                jsonText([
                    "version": 0, "values": ["6.3.1": "1.200", "6.3.2": "1.500"],
                    "narrative": ["achievements": "Đã triển khai một cửa điện tử."]
                ]))
            #expect(first.status == .ok)
            #expect(first.json["report"]?["version"]?.int == 1)
            #expect(first.json["report"]?["status"]?.string == "draft")
            let problems = first.json["validation"]?["problems"]?.array ?? []
            #expect(problems.contains { $0["code"]?.string == "6.3.2" && ($0["message"]?.string ?? "").contains("lớn hơn tổng của nó") })
            let blocked = try await reporter.post(path + "/actions", #"{"action": "ask_approval"}"#)
            #expect(blocked.status == .unprocessableEntity)
            #expect(blocked.reason.contains("Chưa thể gửi"))

            let fixed = try await reporter.put(path + "/values", jsonText(["version": 1, "values": Self.completeCommuneValues()]))
            #expect(fixed.status == .ok)
            #expect(fixed.json["validation"]?["problems"]?.array?.map(\.description) == [])
            #expect(fixed.json["validation"]?["canSend"]?.bool == true)
            let read = try await leader.get(path)
            #expect(read.json["values"]?["6.3.1"]?["raw"]?.string == "1.200")
            #expect(read.json["values"]?["6.3.1"]?["number"]?.number == 1200)
            #expect(read.json["values"]?["6.3.1"]?["note"] == .null)
            #expect(read.json["narrative"]?["achievements"]?.string == "Đã triển khai một cửa điện tử.")
            #expect(read.json["validation"]?["computed"]?["6.3"]?.number.map { abs($0 - 1100.0 / 1200.0 * 100) < 1e-9 } == true)

            let asked = try await reporter.post(path + "/actions", #"{"action": "ask_approval"}"#)
            #expect(asked.status == .ok)
            #expect(asked.json["report"]?["status"]?.string == "awaiting_approval")
            #expect(asked.json["permissions"]?["canEdit"]?.bool == false)
            #expect(try await leader.post(path + "/actions", #"{"action": "send"}"#).json["report"]?["status"]?.string == "sent")

            // Consolidated: counted on the "sent" basis at once, on "accepted" only after acceptance.
            func figure(_ basis: String, unit: String, _ code: String = "6.3.1") async throws -> JSONValue? {
                let response = try await reviewer.get("/api/v1/consolidated?form=egov-2024&period=2024-Q1&unit=\(unit)&basis=\(basis)")
                #expect(response.status == .ok)
                return response.json["figures"]?.array?.first { $0["code"]?.string == code }
            }
            #expect(try await figure("sent", unit: districtCode)?["value"]?.number == 1200)
            #expect(try await figure("sent", unit: districtCode)?["reported"]?.int == 1)
            #expect(try await figure("accepted", unit: districtCode)?["value"] == .null)
            #expect(try await figure("accepted", unit: districtCode)?["reported"]?.int == 0)

            let noComment = try await reviewer.post(path + "/actions", #"{"action": "return", "comment": "  "}"#)
            #expect(noComment.status == .unprocessableEntity)
            #expect(noComment.reason.contains("lý do"))
            let returned = try await reviewer.post(path + "/actions", #"{"action": "return", "comment": "Kiểm tra lại 6.3.1"}"#)
            #expect(returned.json["report"]?["status"]?.string == "returned")
            #expect(try await reporter.get(path).json["reviewComment"]?.string == "Kiểm tra lại 6.3.1")
            #expect(try await leader.post(path + "/actions", #"{"action": "send"}"#).status == .ok)
            let accepted = try await reviewer.post(path + "/actions", #"{"action": "accept"}"#)
            #expect(accepted.json["report"]?["status"]?.string == "accepted")
            #expect(accepted.json["report"]?["acceptedAt"]?.string != nil)
            #expect(accepted.json["permissions"]?["canReopen"]?.bool == true)
            #expect(try await figure("accepted", unit: districtCode)?["value"]?.number == 1200)
            #expect(try await figure("accepted", unit: DemoLoader.provinceCode)?["value"]?.number == 1200)
            let ratio = try await figure("accepted", unit: districtCode, "6.3")?["value"]?.number
            #expect(ratio.map { abs($0 - 1100.0 / 1200.0 * 100) < 1e-9 } == true)

            // Accepted is locked for the unit; the reviewer can reopen it.
            let version = try await app.report(unit: communeCode, period: "2024-Q1").version
            let locked = try await reporter.put(path + "/values", jsonText(["version": version, "values": ["6.3.1": "1"]]))
            #expect(locked.status == .forbidden)
            #expect(locked.reason.contains("Đã tiếp nhận"))
            let reopened = try await reviewer.post(path + "/actions", #"{"action": "reopen", "comment": "Bổ sung số liệu"}"#)
            #expect(reopened.json["report"]?["status"]?.string == "returned")
            #expect(reopened.json["report"]?["revision"]?.int == 2)

            let status = try await reviewer.get("/api/v1/assignments/\(commune.$assignment.id.uuidString)/status")
            #expect(status.status == .ok)
            let rows = status.json["rows"]?.array ?? []
            #expect(rows.count == status.json["total"]?.int)
            #expect(rows.first { $0["unitCode"]?.string == communeCode }?["status"]?.string == "returned")
            #expect(status.json["counts"]?.array?.first { $0["status"]?.string == "returned" }?["count"]?.int == 1)
            #expect(status.json["counts"]?.array?.first { $0["status"]?.string == "accepted" }?["count"]?.int == 1) // the province's
            #expect(try await AuditEntry.query(on: app.db).filter(\.$reportID == commune.id!).filter(\.$action == "status").count() == 7)
        }
    }

    @Test func aStaleSaveIsRefusedWith409AndTheDiff() async throws {
        try await withDemoApp { app in
            let clients = try await Self.clients(app)
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/api/v1/reports/\(report.id!.uuidString)/values"
            #expect(
                try await clients["xa.nhaplieu"]!.put(path, #"{"version": 0, "values": {"6.3.1": "100", "6.3.2": "90"}}"#).status == .ok)
            let stale = try await clients["xa.lanhdao"]!.put(
                path, #"{"version": 0, "values": {"6.3.1": "200", "6.3.2": "90", "6.4.1": "7"}}"#)
            #expect(stale.status == .conflict)
            #expect(stale.json["error"]?.bool == true)
            #expect(stale.reason.contains("đã được lưu bởi người khác"))
            #expect(stale.json["currentVersion"]?.int == 1)
            let changes = stale.json["changes"]?.array ?? []
            #expect(
                changes.map(\.description) == [
                    #"{"code": "6.3.1", "theirs": "100", "yours": "200"}"#,
                    #"{"code": "6.4.1", "theirs": "", "yours": "7"}"#
                ])
            let stored = try await ReportValue.query(on: app.db).filter(\.$report.$id == report.id!).all()
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.code, $0.raw) }) == ["6.3.1": "100", "6.3.2": "90"])
            let retried = try await clients["xa.lanhdao"]!.put(path, #"{"version": 1, "values": {"6.3.1": "200"}}"#)
            #expect(retried.status == .ok)
            #expect(retried.json["report"]?["version"]?.int == 2)
        }
    }

    // MARK: Bad input

    @Test func badInputGets4xxInVietnameseAndWritesNothing() async throws {
        try await withDemoApp { app in
            let clients = try await Self.clients(app)
            let reporter = clients["xa.nhaplieu"]!
            let report = try await app.report(unit: try await app.unitCode(kind: .commune), period: "2024-Q1")
            let path = "/api/v1/reports/\(report.id!.uuidString)"
            let audit = try await AuditEntry.query(on: app.db).count()

            let refused: [(String, HTTPMediaType?, HTTPStatus, String)] = [
                (#"{"version": 0, "values": {"6.3.1": "5""#, .json, .badRequest, "không phải JSON hợp lệ"),
                ("", .json, .badRequest, "Thiếu nội dung JSON"),
                (#"{"values": {"6.3.1": "5"}}"#, .json, .badRequest, "thiếu trường “version”"),
                (#"{"version": "0", "values": {"6.3.1": "5"}}"#, .json, .badRequest, "“version”"),
                (#"{"version": 0, "values": {"6.3.1": true}}"#, .json, .badRequest, #"values["6.3.1"]"#),
                (#"{"version": 0, "values": ["5"]}"#, .json, .badRequest, "“values”"),
                (#"{"version": 0, "values": {"6.3.1": "5"}}"#, .plainText, .unsupportedMediaType, "application/json"),
                (#"{"version": 0, "values": {"6.3.1": "5"}}"#, nil, .unsupportedMediaType, "application/json"),
                (#"{"version": 0, "values": {"6.3.1": "5", "99.9": "1"}}"#, .json, .unprocessableEntity, "không có chỉ tiêu mã 99.9"),
                (
                    #"{"version": 0, "values": {"6.3.1": "5"}, "notes": {"99.9": "ghi chú"}}"#, .json, .unprocessableEntity,
                    "không có chỉ tiêu mã 99.9"
                ),
                (jsonText(["version": 0, "values": ["6.3.1": String(repeating: "9", count: 501)]]), .json, .unprocessableEntity, "quá dài"),
                (#"{"version": 0, "values": {"6.3.1": 1e300}}"#, .json, .unprocessableEntity, "Chỉ tiêu 6.3.1")
            ]
            for (body, contentType, status, message) in refused {
                let response = try await reporter.send(.PUT, path + "/values", body: ByteBuffer(string: body), contentType: contentType)
                #expect(response.status == status, "\(body): \(response.reason)")
                #expect(response.reason.contains(message), "\(body): \(response.reason)")
            }
            // Over 2 MB: refused before anything reads it.
            let huge = jsonText(["version": 0, "values": ["6.3.1": String(repeating: "9", count: 3_000_000)]])
            let tooLarge = try await reporter.put(path + "/values", huge)
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(tooLarge.reason.contains("quá lớn"))
            #expect(try await Self.valueCount(app, report) == 0)
            #expect(try await app.report(unit: report.unitCode, period: "2024-Q1").version == 0)
            #expect(try await AuditEntry.query(on: app.db).count() == audit)

            // Actions and queries.
            let badAction = try await reporter.post(path + "/actions", #"{"action": "xoa"}"#)
            #expect(badAction.status == .badRequest)
            #expect(badAction.reason.contains("ask_approval"))
            #expect(try await reporter.post(path + "/actions", #"{"comment": "x"}"#).status == .badRequest)
            #expect(try await reporter.get("/api/v1/reports?period=quy-1").reason.contains("Kỳ báo cáo “quy-1” không hợp lệ"))
            #expect(try await reporter.get("/api/v1/reports?status=xong").status == .badRequest)
            #expect(try await reporter.get("/api/v1/reports?form=khong-co").status == .badRequest)
            let reviewer = clients["sotttt"]!
            for (query, message) in [
                ("period=2024-Q1", "Thiếu tham số “form”"), ("form=egov-2024", "Thiếu tham số “period”"),
                ("form=khong-co&period=2024-Q1", "không có biểu mẫu"), ("form=egov-2024&period=2024-Q5", "không hợp lệ"),
                ("form=egov-2024&period=2024-Q1&basis=tat-ca", "“basis”"),
                ("form=egov-2024&period=2024-Q1&unit=000.99.99.H05", "không có đơn vị")
            ] {
                let response = try await reviewer.get("/api/v1/consolidated?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.reason.contains(message), "\(query): \(response.reason)")
            }

            // A malformed number is stored as typed and flagged, never guessed; sending stays blocked.
            let typed = try await reporter.put(path + "/values", #"{"version": 0, "values": {"6.3.1": "97.1", "6.3.2": "abc"}}"#)
            #expect(typed.status == .ok)
            let problems = typed.json["validation"]?["problems"]?.array ?? []
            #expect(
                problems.contains {
                    $0["code"]?.string == "6.3.1" && $0["kind"]?.string == "ambiguousNumber"
                        && ($0["message"]?.string ?? "").contains("không rõ nghĩa")
                })
            #expect(problems.contains { $0["code"]?.string == "6.3.2" && $0["kind"]?.string == "notANumber" })
            #expect(typed.json["validation"]?["canSend"]?.bool == false)
            let read = try await reporter.get(path)
            #expect(read.json["values"]?["6.3.1"]?["raw"]?.string == "97.1")
            #expect(read.json["values"]?["6.3.1"]?["number"] == .null)
            // A JSON number is taken as the number it is, kept in Vietnamese notation;
            // null clears a cell and a note explains a warning.
            let numbers = try await reporter.put(
                path + "/values",
                #"{"version": 1, "values": {"6.3.1": 1200, "3": 97.5, "6.3.2": null}, "notes": {"6.3.1": "Theo hệ thống một cửa"}}"#)
            #expect(numbers.status == .ok)
            let after = try await reporter.get(path)
            #expect(after.json["values"]?["6.3.1"]?["raw"]?.string == "1.200")
            #expect(after.json["values"]?["6.3.1"]?["number"]?.number == 1200)
            #expect(after.json["values"]?["6.3.1"]?["note"]?.string == "Theo hệ thống một cửa")
            #expect(after.json["values"]?["3"]?["raw"]?.string == "97,5")
            #expect(after.json["values"]?["6.3.2"] == nil)
        }
    }
}
