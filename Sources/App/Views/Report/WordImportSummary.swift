import ReportingCore

/// The notice the report page shows after a Word report was brought in:
/// what was written, what was read, and what was not (capped, with a count).
enum WordImportSummary {
    static let maxNotRead = 12

    static func message(_ outcome: WordReportImport.Outcome, fileName: String) -> String {
        let summary = WordReportImport.summary(outcome.imported)
        var parts = [
            "Đã nhập từ báo cáo Word “\(fileName)”: \(outcome.changedCells) ô thay đổi, \(outcome.sections) mục thuyết minh, "
                + "\(outcome.documentsAdded) văn bản thêm vào Phụ lục I."
        ]
        if !summary.read.isEmpty { parts.append("Đã đọc: " + summary.read.joined(separator: " ")) }
        if summary.notRead.isEmpty {
            parts.append("Không có phần nào bị bỏ qua.")
        } else {
            let shown = summary.notRead.prefix(maxNotRead).joined(separator: "; ")
            let more = summary.notRead.count > maxNotRead ? "; và \(summary.notRead.count - maxNotRead) mục khác" : ""
            parts.append("Không đọc được (\(summary.notRead.count)): \(shown)\(more).")
        }
        let warnings = outcome.imported.validation.warnings.count
        if warnings > 0 { parts.append("Số liệu có \(warnings) cảnh báo: xem ở từng dòng của biểu.") }
        return parts.joined(separator: " ")
    }
}
