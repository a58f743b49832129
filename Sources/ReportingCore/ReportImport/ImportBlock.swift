import Foundation

/// One block of a Word report as the importer reads it: a body paragraph or a
/// table of cell texts. Core does not read .docx itself; the caller maps
/// `OfficeFormats.DOCXContent.blocks` one to one (`.paragraph(p)` → `.paragraph(p)`,
/// `.table(rows)` → `.table(rows)`), so ReportingCore needs no Office dependency.
public enum ImportBlock: Sendable, Equatable {
    /// The paragraph's text; line breaks inside it are "\n".
    case paragraph(String)
    /// Rows of cell texts; a cell's paragraphs are joined with "\n".
    case table([[String]])
}

/// How much of a document the importer looks at. A real report has a few
/// hundred paragraphs, a few tables of under 200 rows and 5–7 columns.
public struct ReportImportLimits: Sendable, Equatable {
    /// Blocks (paragraphs and tables together) read; more is refused.
    public var maxBlocks: Int
    /// Columns of a table; a wider table is not a report table and is skipped.
    public var maxColumns: Int
    /// Rows read from one table; the rest are reported as not read.
    public var maxRowsPerTable: Int
    /// Rows of all tables together.
    public var maxRows: Int
    /// Characters of one narrative section (the report page accepts as much).
    public var maxSectionLength: Int
    /// Characters of one cell taken into account.
    public var maxCellLength: Int

    public init(
        maxBlocks: Int = 50_000, maxColumns: Int = 64, maxRowsPerTable: Int = 2_000, maxRows: Int = 10_000,
        maxSectionLength: Int = 100_000, maxCellLength: Int = 4_000
    ) {
        self.maxBlocks = maxBlocks
        self.maxColumns = maxColumns
        self.maxRowsPerTable = maxRowsPerTable
        self.maxRows = maxRows
        self.maxSectionLength = maxSectionLength
        self.maxCellLength = maxCellLength
    }

    public static let standard = ReportImportLimits()
}

/// Why a document cannot be read as a report at all. Anything less (a row not
/// matched, a cell not a number) is an `ImportIssue` in the result instead.
public enum ReportImportError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooManyBlocks(Int, limit: Int)
    case notAReport

    public var description: String {
        switch self {
        case .empty:
            return "Tệp không có nội dung: không có đoạn văn hay bảng nào. Hãy chọn tệp Word (.docx) của báo cáo."
        case .tooManyBlocks(let count, let limit):
            return "Tệp có \(VietnameseNumber.format(ExactNumber(count))) đoạn và bảng, vượt quá "
                + "\(VietnameseNumber.format(ExactNumber(limit))) mà một báo cáo có thể có. Hãy kiểm tra lại tệp đã chọn."
        case .notAReport:
            return "Không nhận ra đây là một báo cáo: không thấy các mục “I. KẾT QUẢ ĐẠT ĐƯỢC”, “II. ĐÁNH GIÁ CHUNG”, "
                + "“III. NHIỆM VỤ…”, “IV. ĐỀ XUẤT, KIẾN NGHỊ”, không thấy Phụ lục danh mục văn bản và không thấy bảng số liệu "
                + "của biểu mẫu. Hãy chọn tệp báo cáo trình bày theo Nghị định 30/2020/NĐ-CP."
        }
    }
}
