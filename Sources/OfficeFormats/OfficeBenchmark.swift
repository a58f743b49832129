import Foundation

/// Times our XLSX writer and reader on a standard flat table, for
/// `baocao bench office`. Scripts/office/bench.py builds the same table
/// (same header, same values) with XlsxWriter and reads with calamine, so
/// the numbers compare like for like.
public enum OfficeBenchmark {
    public struct Result: Sendable, Equatable {
        public var rows: Int
        public var columns: Int
        public var writeSeconds: Double
        public var readSeconds: Double
        public var fileBytes: Int
    }

    /// Row r (0-based), column c: c0 unit code "DV00001", c1 a repeating
    /// Vietnamese name, then integers (even c) and 2-decimal numbers (odd c)
    /// from v = ((r+1)·(c+1)·7919) mod 1,000,003.
    public static func sampleTable(rows: Int, columns: Int) -> (header: [String], rows: [[XLSXValue]]) {
        let header = (0..<columns).map { c -> String in
            switch c {
            case 0: return "Mã đơn vị"
            case 1: return "Tên đơn vị"
            default: return "Chỉ tiêu \(c + 1)"
            }
        }
        var table: [[XLSXValue]] = []
        table.reserveCapacity(rows)
        for r in 0..<rows {
            var row: [XLSXValue] = []
            row.reserveCapacity(columns)
            for c in 0..<columns {
                switch c {
                case 0:
                    let digits = String(r + 1)
                    row.append(.string("DV" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits))
                case 1:
                    row.append(.string("Đơn vị hành chính số \(r % 500)"))
                default:
                    let v = ((r + 1) * (c + 1) * 7919) % 1_000_003
                    row.append(.number(c % 2 == 0 ? Double(v) : Double(v) / 100))
                }
            }
            table.append(row)
        }
        return (header, table)
    }

    /// Writes the table to `url` (if given) and reads it back, timing each step.
    public static func run(rows: Int = 11_000, columns: Int = 30, writingTo url: URL? = nil) throws -> Result {
        let table = sampleTable(rows: rows, columns: columns)
        let clock = ContinuousClock()
        var data = Data()
        let write = try clock.measure {
            data = try XLSXWriter().writeTable(sheetName: "Data", header: table.header, rows: table.rows)
        }
        if let url { try data.write(to: url) }
        let read = try clock.measure {
            _ = try XLSXReader().read(data)
        }
        return Result(rows: rows, columns: columns, writeSeconds: write.seconds, readSeconds: read.seconds, fileBytes: data.count)
    }
}

extension Duration {
    var seconds: Double {
        let (s, attos) = components
        return Double(s) + Double(attos) / 1e18
    }
}
