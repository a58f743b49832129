import Foundation

/// Reads a dossier file (CSV, one row per dossier) and counts it for one
/// period: streamed in chunks, on all cores, refused whole on any problem.
public struct DossierSummarizer: Sendable {
    public var period: Period
    public var mapping: DossierMapping
    /// When given, a row whose unit code is not in it is a problem.
    public var knownUnits: Set<String>?
    public var workers: Int
    /// Files smaller than this are read by one worker.
    public var parallelThreshold = 8 << 20

    public init(
        period: Period, mapping: DossierMapping = DossierMapping(), knownUnits: Set<String>? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.period = period
        self.mapping = mapping
        self.knownUnits = knownUnits
        self.workers = max(1, min(workers, 64))
    }

    public func summarize(path: String) throws(DossierFileError) -> DossierSummary {
        try summarize(source: DossierFileSource(path: path))
    }

    public func summarize(bytes: [UInt8]) throws(DossierFileError) -> DossierSummary {
        try summarize(source: DossierMemorySource(bytes: bytes))
    }

    /// A sheet already read into rows of text (an XLSX upload read by
    /// OfficeFormats within its limits): the first row is the header.
    public func summarize(table: [[String]]) throws(DossierFileError) -> DossierSummary {
        var bytes: [UInt8] = []
        for row in table {
            for (index, cell) in row.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(UInt8(ascii: "\""))
                for byte in cell.utf8 {
                    bytes.append(byte)
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                }
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return try summarize(bytes: bytes)
    }

    func summarize(source: DossierByteSource) throws(DossierFileError) -> DossierSummary {
        let (header, dataStart, headerLines) = try readHeader(source)
        let template = DossierAccumulator(header: header, mapping: mapping, window: period.cutOff, knownUnits: knownUnits)
        let splits = workers > 1 && source.size - dataStart >= parallelThreshold ? splitPoints(source, from: dataStart) : [dataStart]
        var outcomes = run(source, splits: splits, template: template)
        // A split inside a quoted field shows as a range not ending where the next begins: read again in one go.
        if zip(outcomes, splits.dropFirst()).contains(where: { $0.endOffset != $1 }) {
            outcomes = run(source, splits: [dataStart], template: template)
        }
        var problems: [DossierInputProblem] = []
        var total = 0, rows = 0, lineOffset = headerLines
        var units: [String: DossierUnitCounts] = [:]
        for outcome in outcomes {
            for problem in outcome.accumulator.problems {
                problems.append(DossierInputProblem(line: problem.line + lineOffset, kind: problem.kind))
            }
            total += outcome.accumulator.problemCount
            rows += outcome.accumulator.rows
            lineOffset += outcome.newlines
            for (code, counts) in outcome.accumulator.unitCounts() {
                var merged = units[code] ?? DossierUnitCounts()
                guard merged.add(counts) else { throw .overflow }
                units[code] = merged
            }
        }
        if total > 0 {
            problems.sort { $0.line < $1.line }
            throw .rejected(problems: Array(problems.prefix(DossierLimits.maxReportedProblems)), total: total)
        }
        let fields = Set(DossierField.allCases.filter { header[$0] >= 0 })
        return DossierSummary(period: period, units: units, rows: rows, fields: fields)
    }

    /// The header's columns, where the data starts (after a BOM and the header line) and the lines the header spans.
    func readHeader(_ source: DossierByteSource) throws(DossierFileError) -> (DossierHeader, Int, Int) {
        let length = min(source.size, DossierLimits.maxLineBytes + 3)
        var bytes = [UInt8](repeating: 0, count: length)
        let got = bytes.withUnsafeMutableBytes { raw in raw.baseAddress.map { source.read(into: $0, count: length, at: 0) } ?? 0 }
        guard got >= 0 else { throw .unreadable(reason: "lỗi đọc tệp") }
        guard got > 0 else { throw .empty }
        let bom = got >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var scanner = DossierCSVScanner(maxFields: DossierLimits.maxFields)
        let outcome = bytes.withUnsafeBufferPointer { scanner.scan($0, from: bom, count: got, atEnd: got == source.size) }
        guard case .record(let end, let fields, let newlines) = outcome else {
            let kind: DossierInputProblem.Kind
            switch outcome {
            case .tooManyFields: kind = .tooManyFields(limit: DossierLimits.maxFields)
            case .unterminatedQuote: kind = .unterminatedQuote
            case .strayQuote: kind = .strayQuote
            default: kind = .lineTooLong(limit: DossierLimits.maxLineBytes)
            }
            throw .rejected(problems: [DossierInputProblem(line: 1, kind: kind)], total: 1)
        }
        let names = (0..<fields).map { index in
            String(decoding: bytes[scanner.starts[index]..<scanner.ends[index]], as: UTF8.self)
                .replacingOccurrences(of: "\"\"", with: "\"")
        }
        if names.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { throw .empty }
        return (try DossierHeader(names: names, mapping: mapping), end, newlines)
    }

    /// Range starts: `start`, then one just after a line break near each 1/n of the rest.
    func splitPoints(_ source: DossierByteSource, from start: Int) -> [Int] {
        var points = [start]
        let length = source.size - start
        var probe = [UInt8](repeating: 0, count: 1 << 16)
        for part in 1..<workers {
            var offset = start + length / workers * part
            var found: Int?
            search: while offset < source.size, offset - start < length {
                let got = probe.withUnsafeMutableBytes { raw in
                    raw.baseAddress.map { source.read(into: $0, count: raw.count, at: offset) } ?? 0
                }
                guard got > 0 else { break }
                for index in 0..<got where probe[index] == UInt8(ascii: "\n") {
                    found = offset + index + 1
                    break search
                }
                offset += got
            }
            guard let found, found < source.size, let last = points.last, found > last else { continue }
            points.append(found)
        }
        return points
    }

    func run(_ source: DossierByteSource, splits: [Int], template: DossierAccumulator) -> [DossierRangeReader.Outcome] {
        let results = DossierResults(count: splits.count)
        let size = source.size
        DispatchQueue.concurrentPerform(iterations: splits.count) { part in
            let end = part + 1 < splits.count ? splits[part + 1] : size
            results.set(part, DossierRangeReader.read(source, from: splits[part], to: end, accumulator: template))
        }
        return results.values
    }
}

/// The workers' outcomes, each written once from its own thread.
final class DossierResults: @unchecked Sendable {
    private var slots: [DossierRangeReader.Outcome?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: DossierRangeReader.Outcome) {
        lock.lock()
        slots[index] = outcome
        lock.unlock()
    }

    var values: [DossierRangeReader.Outcome] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
