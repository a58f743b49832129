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
        }
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}
