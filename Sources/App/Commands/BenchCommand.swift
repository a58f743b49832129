import ArgumentParser
import Foundation
import ReportingCore

/// `baocao bench …`: benchmarks that print what they measured.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Đo hiệu năng.",
        subcommands: [BenchConsolidateCommand.self, BenchHTTPCommand.self, BenchOfficeCommand.self, BenchDossiersCommand.self]
    )
}

/// Consolidation plus validation of one period over a synthetic national tree.
struct BenchConsolidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consolidate",
        abstract: "Tổng hợp và kiểm tra một kỳ trên cây đơn vị tổng hợp quy mô toàn quốc."
    )

    @Option(help: "Số đơn vị của lần đo chính.") var units: Int = 11_000
    @Option(help: "Số chỉ tiêu mỗi biểu mẫu.") var indicators: Int = 150
    @Option(help: "Các quy mô để đo tính tuyến tính, cách nhau bởi dấu phẩy.") var scaling: String = "1000,10000,100000"
    @Option(help: "Số lần lặp; in thời gian tốt nhất và trung vị.") var repeats: Int = 5
    @Flag(
        help:
            "Đo qua CSDL và HTTP: lưu mọi báo cáo vào CSDL (SQLite trong tệp mới, hoặc PostgreSQL trống theo DATABASE_URL) rồi đo các trang tổng hợp."
    )
    var db = false
    @Option(help: "Với --db: các quy mô đo thêm, cách nhau bởi dấu phẩy (thêm 100000 để đo 100.000 đơn vị).") var dbScaling: String =
        "1000,10000"
    @Option(help: "Với --db: cổng thử của ứng dụng.") var port: Int = 18_282

    func run() async throws {
        if db {
            let sizes = [units] + dbScaling.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            try await BenchConsolidateDB(units: units, indicators: indicators, sizes: sizes, port: port).run()
            return
        }
        let form = try BenchmarkData.form(indicators: indicators)
        print("Biểu mẫu: \(form.slotCount) chỉ tiêu; lặp \(repeats) lần, lấy trung vị.")
        print("units\tvalues\tvalidate_s\tconsolidate_s\ttotal_s\tvalues_per_s\terrors\tnodes_consolidated")
        for size in [units] + scaling.split(separator: ",").compactMap({ Int($0) }) {
            let result = try measure(units: size, form: form)
            print(
                "\(result.units)\t\(result.values)\t\(fmt(result.validate))\t\(fmt(result.consolidate))\t\(fmt(result.total))\t\(Int(Double(result.values) / result.total))\t\(result.errors)\t\(result.nodes)"
            )
        }
    }

    /// Validates every report, split over the machine's cores.
    static func validateAll(_ reports: [[Double?]?], validator: Validator) -> Int {
        let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        nonisolated(unsafe) let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var found = 0
            var index = worker
            while index < reports.count {
                if let report = reports[index] { found += validator.check(values: report, unitKind: .commune).0.count }
                index += workers
            }
            counts[worker] = found
        }
        return counts.reduce(0, +)
    }

    func fmt(_ seconds: Double) -> String { String(format: "%.4f", seconds) }

    func measure(units: Int, form: CompiledForm) throws -> (
        units: Int, values: Int, validate: Double, consolidate: Double, total: Double, errors: Int, nodes: Int
    ) {
        let tree = try BenchmarkData.tree(units: units)
        let reports: [[Double?]?] = tree.units.indices.map { index in
            tree.units[index].kind == .department || tree.units[index].kind == .commune
                ? BenchmarkData.values(form: form, unit: index) : nil
        }
        let valueCount = reports.reduce(0) { $0 + ($1?.compactMap { $0 }.count ?? 0) }
        let validator = Validator(form: form)
        let consolidator = Consolidator(form: form, tree: tree)
        var validateTimes: [Double] = [], consolidateTimes: [Double] = [], totals: [Double] = []
        var errors = 0
        var nodes = 0
        for _ in 0..<max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            errors = Self.validateAll(reports, validator: validator)
            let middle = DispatchTime.now().uptimeNanoseconds
            let figures = consolidator.consolidateAll(reports: reports) { $0.kind == .department || $0.kind == .commune }
            let end = DispatchTime.now().uptimeNanoseconds
            nodes = figures.count
            validateTimes.append(Double(middle - start) / 1e9)
            consolidateTimes.append(Double(end - middle) / 1e9)
            totals.append(Double(end - start) / 1e9)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return (tree.units.count, valueCount, median(validateTimes), median(consolidateTimes), median(totals), errors, nodes)
    }
}
