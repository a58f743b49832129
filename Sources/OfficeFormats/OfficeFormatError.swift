import Foundation

/// Errors thrown by the Office readers and writers.
///
/// Users of BaoCao see these messages directly (for example when they upload
/// a wrong file), so `message` is Vietnamese and names the fault in their terms.
public enum OfficeFormatError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// The bytes are not a ZIP package containing a workbook.
    case notXLSX
    /// The bytes are not a ZIP package containing a Word document.
    case notDOCX
    /// A part the package points to is absent (path inside the ZIP).
    case missingPart(String)
    /// A part is not well-formed XML (path inside the ZIP).
    case malformedPart(String)
    /// A sheet name Excel would refuse (empty, too long, forbidden characters).
    case invalidSheetName(String)
    /// Two sheets share a name (Excel compares names case-insensitively).
    case duplicateSheetName(String)
    /// A workbook must contain at least one visible sheet.
    case noVisibleSheet
    /// A cell reference such as "B3" could not be understood.
    case invalidCellReference(String)
    /// Writing the package failed (underlying reason in English, for logs).
    case writeFailed(String)
    /// A package the reader refuses: the reason (Vietnamese) says what is wrong; the message adds how to fix it.
    case invalidFile(OfficeFileKind, String)
    /// A package beyond one of `OfficeReadLimits`.
    case limitExceeded(OfficeFileKind, OfficeLimitBreach)

    public var message: String {
        switch self {
        case .notXLSX:
            return "Tệp không phải là tệp Excel (.xlsx) hợp lệ."
        case .notDOCX:
            return "Tệp không phải là tệp Word (.docx) hợp lệ."
        case .missingPart(let path):
            return "Tệp bị hỏng hoặc thiếu thành phần: \(path)."
        case .malformedPart(let path):
            return "Tệp bị hỏng: nội dung \(path) không đọc được."
        case .invalidSheetName(let name):
            return "Tên trang tính \"\(name)\" không hợp lệ (không được để trống, dài quá 31 ký tự hoặc chứa các ký tự : \\ / ? * [ ])."
        case .duplicateSheetName(let name):
            return "Tên trang tính \"\(name)\" bị trùng."
        case .noVisibleSheet:
            return "Bảng tính phải có ít nhất một trang tính không bị ẩn."
        case .invalidCellReference(let ref):
            return "Địa chỉ ô \"\(ref)\" không hợp lệ."
        case .writeFailed(let reason):
            return "Không ghi được tệp: \(reason)."
        case .invalidFile(let kind, let reason):
            return "Tệp \(kind.name) không hợp lệ: \(reason). \(kind.advice)"
        case .limitExceeded(let kind, let breach):
            return "Tệp \(kind.name) vượt giới hạn cho phép: \(breach.reason). \(kind.advice)"
        }
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}

/// Which format a reader expected, for messages.
public enum OfficeFileKind: Sendable, Equatable {
    case xlsx
    case docx

    var name: String { self == .xlsx ? "Excel" : "Word" }

    /// How to fix a refused file.
    var advice: String {
        switch self {
        case .xlsx: return "Hãy tải lại mẫu từ BaoCao, nhập số liệu vào mẫu đó và nhập lại."
        case .docx: return "Hãy mở tệp bằng Word, lưu lại dưới dạng .docx và tải lên lại."
        }
    }

    /// The plain "not this format" error.
    var notThisFormat: OfficeFormatError { self == .xlsx ? .notXLSX : .notDOCX }
}
