import Foundation

/// Reads the register table of Phụ lục I ("STT | NỘI DUNG VĂN BẢN", grouped I Quyết định,
/// II Kế hoạch, III Các văn bản chỉ đạo) into documents, one citation per row.
struct DocumentAppendixReader {
    let limits: ReportImportLimits

    /// A table is the register when its header names the documents' content column.
    static func isRegister(_ header: TableHeader) -> Bool { header.documentColumn != nil }

    /// Rows (STT, group, citation) of all parts read so far.
    private var pending: [(stt: String, group: String, text: String)] = []
    private var group = ""

    init(limits: ReportImportLimits) { self.limits = limits }

    /// Takes one table (one part of Phụ lục I: a page break or a blank line splits it); `rowBudget` bounds all tables.
    /// A row with no STT continues the citation above, also across parts.
    mutating func add(_ rows: [[String]], header: TableHeader, part: Int, rowBudget: inout Int, issues: inout [ImportIssue]) {
        guard let column = header.documentColumn else { return }
        for (index, row) in rows.enumerated().dropFirst(header.dataStart) {
            if index >= limits.maxRowsPerTable || rowBudget <= 0 {
                issues.append(
                    ImportIssue(
                        .rowsBeyondLimit, place: "Phụ lục I, bảng \(part)",
                        message:
                            "Bảng danh mục văn bản có quá nhiều dòng; chỉ đọc \(VietnameseNumber.format(ExactNumber(index))) dòng đầu. "
                            + "Hãy nhập các văn bản còn lại trên trang báo cáo."))
                break
            }
            rowBudget -= 1
            let stt = header.sttColumn.flatMap { $0 < row.count ? ImportText.clean(row[$0], limit: 40) : nil } ?? ""
            let text = column < row.count ? ImportText.clean(row[column], limit: limits.maxCellLength) : ""
            if text.isEmpty && stt.isEmpty { continue }
            if DocumentRegister.isSectionHeading(text) || stt.wholeMatch(of: /[IVX]{1,4}\.?/) != nil {
                group = stt.isEmpty ? text : stt
                continue
            }
            if stt.isEmpty, let last = pending.indices.last {
                pending[last].text += " " + text
            } else {
                pending.append((stt, group, text))
            }
        }
    }

    /// The documents of all parts, and an issue for each row that is not a citation.
    func finish(issues: inout [ImportIssue]) -> [ImportedDocument] {
        var documents: [ImportedDocument] = []
        for row in pending {
            let place = "Phụ lục I" + (row.group.isEmpty ? "" : ", mục \(row.group)") + (row.stt.isEmpty ? "" : ", STT \(row.stt)")
            do {
                documents.append(ImportedDocument(printedSTT: row.stt, reference: try DocumentReference.parsing(row.text)))
            } catch {
                issues.append(
                    ImportIssue(
                        .documentNotRead, place: place,
                        message: "Văn bản “\(ImportText.quote(row.text))” chưa được đọc: \(error.description) "
                            + "Hãy sửa dòng này trong tệp hoặc nhập văn bản trên trang báo cáo."))
            }
        }
        return documents
    }
}
