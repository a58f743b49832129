import Fluent
import Foundation
import ReportingCore
import SQLKit
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// `baocao bench consolidate --db`: the consolidating pages end to end over a
/// national tree stored through the app's own schema. For each size it builds
/// the tree (34 provinces with departments and communes), gives every
/// department and commune an accepted report of a form of `indicators` rows,
/// starts the app on a loopback port and times, cold (nothing kept) and warm:
/// the bare read (one SQL statement summing the same values), the
/// consolidated view of the nation and of one province, the dashboard, the
/// targets page, the national consolidated XLSX, and each again after one
/// commune's accepted report changes (with a check that the change shows).
struct BenchConsolidateDB {
    let units: Int
    let indicators: Int
    let sizes: [Int]
    let port: Int

    static let formID = "bench-form"
    static let periodKey = "2024-Q1"
    static let planID = "bench-plan"
    static let password = "bench-password"

    struct Timing {
        let name: String
        let cold: Double
        let warm: Double
    }

    func run() async throws {
        let configured: AppConfig
        do { configured = try AppConfig.fromEnvironment() } catch { throw UserFacingError("Cấu hình sai: \(error)") }
        var first = true
        for size in sizes {
            try await measure(size: size, configured: configured, freshPostgres: !first)
            first = false
        }
    }

    func measure(size: Int, configured: AppConfig, freshPostgres: Bool) async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("baocao-bench-db-\(UUID().uuidString)")
        let forms = work.appendingPathComponent("forms")
        try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try BenchmarkData.formYAML(indicators: indicators, id: Self.formID)
            .write(to: forms.appendingPathComponent("bench-form.yaml"), atomically: true, encoding: .utf8)
        var database = AppConfig.Database.sqliteFile(work.appendingPathComponent("bench.sqlite").path)
        var databaseName = "SQLite"
        if case .postgres = configured.database { (database, databaseName) = (configured.database, "PostgreSQL") }
        let config = AppConfig(
            database: database, dataDirectory: work.path, loadDemo: false, adminPassword: nil, secureCookies: false,
            extraFormsDirectory: forms.path, postgresConnectionsPerLoop: configured.postgresConnectionsPerLoop)
        var environment = Environment.production
        environment.arguments = ["baocao"]
        let app = try await Application.make(environment)
        app.logger.logLevel = .error
        do {
            try await configure(app, config: config)
            let sql = try app.db.requireSQL()
            if case .postgres = config.database {
                if freshPostgres {
                    // The previous size's tables, in the database this run was given empty.
                    try await sql.raw("DROP SCHEMA public CASCADE").run()
                    try await sql.raw("CREATE SCHEMA public").run()
                } else {
                    let tables =
                        try await sql.raw(
                            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
                        ).first()?
                        .decode(column: "n", as: Int.self) ?? 0
                    guard tables == 0 else {
                        throw UserFacingError(
                            "Phép đo cần một cơ sở dữ liệu PostgreSQL trống, nhưng DATABASE_URL đang có \(tables) bảng. Hãy tạo một CSDL mới chỉ để đo (createdb baocao_bench)."
                        )
                    }
                }
            }
            try await app.autoMigrate()
            guard let form = app.library.form(Self.formID) else { throw UserFacingError("Không nạp được biểu mẫu thử.") }
            let tree = try BenchmarkData.tree(units: size)
            let loadStart = Self.now()
            let stored = try await store(tree: tree, form: form, on: app.db)
            let loadTime = Self.now() - loadStart
            app.unitDirectory.invalidate()

            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = port
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            app.http.client.configuration.redirectConfiguration = .disallow
            let base = "http://127.0.0.1:\(port)"
            let cookie = try await Self.signIn(app, base: base, username: "bench.admin")
            guard let admin = try await User.query(on: app.db).filter(\.$username == "bench.admin").first() else {
                throw UserFacingError("Không thấy người dùng thử.")
            }
            let token = try await ApiTokens.issue(for: admin, label: "bench", on: app.db).token
            let headers: HTTPHeaders = ["Cookie": "baocao_session=\(cookie)"]
            let apiHeaders: HTTPHeaders = ["Authorization": "Bearer \(token)"]

            say(
                "BaoCao bench consolidate --db — \(databaseName): \(tree.units.count) đơn vị, \(stored.reports) báo cáo đã tiếp nhận, "
                    + "\(stored.values) giá trị (\(form.slotCount) chỉ tiêu); nạp dữ liệu \(Self.seconds(loadTime)) s")
            let province = "P0"
            let views: [(name: String, path: String)] = [
                ("tổng hợp toàn quốc (GET /consolidated)", "/consolidated?form=\(Self.formID)&period=\(Self.periodKey)&unit=VN"),
                ("tổng hợp một tỉnh", "/consolidated?form=\(Self.formID)&period=\(Self.periodKey)&unit=\(province)"),
                (
                    "biểu đồ (GET /dashboard)",
                    "/dashboard?form=\(Self.formID)&period=\(Self.periodKey)&unit=VN&code=1.1&plan=\(Self.planID)"
                ),
                ("chỉ tiêu (GET /targets)", "/targets?plan=\(Self.planID)&unit=VN&period=\(Self.periodKey)"),
                ("XLSX tổng hợp toàn quốc", "/export?table=consolidated&form=\(Self.formID)&period=\(Self.periodKey)&unit=VN&format=xlsx"),
                ("API tổng hợp toàn quốc", "/api/v1/consolidated?form=\(Self.formID)&period=\(Self.periodKey)&unit=VN")
            ]
            let bare = Timing(
                name: "đọc trần (một câu SQL cộng các giá trị)",
                cold: try await Self.time { try await bareRead(sql) }, warm: try await Self.time { try await bareRead(sql) })
            var timings = [bare]
            for (name, path) in views {
                app.consolidationCache.isEnabled = false
                app.consolidationCache.isEnabled = true
                let cold = try await Self.time {
                    _ = try await get(app, base + path, headers: path.hasPrefix("/api/") ? apiHeaders : headers)
                }
                let warm = try await Self.time {
                    _ = try await get(app, base + path, headers: path.hasPrefix("/api/") ? apiHeaders : headers)
                }
                timings.append(Timing(name: name, cold: cold, warm: warm))
            }

            // One commune's accepted report changes (as a save after reopening does: its
            // value and its version, in one transaction); each view must show it at once.
            let changed = try await changeOneReport(tree: tree, form: form, on: app.db)
            let fresh = try await ConsolidationService(database: app.db, library: app.library, tree: tree)
                .consolidate(formID: Self.formID, periodKey: Self.periodKey)
            let slot = form.slotByCode["1.1"] ?? 0
            let expectedNation = fresh.figures(at: "VN", in: tree)?[slot].value.map { VietnameseNumber.format($0, decimals: 2) } ?? "?"
            let expectedProvince =
                fresh.figures(at: province, in: tree)?[slot].value.map { VietnameseNumber.format($0, decimals: 2) } ?? "?"
            var afterChange: [Timing] = []
            var shown: [String] = []
            var untilAll = 0.0
            for (n, (name, path)) in views.enumerated() {
                var body = ""
                let first = try await Self.time {
                    body = try await get(app, base + path, headers: path.hasPrefix("/api/") ? apiHeaders : headers)
                }
                let again = try await Self.time {
                    _ = try await get(app, base + path, headers: path.hasPrefix("/api/") ? apiHeaders : headers)
                }
                untilAll += first
                afterChange.append(Timing(name: name + " sau khi một báo cáo đổi", cold: first, warm: again))
                let expected = n == 1 ? expectedProvince : expectedNation
                if n <= 2 { shown.append("\(name): \(body.contains(expected) ? "thấy" : "KHÔNG thấy") \(expected)") }
            }
            say("phép đo\tlần đầu_s\tlần sau_s\tso với đọc trần (lần sau)")
            for timing in timings + afterChange {
                say(
                    "\(timing.name)\t\(Self.seconds(timing.cold))\t\(Self.seconds(timing.warm))\t"
                        + String(format: "%.2f×", timing.warm / max(bare.warm, 1e-9)))
            }
            say(
                "Sau khi báo cáo \(changed) đổi (chỉ tiêu 1.1): mọi trang thấy số mới sau \(Self.seconds(untilAll)) s (tổng các lần xem đầu)."
            )
            for line in shown { say("  " + line) }
            let counts = app.consolidationCache.counts
            say(
                "Bộ nhớ đệm tổng hợp: \(counts.hits) lần dùng lại, \(counts.misses) lần tính. Bộ nhớ tối đa của tiến trình: \(Self.peakMemoryMB()) MB"
            )
            await app.server.shutdown()
            try await app.asyncShutdown()
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Units, the administrator, the assignment, a plan on the form and every
    /// accepted report with its values, in bulk SQL (a thousand reports at a time).
    func store(tree: UnitTree, form: CompiledForm, on db: any Database) async throws -> (reports: Int, values: Int) {
        let hash = try Bcrypt.hash(Self.password, cost: 4)
        try await User(username: "bench.admin", displayName: "Quản trị thử", passwordHash: hash, role: .admin, unitCode: "VN").save(on: db)
        let assignment = Assignment(
            formID: Self.formID, periodKey: Self.periodKey, deadline: "2024-03-20", receiverCode: "VN",
            title: "Biểu mẫu thử hiệu năng toàn quốc")
        try await assignment.save(on: db)
        try await StoredPlan(planID: Self.planID, yaml: Self.planYAML).save(on: db)
        let assignmentID = try assignment.requireID()
        let now = Date()
        let counted = form.indicators.indices.filter { !form.indicators[$0].isComputed && !form.indicators[$0].isHeading }
        let r = ReportsTable.self, v = ReportValuesTable.self, u = UnitsTable.self
        let reportColumns = [
            r.id, r.assignmentID, r.unitCode, r.formID, r.periodKey, r.status, r.version, r.revision,
            r.achievements, r.assessment, r.nextTasks, r.proposals, r.sentAt, r.acceptedAt, r.updatedAt, r.documentsRevision
        ]
        let unitRows: [[any SQLExpression]] = tree.units.map { unit in
            [
                SQLBind(UUID()), SQLBind(unit.code), SQLBind(unit.name), SQLBind(unit.kind.rawValue),
                unit.parentCode.map { SQLBind($0) } ?? SQLLiteral.null, SQLLiteral.null, SQLBind("")
            ]
        }
        let reporting = tree.units.indices.filter { tree.units[$0].kind == .department || tree.units[$0].kind == .commune }
        let values = try await db.transaction { db -> Int in
            var values = 0
            let sql = try db.requireSQL()
            try await Self.insert(
                unitRows, into: u.table,
                columns: [u.id, u.code, u.name, u.kind, u.parentCode, u.retiredOn, u.successorCodes], on: sql)
            var start = 0
            while start < reporting.count {
                var reportRows: [[any SQLExpression]] = []
                var valueRows: [[any SQLExpression]] = []
                for index in reporting[start..<min(start + 1_000, reporting.count)] {
                    let id = UUID()
                    reportRows.append([
                        SQLBind(id), SQLBind(assignmentID), SQLBind(tree.units[index].code), SQLBind(Self.formID),
                        SQLBind(Self.periodKey), SQLBind(ReportStatus.accepted.rawValue), SQLBind(3), SQLBind(1),
                        SQLBind(""), SQLBind(""), SQLBind(""), SQLBind(""), SQLBind(now), SQLBind(now), SQLBind(now), SQLBind(0)
                    ])
                    let numbers = BenchmarkData.values(form: form, unit: index)
                    for slot in counted {
                        guard let value = numbers[slot], let number = ExactNumber(rounding: value, scale: 0) else { continue }
                        valueRows.append([
                            SQLBind(UUID()), SQLBind(id), SQLBind(form.indicators[slot].code),
                            SQLBind(VietnameseNumber.format(number)), SQLBind(number.description)
                        ])
                    }
                }
                try await Self.insert(reportRows, into: r.table, columns: reportColumns, on: sql)
                try await Self.insert(valueRows, into: v.table, columns: [v.id, v.reportID, v.code, v.raw, v.number], on: sql)
                values += valueRows.count
                start += 1_000
            }
            return values
        }
        return (reporting.count, values)
    }

    /// Multi-row inserts, each under the databases' limits on bound values.
    static func insert(_ rows: [[any SQLExpression]], into table: String, columns: [String], on sql: any SQLDatabase) async throws {
        let perStatement = max(1, 30_000 / max(columns.count, 1))
        var start = 0
        while start < rows.count {
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert.values(row) }
            try await insert.run()
            start += perStatement
        }
    }

    /// The same values the views consolidate, summed by the database: the physical limit.
    func bareRead(_ sql: any SQLDatabase) async throws {
        let r = ReportsTable.self, v = ReportValuesTable.self
        _ = try await sql.raw(
            """
            SELECT COUNT(*) AS n, SUM(CAST(v.\(ident: v.number) AS DOUBLE PRECISION)) AS total FROM \(ident: v.table) v \
            JOIN \(ident: r.table) r ON r.\(ident: r.id) = v.\(ident: v.reportID) \
            WHERE r.\(ident: r.formID) = \(bind: Self.formID) AND r.\(ident: r.periodKey) = \(bind: Self.periodKey) \
            AND r.\(ident: r.status) = \(bind: ReportStatus.accepted.rawValue)
            """
        ).all()
    }

    /// Adds 1.000.000 to indicator 1.1 of the first commune of P0, with its version, as a save does.
    func changeOneReport(tree: UnitTree, form: CompiledForm, on db: any Database) async throws -> String {
        guard let commune = tree.children(of: "P0").first(where: { $0.kind == .commune }) else { return "?" }
        let r = ReportsTable.self, v = ReportValuesTable.self
        try await db.transaction { db in
            let sql = try db.requireSQL()
            guard
                let row = try await sql.raw(
                    """
                    SELECT v.\(ident: v.id) AS id, v.\(ident: v.number) AS number, r.\(ident: r.id) AS report FROM \(ident: v.table) v \
                    JOIN \(ident: r.table) r ON r.\(ident: r.id) = v.\(ident: v.reportID) \
                    WHERE r.\(ident: r.unitCode) = \(bind: commune.code) AND v.\(ident: v.code) = '1.1'
                    """
                ).first(),
                let old = ExactNumber(machine: try row.decode(column: "number", as: String.self))
            else { return }
            let new = ExactNumber(mantissa: old.mantissa + 1_000_000, scale: old.scale)
            try await sql.update(v.table).set(v.number, to: new.description).set(v.raw, to: VietnameseNumber.format(new))
                .where(v.id, .equal, try row.decode(column: "id", as: UUID.self)).run()
            try await sql.raw(
                """
                UPDATE \(ident: r.table) SET \(ident: r.version) = \(ident: r.version) + 1, \(ident: r.updatedAt) = \(bind: Date()) \
                WHERE \(ident: r.id) = \(bind: try row.decode(column: "report", as: UUID.self))
                """
            ).run()
        }
        return commune.code
    }

    static let planYAML = """
        id: bench-plan
        title: "Kế hoạch thử hiệu năng"
        groups:
          - code: "I"
            name: "Nhóm thử"
            targets:
              - code: "I.1"
                name: "Tỷ lệ 1 đạt tối thiểu 50%"
                responsible: "Đơn vị thử"
                unit: percent
                threshold: {op: ">=", value: 50, wording: "đạt tối thiểu 50%"}
                applies_to: [province, department, commune]
                indicator: "bench-form:1"
              - code: "I.2"
                name: "Tỷ lệ 2 đạt tối thiểu 80%"
                responsible: "Đơn vị thử"
                unit: percent
                threshold: {op: ">=", value: 80, wording: "đạt tối thiểu 80%"}
                applies_to: [province, department, commune]
                indicator: "bench-form:2"
        """

    @discardableResult
    func get(_ app: Application, _ url: String, headers: HTTPHeaders) async throws -> String {
        let response = try await app.client.get(URI(string: url), headers: headers)
        guard response.status == .ok else {
            throw UserFacingError("\(url): \(response.status) \(response.body.map { String(buffer: $0).prefix(300) } ?? "")")
        }
        return response.body.map { String(buffer: $0) } ?? ""
    }

    /// Signs in through the login form as a browser does, and returns the session cookie.
    static func signIn(_ app: Application, base: String, username: String) async throws -> String {
        let page = try await app.client.get(URI(string: base + "/login"))
        guard let nonce = page.headers.setCookie?[CSRF.nonceCookie]?.string,
            let csrf = page.body.map({ String(buffer: $0) })?.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1
        else {
            throw UserFacingError("Không lấy được phiên đăng nhập để đo.")
        }
        let response = try await app.client.post(URI(string: base + "/login"), headers: ["Cookie": "\(CSRF.nonceCookie)=\(nonce)"]) {
            request in
            try request.content.encode(["csrf": String(csrf), "username": username, "password": password], as: .urlEncodedForm)
        }
        guard response.status == .seeOther, let cookie = response.headers.setCookie?["baocao_session"]?.string else {
            throw UserFacingError("Đăng nhập \(username) thất bại: \(response.status)")
        }
        return cookie
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func time(_ body: () async throws -> Void) async throws -> Double {
        let start = now()
        try await body()
        return now() - start
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    static func peakMemoryMB() -> Int {
        #if canImport(Glibc)
            var usage = rusage()
            guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
            return usage.ru_maxrss / 1024 // kilobytes on Linux
        #else
            return 0
        #endif
    }
}
