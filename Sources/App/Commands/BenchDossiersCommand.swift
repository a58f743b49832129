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

    @Option(name: [.customLong("rows"), .customLong("sizes")], help: "Các cỡ tệp (số hồ sơ), cách nhau bởi dấu phẩy.")
    var sizes: String = "1000000,10000000"
    @Option(help: "Số đơn vị trong tệp sinh ra.") var units: Int = 120
    @Option(help: "Tệp Scripts/bench/dossiers_peers.py (mặc định: tìm trong thư mục hiện tại).") var peers: String?
    @Flag(help: "Chỉ đo BaoCao, không chạy DuckDB và pandas.") var alone = false

    func run() throws {
        let counts = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 200_000_000 }) else {
            throw ValidationError("--rows phải là các số từ 1 đến 200.000.000, cách nhau bởi dấu phẩy; đang là “\(sizes)”.")
        }
        guard (1...100_000).contains(units) else { throw ValidationError("--units phải từ 1 đến 100.000; đang là \(units).") }
        let script = peers ?? "Scripts/bench/dossiers_peers.py"
        let usePeers = !alone && FileManager.default.fileExists(atPath: script)
        if !alone && !usePeers { print("Không thấy \(script): chỉ đo BaoCao (chạy từ thư mục mã nguồn, hoặc --peers TỆP).") }
        var rows = try DossierBenchmark.run(sizes: counts.compactMap { $0 }, units: units, peersScript: usePeers ? script : nil)
        // A peer whose Python module is missing is skipped, said once in a line of its own.
        var skipped: [String] = []
        for index in rows.indices {
            for peer in rows[index].peers.indices where rows[index].peers[peer].problem?.hasPrefix("not installed") == true {
                let name = rows[index].peers[peer].name
                if !skipped.contains(name) { skipped.append(name) }
                rows[index].peers[peer].problem = "chưa cài, bỏ qua"
            }
        }
        for name in skipped { print("Bỏ qua \(name): chưa cài mô-đun Python “\(name)” (python3 -m pip install \(name)).") }
        print(DossierBenchmark.table(rows))
    }
}
