import Foundation

/// `baocao bench dossiers`: generates dossier files of each size, times
/// BaoCao's summarize on them, runs the DuckDB and pandas peers on the same
/// file in the same run (Scripts/bench/dossiers_peers.py), checks that every
/// engine found the same aggregates, and prints the times with their ratios.
public enum DossierBenchmark {
    /// The counters the peers compute too.
    public static let comparedCounters: [DossierCounter] = [
        .received, .receivedFull, .receivedFullOnline, .receivedPartial, .receivedPartialOnline, .receivedOnline,
        .receivedWithFees, .receivedPaidOnline, .finished, .finishedOnTime, .finishedRated, .finishedSatisfied,
        .proceduresOnlineService
    ]

    public struct Engine: Sendable {
        public var name: String
        public var seconds: Double?
        /// Nil when the engine ran and agreed; otherwise why its figures are not comparable.
        public var problem: String?
    }

    public struct Row: Sendable {
        public var rows: Int
        public var bytes: Int
        public var baocao: Double
        public var peers: [Engine]
    }

    /// Runs every size; `peersScript` is the path of dossiers_peers.py (nil: BaoCao only).
    public static func run(
        sizes: [Int] = [1_000_000, 10_000_000], units: Int = 120, period: Period = .quarter(1, 2024),
        directory: URL = FileManager.default.temporaryDirectory, peersScript: String?, python: String = "python3",
        log: (String) -> Void = { print($0) }
    ) throws -> [Row] {
        var results: [Row] = []
        for size in sizes {
            let path = directory.appendingPathComponent("baocao-dossiers-\(size)-\(ProcessInfo.processInfo.processIdentifier).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            var generator = DossierGenerator(seed: 2024, units: DossierGenerator.unitCodes(units), period: period)
            log("Tạo \(VietnameseNumber.format(ExactNumber(size))) hồ sơ…")
            try generator.write(rows: size, to: path)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let clock = ContinuousClock()
            var summary: DossierSummary?
            let elapsed = try clock.measure { summary = try DossierSummarizer(period: period).summarize(path: path) }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            var peers: [Engine] = []
            if let peersScript, let summary {
                peers = runPeers(script: peersScript, python: python, path: path, period: period, summary: summary)
            }
            let row = Row(rows: size, bytes: bytes, baocao: seconds, peers: peers)
            log(table([row]).split(separator: "\n").last.map(String.init) ?? "")
            results.append(row)
        }
        return results
    }

    static func runPeers(script: String, python: String, path: String, period: Period, summary: DossierSummary) -> [Engine] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, script, path, "--from", period.cutOff.lowerBound.description, "--to", period.cutOff.upperBound.description
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do { try process.run() } catch { return [Engine(name: "duckdb", problem: "không chạy được \(python): \(error)")] }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return [Engine(name: "duckdb", problem: "kết quả của \(script) không phải JSON")]
        }
        return object.keys.sorted().map { name in
            guard let engine = object[name] as? [String: Any] else { return Engine(name: name, problem: "không có kết quả") }
            if let error = engine["error"] as? String { return Engine(name: name, problem: error) }
            let seconds = engine["seconds"] as? Double
            let aggregates = engine["aggregates"] as? [String: [String: Any]] ?? [:]
            return Engine(name: name, seconds: seconds, problem: disagreement(aggregates, summary))
        }
    }

    /// Nil when the peer found the same count for every unit and compared counter.
    static func disagreement(_ aggregates: [String: [String: Any]], _ summary: DossierSummary) -> String? {
        let units = Set(aggregates.keys).union(summary.units.keys)
        for unit in units.sorted() {
            let ours = summary.units[unit] ?? DossierUnitCounts()
            for counter in comparedCounters {
                let theirs = (aggregates[unit]?[counter.key] as? NSNumber)?.intValue ?? 0
                if theirs != ours[counter] {
                    return "khác số liệu: đơn vị \(unit), \(counter.key): BaoCao \(ours[counter]), peer \(theirs)"
                }
            }
        }
        return nil
    }

    /// The table the command prints: times and how many times slower each peer is.
    public static func table(_ rows: [Row]) -> String {
        func seconds(_ value: Double) -> String { VietnameseNumber.format(value, decimals: 2) + " s" }
        var lines = [
            "| Số hồ sơ | Tệp (MB) | BaoCao | DuckDB | pandas | DuckDB / BaoCao | pandas / BaoCao | Khớp số liệu |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        ]
        for row in rows {
            let duck = row.peers.first { $0.name == "duckdb" }, pandas = row.peers.first { $0.name == "pandas" }
            func time(_ engine: Engine?) -> String { engine?.seconds.map(seconds) ?? "—" }
            func ratio(_ engine: Engine?) -> String {
                guard let value = engine?.seconds, row.baocao > 0 else { return "—" }
                return VietnameseNumber.format(value / row.baocao, decimals: 2) + "×"
            }
            let problems = row.peers.compactMap { engine in engine.problem.map { "\(engine.name): \($0)" } }
            let agree = row.peers.isEmpty ? "không so sánh" : (problems.isEmpty ? "có" : problems.joined(separator: "; "))
            lines.append(
                "| \(VietnameseNumber.format(ExactNumber(row.rows))) | \(VietnameseNumber.format(Double(row.bytes) / 1e6, decimals: 0)) | "
                    + "\(seconds(row.baocao)) | \(time(duck)) | \(time(pandas)) | \(ratio(duck)) | \(ratio(pandas)) | \(agree) |")
        }
        return lines.joined(separator: "\n")
    }
}
