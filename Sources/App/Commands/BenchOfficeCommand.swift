import ArgumentParser
import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Vapor

/// `baocao bench office`: in one run, our XLSX writer against XlsxWriter and
/// our reader against python-calamine on the same 11,000 × 30 table, and the
/// Word report of the demo province. Prints what it measured and the ratios
/// against the goals; it asserts nothing.
struct BenchOfficeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office",
        abstract:
            "Đo hiệu năng Excel/Word: ghi và đọc bảng 11.000 × 30 (so với XlsxWriter và python-calamine), tạo báo cáo Word của tỉnh mẫu."
    )

    @ArgumentParser.Option(help: "Số dòng của bảng.") var rows: Int = 11_000
    @ArgumentParser.Option(help: "Số cột của bảng.") var columns: Int = 30
    @ArgumentParser.Option(help: "Số lần đo bảng; lấy thời gian tốt nhất.") var repeats: Int = 3
    @ArgumentParser.Option(help: "Số lần tạo báo cáo Word; lấy trung vị.") var documents: Int = 20
    @ArgumentParser.Option(help: "Đường dẫn Scripts/office/bench.py (mặc định: tìm từ thư mục hiện tại).") var script: String?
    @ArgumentParser.Option(help: "Trình thông dịch Python.") var python: String = "python3"

    func run() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("baocao-bench-office-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        #if DEBUG
            say("BaoCao bench office — bản debug: số đo chậm hơn nhiều so với bản release (swift build -c release).")
        #else
            say("BaoCao bench office — bản release.")
        #endif

        // 1. Our writer and reader.
        let ours = work.appendingPathComponent("baocao-table.xlsx")
        var writes: [Double] = [], reads: [Double] = []
        var bytes = 0
        for _ in 0..<max(repeats, 1) {
            let result = try OfficeBenchmark.run(rows: rows, columns: columns, writingTo: ours)
            writes.append(result.writeSeconds)
            reads.append(result.readSeconds)
            bytes = result.fileBytes
        }

        // Where the writing time goes: the same table with the parts stored, not deflated.
        let table = OfficeBenchmark.sampleTable(rows: rows, columns: columns)
        var stored: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(repeats, 1) {
            let start = clock.now
            _ = try XLSXWriter(compression: .store).writeTable(sheetName: "Data", header: table.header, rows: table.rows)
            stored.append(seconds(clock.now - start))
        }

        // 2. XlsxWriter writing the same table; calamine reading our file.
        let bench = try locateScript()
        try ensurePythonModules()
        var xlsxwriter: [Double] = [], calamine: [Double] = []
        var xlsxwriterBytes = 0
        for _ in 0..<max(repeats, 1) {
            let written = try runPython([
                bench, "write", work.appendingPathComponent("xlsxwriter-table.xlsx").path,
                "--rows", String(rows), "--columns", String(columns)
            ])
            xlsxwriter.append(written.seconds)
            xlsxwriterBytes = written.bytes
            calamine.append(try runPython([bench, "read", ours.path]).seconds)
        }

        // 3. The demo province's Word report, on in-memory SQLite.
        let docx = try await documentTimes(work)

        let write = writes.min()!, read = reads.min()!, xw = xlsxwriter.min()!, cal = calamine.min()!
        say("")
        say("Bảng \(rows) dòng × \(columns) cột, tốt nhất của \(max(repeats, 1)) lần:")
        say("phép đo\tgiây\tMB")
        say("XLSX ghi — BaoCao (XLSXWriter.writeTable)\t\(fmt(write))\t\(mb(bytes))")
        say("  trong đó không nén (phần XML; còn lại là nén deflate)\t\(fmt(stored.min()!))\t")
        say("XLSX ghi — XlsxWriter (Python)\t\(fmt(xw))\t\(mb(xlsxwriterBytes))")
        say("XLSX đọc — BaoCao (XLSXReader)\t\(fmt(read))\t\(mb(bytes))")
        say("XLSX đọc — python-calamine (cùng tệp)\t\(fmt(cal))\t\(mb(bytes))")
        say("")
        let writeRatio = xw / write, readRatio = read / cal
        say(
            "Ghi: BaoCao nhanh hơn XlsxWriter \(String(format: "%.1f", writeRatio)) lần (mục tiêu ≥ 5): \(writeRatio >= 5 ? "ĐẠT" : "CHƯA ĐẠT")"
        )
        say(
            "Đọc: BaoCao mất \(String(format: "%.2f", readRatio)) lần thời gian của calamine (mục tiêu ≤ 2): \(readRatio <= 2 ? "ĐẠT" : "CHƯA ĐẠT")"
        )
        say("")
        say("Báo cáo Word của UBND tỉnh Bắc Giang (dữ liệu mẫu), trung vị / tốt nhất của \(max(documents, 1)) lần:")
        say("báo cáo\tđọc CSDL ms\tdựng + ghi DOCX ms\ttổng ms\tKB\ttrang phụ lục")
        for row in docx {
            say(
                "\(row.name)\t\(ms(row.load.median))\t\(ms(row.build.median)) / \(ms(row.build.best))\t\(ms(row.total.median)) / \(ms(row.total.best))\t\(row.bytes / 1024)\t\(row.appendices)"
            )
        }
        let worst = docx.map(\.total.median).max() ?? 0
        say("DOCX: trung vị chậm nhất \(ms(worst)) ms (mục tiêu < 100 ms): \(worst < 0.1 ? "ĐẠT" : "CHƯA ĐẠT")")
    }

    // MARK: Word

    struct Times {
        var median: Double
        var best: Double
        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            median = sorted[sorted.count / 2]
            best = sorted.first ?? 0
        }
    }

    struct DocumentRow {
        let name: String
        let load: Times
        let build: Times
        let total: Times
        let bytes: Int
        let appendices: Int
    }

    func documentTimes(_ work: URL) async throws -> [DocumentRow] {
        let config = AppConfig(
            database: .sqliteMemory, dataDirectory: work.path, loadDemo: false, adminPassword: nil,
            secureCookies: false, extraFormsDirectory: nil)
        let app = try await ApplicationRunner.benchmarkDemo(config: config)
        do {
            try await addRegister(app)
            let tree = try await app.unitDirectory.tree(on: app.db)
            let source = ExportSource(database: app.db, library: app.library, tree: tree, cache: app.consolidationCache)
            let builder = OfficialReportBuilder(source: source)
            var options = OfficialReportBuilder.Options()
            options.date = CivilDate(year: 2024, month: 3, day: 14)
            var rows: [DocumentRow] = []
            for (name, period) in [
                ("Quý I/2024 (20 văn bản, số liệu, chỉ tiêu)", "2024-Q1"), ("6 tháng 2024 (chỉ tiêu KH 48, đơn vị chưa đạt)", "2024-H1")
            ] {
                let report = try await source.report(unit: DemoLoader.provinceCode, period: period, form: "egov-2024")
                var loads: [Double] = [], builds: [Double] = [], totals: [Double] = []
                var size = 0, appendices = 0
                let clock = ContinuousClock()
                for _ in 0..<max(documents, 1) {
                    let start = clock.now
                    let content = try await builder.load(report, options: options)
                    let loaded = clock.now
                    let data = try DOCXWriter().write(OfficialReportBuilder.document(content, options: options))
                    let end = clock.now
                    loads.append(seconds(loaded - start))
                    builds.append(seconds(end - loaded))
                    totals.append(seconds(end - start))
                    size = data.count
                    appendices = (content.data.documents.isEmpty ? 0 : 1) + 1 + content.targets.count
                }
                rows.append(
                    DocumentRow(
                        name: name, load: Times(loads), build: Times(builds), total: Times(totals),
                        bytes: size, appendices: appendices))
            }
            try await app.asyncShutdown()
            return rows
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Twenty documents in the Quý I register, so Phụ lục I is measured too (bench data, not from a seed).
    func addRegister(_ app: Application) async throws {
        guard
            let report = try await Report.query(on: app.db).filter(\.$unitCode == DemoLoader.provinceCode)
                .filter(\.$periodKey == "2024-Q1").first(), let id = report.id
        else { return }
        let kinds: [DocumentKind] = [.decision, .plan, .plan, .officialLetter, .notice]
        try await app.db.transaction { db in
            for n in 1...20 {
                let kind = kinds[n % kinds.count]
                try await DocumentEntry(
                    reportID: id, kind: kind.rawValue, number: "\(100 + n)/\(kind.abbreviation)-UBND",
                    issuedOn: CivilDate(year: 2024, month: 1 + n % 3, day: 1 + n).description,
                    issuer: "UBND tỉnh", summary: "triển khai nhiệm vụ chuyển đổi số số \(n) (dữ liệu đo hiệu năng)"
                ).save(on: db)
            }
        }
    }

    // MARK: Python

    struct PythonResult: Decodable {
        let seconds: Double
        let bytes: Int
    }

    func locateScript() throws -> String {
        if let script {
            guard FileManager.default.fileExists(atPath: script) else { throw UserFacingError("Không có tệp \(script).") }
            return script
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        for base in candidates {
            let path = base.appendingPathComponent("Scripts/office/bench.py").path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw UserFacingError("Không tìm thấy Scripts/office/bench.py; chạy lệnh từ thư mục mã nguồn hoặc dùng --script.")
    }

    /// Installs XlsxWriter and python-calamine with pip when they are missing.
    func ensurePythonModules() throws {
        if (try? runProcess([python, "-c", "import xlsxwriter, python_calamine"])) != nil { return }
        say("Cài XlsxWriter và python-calamine (pip)…")
        _ = try runProcess([python, "-m", "pip", "install", "-q", "XlsxWriter", "python-calamine"])
    }

    func runPython(_ arguments: [String]) throws -> PythonResult {
        let output = try runProcess([python] + arguments)
        guard let line = output.split(separator: "\n").last,
            let result = try? JSONDecoder().decode(PythonResult.self, from: Data(line.utf8))
        else {
            throw UserFacingError("bench.py trả về kết quả không đọc được: \(output)")
        }
        return result
    }

    @discardableResult
    func runProcess(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw UserFacingError("\(arguments.joined(separator: " ")) thất bại (mã \(process.terminationStatus)): \(message)")
        }
        return output
    }

    func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    func fmt(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
    func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
    func mb(_ bytes: Int) -> String { String(format: "%.2f", Double(bytes) / 1_048_576) }
}
