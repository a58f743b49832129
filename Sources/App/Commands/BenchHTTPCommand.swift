import ArgumentParser
import Fluent
import Foundation
import ReportingCore
import Vapor

/// `baocao bench http`: the app under wrk, in one run — a 60-row form page, a
/// durable save, and a bare route as the ceiling. On SQLite in a fresh file,
/// or on PostgreSQL when DATABASE_URL names an empty database.
struct BenchHTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Đo hiệu năng HTTP (cần wrk: apt-get install wrk): trang biểu mẫu 60 dòng, lưu số liệu, và một route trống làm trần."
    )

    @ArgumentParser.Option(help: "Cổng thử.") var port: Int = 18_181
    @ArgumentParser.Option(help: "Số kết nối đồng thời.") var connections: Int = 64
    @ArgumentParser.Option(help: "Thời gian mỗi phép đo (giây).") var seconds: Int = 10
    @ArgumentParser.Option(help: "Số dòng của biểu mẫu thử.") var rows: Int = 60
    @ArgumentParser.Option(help: "Chỉ đo một phép (bare, page, save), ví dụ khi chạy cùng perf.") var only: String?

    /// wrk's threads for every measurement: one per core of this machine's two.
    static let threads = 2

    struct Measurement {
        let name: String
        let requestsPerSecond: Double
        let p50: Double
        let p99: Double
        let errors: Int
        /// Requests the save script could not make saves (printed by its `done`).
        var strays: Int?
    }

    func run() async throws {
        guard let wrk = Self.which("wrk") else {
            throw UserFacingError("Không tìm thấy wrk. Cài bằng: apt-get install wrk")
        }
        guard connections >= Self.threads, connections % Self.threads == 0 else {
            throw UserFacingError(
                "--connections phải là số chẵn, từ \(Self.threads) trở lên (mỗi luồng của wrk giữ một nửa số kết nối); đang là \(connections)."
            )
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("baocao-bench-\(UUID().uuidString)")
        let forms = work.appendingPathComponent("forms")
        try FileManager.default.createDirectory(at: forms, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try BenchmarkData.formYAML(indicators: rows).write(
            to: forms.appendingPathComponent("bench-form.yaml"), atomically: true, encoding: .utf8)

        // SQLite in a fresh file, or the empty PostgreSQL database DATABASE_URL names.
        let configured: AppConfig
        do { configured = try AppConfig.fromEnvironment() } catch { throw UserFacingError("Cấu hình sai: \(error)") }
        var database = AppConfig.Database.sqliteFile(work.appendingPathComponent("bench.sqlite").path)
        var databaseName = "SQLite"
        if case .postgres = configured.database { (database, databaseName) = (configured.database, "PostgreSQL") }
        let config = AppConfig(
            database: database, dataDirectory: work.path, loadDemo: false, adminPassword: nil, secureCookies: false,
            extraFormsDirectory: forms.path, postgresConnectionsPerLoop: configured.postgresConnectionsPerLoop)
        let app = try await ApplicationRunner.benchmarkDemo(config: config)
        do {
            let sessions = try await prepareReports(app)
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = port
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            app.http.client.configuration.redirectConfiguration = .disallow
            let logins = try await signIn(app, sessions)

            let base = "http://127.0.0.1:\(port)"
            let pageScript = work.appendingPathComponent("page.lua")
            try """
            wrk.headers["Cookie"] = "baocao_session=\(logins[0].cookie)"
            """.write(to: pageScript, atomically: true, encoding: .utf8)
            let saveScript = work.appendingPathComponent("save.lua")
            try saveLua(logins, threads: Self.threads).write(to: saveScript, atomically: true, encoding: .utf8)

            let sample = try await app.client.get(
                URI(string: base + "/reports/\(logins[0].reportID)"), headers: ["Cookie": "baocao_session=\(logins[0].cookie)"])
            let pageBytes = sample.body?.readableBytes ?? 0
            say(
                "BaoCao bench http — \(databaseName), \(connections) kết nối, \(seconds) giây mỗi phép đo, biểu mẫu \(rows) dòng (trang \(VietnameseNumber.format(ExactNumber(pageBytes))) byte)"
            )
            if let only, !["bare", "page", "save"].contains(only) {
                throw UserFacingError("--only nhận bare, page hoặc save, không nhận “\(only)”.")
            }
            func wanted(_ name: String) -> Bool { only == nil || only == name }
            var results: [Measurement] = []
            var cacheNote: String?
            var commitNote: String?
            if wanted("bare") {
                results.append(try measure(wrk, name: "route trống (trần)", url: base + "/bench/bare", threads: Self.threads, script: nil))
            }
            if wanted("page") {
                // Repeat views of an unchanged page come from ReportPageCache; a first
                // view (or one after any change) renders. Both are measured.
                let pageURL = base + "/reports/\(logins[0].reportID)"
                let before = app.reportPageCache.counts
                results.append(
                    try measure(
                        wrk, name: "GET trang biểu mẫu (xem lại, bộ nhớ đệm)", url: pageURL, threads: Self.threads, script: pageScript))
                let after = app.reportPageCache.counts
                cacheNote =
                    "Bộ nhớ đệm trang: \(after.hits - before.hits) lần dùng (\(after.eventLoopHits - before.eventLoopHits) lần trả ngay từ một lần đọc phiên), \(after.misses - before.misses) lần phải dựng lại."
                app.reportPageCache.isEnabled = false
                results.append(
                    try measure(wrk, name: "GET trang biểu mẫu (dựng mới mỗi lần)", url: pageURL, threads: Self.threads, script: pageScript)
                )
                app.reportPageCache.isEnabled = true
            }
            if wanted("save") {
                results.append(try measure(wrk, name: "POST lưu số liệu", url: base, threads: Self.threads, script: saveScript))
                if let gate = app.writeGate {
                    let (commits, saves) = (await gate.groupCommits, await gate.groupedSaves)
                    commitNote =
                        "Ghi bền vững: \(saves) lần lưu trong \(commits) lần ghi đĩa (trung bình \(String(format: "%.1f", Double(saves) / Double(max(commits, 1)))) lần lưu mỗi lần), kể cả lúc khởi động đo."
                }
            }
            // The ratio needs the ceiling; a partial run prints absolute figures only.
            let ceiling = only == nil ? results[0] : nil
            say("phép đo\treq/s\tp50_ms\tp99_ms\tlỗi\tso với trần")
            for m in results {
                let ratio = ceiling.map { String(format: "%.1f%%", m.requestsPerSecond / max($0.requestsPerSecond, 1) * 100) } ?? "—"
                say(
                    "\(m.name)\t\(Int(m.requestsPerSecond))\t\(String(format: "%.2f", m.p50))\t\(String(format: "%.2f", m.p99))\t\(m.errors)\t\(ratio)"
                )
            }
            for m in results {
                if let strays = m.strays {
                    say(
                        strays == 0
                            ? "\(m.name): mọi yêu cầu đều là lần lưu hoặc lần đọc trang để biết phiên bản."
                            : "\(m.name): \(strays) yêu cầu không phải lần lưu (không còn báo cáo rảnh); kết quả này không đáng tin.")
                }
            }
            if let cacheNote { say(cacheNote) }
            if let commitNote { say(commitNote) }
            let saved = try await AuditEntry.query(on: app.db).filter(\.$action == "value").count()
            say("Số thay đổi giá trị đã ghi bền vững trong CSDL (nhật ký): \(saved)")
            // Let the requests wrk left in flight finish before the database closes.
            try await Task.sleep(for: .seconds(2))
            await app.server.shutdown()
            try await app.asyncShutdown()
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }

    struct Session {
        let username: String
        let reportID: String
    }

    struct Login {
        let cookie: String
        let csrf: String
        let reportID: String
    }

    /// One unit, one reporter and one report per connection, so that saves
    /// never conflict, and one spare per wrk thread (see `saveLua`).
    func prepareReports(_ app: Application) async throws -> [Session] {
        let hash = try Bcrypt.hash("bench-password", cost: 4)
        let connections = self.connections
        let sessions = try await app.db.transaction { db -> [Session] in
            var sessions: [Session] = []
            let assignment = Assignment(
                formID: "bench-form", periodKey: "2024-Q1", deadline: "2024-03-20",
                receiverCode: DemoLoader.provinceCode, title: "Biểu mẫu thử hiệu năng")
            try await assignment.save(on: db)
            for n in 0..<(connections + Self.threads) {
                let code = "BENCH.\(n)"
                try await UnitRecord(ReportingUnit(code: code, name: "Xã thử \(n)", kind: .commune, parentCode: DemoLoader.provinceCode))
                    .save(on: db)
                try await User(username: "bench\(n)", displayName: "Thử \(n)", passwordHash: hash, role: .reporter, unitCode: code).save(
                    on: db)
                let report = Report(assignmentID: assignment.id!, unitCode: code, formID: "bench-form", periodKey: "2024-Q1")
                try await report.save(on: db)
                sessions.append(Session(username: "bench\(n)", reportID: report.id!.uuidString))
            }
            return sessions
        }
        app.unitDirectory.invalidate()
        return sessions
    }

    func signIn(_ app: Application, _ sessions: [Session]) async throws -> [Login] {
        var logins: [Login] = []
        let base = "http://127.0.0.1:\(port)"
        for session in sessions {
            let page = try await app.client.get(URI(string: base + "/login"))
            // A visitor has no session yet: the login form's token goes with the `baocao_csrf` cookie.
            guard let nonce = page.headers.setCookie?[CSRF.nonceCookie]?.string,
                let csrf = page.body.map({ String(buffer: $0) })?.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1
            else {
                throw UserFacingError("Không lấy được phiên đăng nhập để đo.")
            }
            let response = try await app.client.post(URI(string: base + "/login"), headers: ["Cookie": "\(CSRF.nonceCookie)=\(nonce)"]) {
                request in
                try request.content.encode(
                    ["csrf": String(csrf), "username": session.username, "password": "bench-password"], as: .urlEncodedForm)
            }
            guard response.status == .seeOther else { throw UserFacingError("Đăng nhập \(session.username) thất bại: \(response.status)") }
            guard let sessionCookie = response.headers.setCookie?["baocao_session"]?.string else {
                throw UserFacingError("Đăng nhập \(session.username) không nhận được phiên.")
            }
            // The signed-in session has its own CSRF token: read it from a page.
            let home = try await app.client.get(URI(string: base + "/tokens"), headers: ["Cookie": "baocao_session=\(sessionCookie)"])
            guard let sessionToken = home.body.map({ String(buffer: $0) })?.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1 else {
                throw UserFacingError("Không lấy được mã CSRF của phiên \(session.username).")
            }
            logins.append(Login(cookie: sessionCookie, csrf: String(sessionToken), reportID: session.reportID))
        }
        return logins
    }

    /// Two wrk threads, as for the other measurements, each with half the
    /// connections and one report more: a connection takes a report no other
    /// request has in flight, saves it, and gives it back when the answer
    /// (a 303 to /reports/ID?saved=VERSION, or the page) says its new version.
    /// One thread per connection would have spent the cores the server needs.
    /// The spare is for the request wrk asks the first thread for and never
    /// sends (it checks the script with it).
    func saveLua(_ logins: [Login], threads: Int) -> String {
        let table = logins.map { "{cookie=\"\($0.cookie)\", csrf=\"\($0.csrf)\", path=\"/reports/\($0.reportID)\"}" }.joined(
            separator: ",\n")
        return """
            local sessions = {
            \(table)
            }
            local perThread = \(logins.count / threads)
            local counter = 0
            local threads = {}
            function setup(thread)
              thread:set("first", counter * perThread + 1)
              counter = counter + 1
              table.insert(threads, thread)
            end
            function init(args)
              free, versions, byPath, sequence, strays = {}, {}, {}, 0, 0
              for i = first, first + perThread - 1 do
                table.insert(free, i)
                byPath[sessions[i].path] = i
              end
            end
            local function escape(s)
              return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
            end
            function request()
              local i = table.remove(free)
              if i == nil then  -- never, with one report per connection: counted, to be sure
                strays = strays + 1
                return wrk.format("GET", "/bench/bare")
              end
              local session = sessions[i]
              if versions[i] == nil then
                -- Its version is learnt from the page first: the warm-up run moved it on.
                return wrk.format("GET", session.path, {["Cookie"] = "baocao_session=" .. session.cookie})
              end
              sequence = sequence + 1
              local total = 1000 + (sequence % 500)
              local body = "csrf=" .. escape(session.csrf) .. "&version=" .. versions[i] ..
                "&v%5B1.1%5D=" .. total .. "&v%5B1.2%5D=" .. math.floor(total / 2)
              return wrk.format("POST", session.path, {
                ["Cookie"] = "baocao_session=" .. session.cookie,
                ["Content-Type"] = "application/x-www-form-urlencoded"
              }, body)
            end
            function response(status, headers, body)
              local location = headers["Location"] or headers["location"]
              local path, version
              if location then
                path, version = location:match("^(/reports/[^?]+)%?saved=(%d+)")
              else
                -- The page (the first request for a report, or a refused save) names its report and version.
                path = body:match('action="(/reports/[^"/]+)"')
                version = body:match('name="version" value="(%d+)"')
              end
              local i = path and byPath[path]
              if i then
                versions[i] = tonumber(version)
                table.insert(free, i)
              end
            end
            function done(summary, latency, requests)
              local total = 0
              for _, thread in ipairs(threads) do total = total + thread:get("strays") end
              io.write(string.format("stray requests: %d\\n", total))
            end
            """
    }

    func measure(_ wrk: String, name: String, url: String, threads: Int, script: URL?) throws -> Measurement {
        // Two seconds of the same load first, not counted: connections opened,
        // caches and SQLite's pages warm, as in a server that has been running.
        _ = try run(wrk, ["-t", String(threads), "-c", String(connections), "-d", "2s"] + (script.map { ["-s", $0.path] } ?? []) + [url])
        Thread.sleep(forTimeInterval: 1) // requests the warm-up left in flight finish first
        var arguments = ["-t", String(threads), "-c", String(connections), "-d", "\(seconds)s", "--latency"]
        if let script { arguments += ["-s", script.path] }
        arguments.append(url)
        let output = try run(wrk, arguments)
        func latency(_ label: String) -> Double {
            guard let pattern = try? Regex("\\s\(label)%\\s+([0-9.]+)(us|ms|s)"), let match = output.firstMatch(of: pattern),
                let value = Double(match.output[1].substring ?? "")
            else { return .nan }
            switch match.output[2].substring ?? "" {
            case "us": return value / 1000
            case "s": return value * 1000
            default: return value
            }
        }
        let rps = output.firstMatch(of: /Requests\/sec:\s+([0-9.]+)/).flatMap { Double($0.1) } ?? 0
        let errors = output.firstMatch(of: /Non-2xx or 3xx responses:\s+(\d+)/).flatMap { Int($0.1) } ?? 0
        let strays = output.firstMatch(of: /stray requests: (\d+)/).flatMap { Int($0.1) }
        return Measurement(name: name, requestsPerSecond: rps, p50: latency("50"), p99: latency("99"), errors: errors, strays: strays)
    }

    func run(_ wrk: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }

    static func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
