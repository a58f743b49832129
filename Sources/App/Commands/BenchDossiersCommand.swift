import ArgumentParser
import Foundation
import ReportingCore

/// `baocao bench dossiers`: BaoCao's dossier summary against DuckDB and pandas
/// on the same generated CSV in the same run; prints what it measured.
struct BenchDossiersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossiers",
        abstract: "Đo tốc độ tính số liệu từ hồ sơ (1 và 10 triệu dòng), so với DuckDB và pandas (pip install duckdb pandas)."
    )

    @Option(help: "Các cỡ tệp (số hồ sơ), cách nhau bởi dấu phẩy.") var sizes: String = "1000000,10000000"
    @Option(help: "Số đơn vị trong tệp sinh ra.") var units: Int = 120
    @Option(help: "Tệp Scripts/bench/dossiers_peers.py (mặc định: tìm trong thư mục hiện tại).") var peers: String?
    @Flag(help: "Chỉ đo BaoCao, không chạy DuckDB và pandas.") var alone = false

    func run() throws {
        let counts = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 200_000_000 }) else {
            throw ValidationError("--sizes phải là các số từ 1 đến 200.000.000, cách nhau bởi dấu phẩy; đang là “\(sizes)”.")
        }
        guard (1...100_000).contains(units) else { throw ValidationError("--units phải từ 1 đến 100.000; đang là \(units).") }
        let script = peers ?? "Scripts/bench/dossiers_peers.py"
        let usePeers = !alone && FileManager.default.fileExists(atPath: script)
        if !alone && !usePeers { print("Không thấy \(script): chỉ đo BaoCao (chạy từ thư mục mã nguồn, hoặc --peers TỆP).") }
        let rows = try DossierBenchmark.run(sizes: counts.compactMap { $0 }, units: units, peersScript: usePeers ? script : nil)
        print(DossierBenchmark.table(rows))
    }
}
