import Foundation

/// The header of an appendix table: which column holds what, and where the data rows start.
/// Seeds print a two-row header ("STT | Chỉ tiêu | Kết quả thống kê | | Ghi chú" over
/// "| | Đơn vị tính | Số liệu |"); BaoCao prints one row ("STT | Chỉ tiêu | ĐVT | Số liệu | Ghi chú").
struct TableHeader: Equatable {
    var sttColumn: Int?
    var nameColumn: Int?
    var unitColumn: Int?
    var valueColumn: Int?
    var noteColumn: Int?
    /// "NỘI DUNG VĂN BẢN" of Phụ lục I.
    var documentColumn: Int?
    /// First data row.
    var dataStart: Int
    var columnCount: Int

    /// "Chủ trì theo dõi" / "Đánh giá": the targets appendix (Kế hoạch 48's results), not a form's figures.
    var isTargets = false

    /// Statistics: a name and a value column.
    var isFigures: Bool { nameColumn != nil && valueColumn != nil && documentColumn == nil && !isTargets }
    var isRecognised: Bool { isFigures || isTargets || documentColumn != nil }

    /// Reads the header from the first rows; nil when none of them is a header.
    static func detect(_ rows: [[String]], columnCount: Int) -> TableHeader? {
        var header = TableHeader(dataStart: 0, columnCount: columnCount)
        var valueRank = Int.max
        var sawHeader = false
        for (index, row) in rows.prefix(4).enumerated() {
            var isHeaderRow = false
            for (column, cell) in row.enumerated() {
                let key = ImportText.key(cell, limit: 200)
                guard !key.isEmpty, key.count < 200 else { continue }
                if key == "stt" || key == "số tt" || key == "tt" {
                    header.sttColumn = header.sttColumn ?? column; isHeaderRow = true
                } else if key.hasPrefix("nội dung văn bản") || key == "tên văn bản" || key == "trích yếu" {
                    header.documentColumn = header.documentColumn ?? column; isHeaderRow = true
                } else if key.hasPrefix("chỉ tiêu") || key.hasPrefix("tên chỉ tiêu") || key == "nội dung" {
                    header.nameColumn = header.nameColumn ?? column; isHeaderRow = true
                } else if key == "đvt" || key.hasPrefix("đơn vị tính") {
                    header.unitColumn = header.unitColumn ?? column; isHeaderRow = true
                } else if key.hasPrefix("chủ trì") || key == "đánh giá" {
                    header.isTargets = true; isHeaderRow = true
                } else if key.hasPrefix("ghi chú") {
                    header.noteColumn = header.noteColumn ?? column; isHeaderRow = true
                } else if let rank = valueHeadings.firstIndex(where: { key.hasPrefix($0) }) {
                    // "Số liệu" under "Kết quả thống kê" wins over it.
                    if rank < valueRank { header.valueColumn = column; valueRank = rank }
                    isHeaderRow = true
                }
            }
            if isHeaderRow {
                sawHeader = true
                header.dataStart = index + 1
            } else if sawHeader {
                break
            }
        }
        return sawHeader && header.isRecognised ? header : nil
    }

    static let valueHeadings = ["số liệu", "giá trị", "kết quả thống kê", "kết quả", "thực hiện"]

    /// The same columns for a part of the table that has no header of its own (the rows after a page break).
    func continuing(columnCount: Int) -> TableHeader? {
        guard columnCount == self.columnCount else { return nil }
        var copy = self
        copy.dataStart = 0
        return copy
    }
}
