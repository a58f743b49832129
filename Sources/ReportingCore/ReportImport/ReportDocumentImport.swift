import Foundation

/// Reads last period's Word report, written in the Nghị định 30/2020 layout, into a draft of `form`:
/// the narrative sections by their headings, Phụ lục I into the register, and the statistics
/// table into cells matched by name and STT. Returns what was read, what was not (each with a
/// Vietnamese message) and the draft validated; it writes nothing itself.
///
/// The caller maps `DOCXReader().read(data).blocks` to `ImportBlock` one to one.
public struct ReportDocumentImport: Sendable {
    public let form: CompiledForm
    public var limits: ReportImportLimits

    public init(form: CompiledForm, limits: ReportImportLimits = .standard) {
        self.form = form
        self.limits = limits
    }

    /// `unitKind` is the reporting unit's kind, for the rows that apply to some levels only.
    /// `mode`: a draft is filled (`.drafting`, the default: an empty required
    /// row is a reminder, as on the page), or a report is checked for sending.
    public func read(
        _ blocks: [ImportBlock], unitKind: UnitKind? = nil,
        mode: ValidationMode = .drafting
    ) throws(ReportImportError) -> ImportedReport {
        guard blocks.count <= limits.maxBlocks else { throw .tooManyBlocks(blocks.count, limit: limits.maxBlocks) }
        let hasContent = blocks.contains { block in
            switch block {
            case .paragraph(let text): return !text.trimmed.isEmpty
            case .table(let rows): return rows.contains { row in row.contains { !$0.trimmed.isEmpty } }
            }
        }
        guard hasContent else { throw .empty }

        let ratioStarts = form.indicators.filter { $0.unit == .percent }.map { ImportText.upperFirst($0.name) }
        let narrative = NarrativeReader(ratioSentenceStarts: ratioStarts, limits: limits).read(blocks)
        var issues = narrative.issues
        let tables = scanTables(blocks, issues: &issues)

        // The statistics table is the one that fits the form best (seed 003 holds seven forms).
        let reader = FigureTableReader(form: form, limits: limits)
        var budget = limits.maxRows - tables.registerRows
        var results: [(caption: String, result: FigureTableReader.Result)] = []
        for segment in tables.figures {
            var rowIssues: [ImportIssue] = []
            let rows = FigureTableReader.rows(segment.parts, limits: limits, budget: &budget, issues: &rowIssues, caption: segment.caption)
            var result = reader.match(rows, caption: segment.caption)
            result.issues = rowIssues + result.issues
            results.append((segment.caption, result))
        }
        let best = results.indices.max {
            results[$0].result.score < results[$1].result.score
                || (results[$0].result.score
                    == results[$1].result.score && $0 > $1)
        }
        var figures = FigureTableReader.Result()
        if let best, results[best].result.score > 0 {
            figures = results[best].result
            issues += figures.issues
            for (index, other) in results.enumerated() where index != best {
                issues.append(
                    ImportIssue(
                        .tableSkipped, place: other.caption,
                        message:
                            "Bảng số liệu “\(ImportText.quote(other.caption, 80))” không phải của biểu mẫu “\(form.form.displayTitle)” "
                            + "(khớp \(other.result.score) dòng, bảng được đọc khớp \(figures.score) dòng), nên chưa được đọc. "
                            + "Nếu cần, hãy nhập lại tệp với biểu mẫu của bảng này."))
            }
        } else {
            issues.append(
                ImportIssue(
                    .noFigureTable, place: "Phụ lục số liệu",
                    message: "Không thấy bảng số liệu của biểu mẫu “\(form.form.displayTitle)” (bảng có cột STT, Chỉ tiêu và Số liệu, "
                        + "tên chỉ tiêu như trong biểu mẫu). Số liệu chưa được đọc; hãy nhập trên trang báo cáo hoặc chọn đúng biểu mẫu."))
        }

        var documentIssues: [ImportIssue] = []
        let documents = tables.register.finish(issues: &documentIssues)
        issues += documentIssues

        let sawSection = narrative.sections.contains { $0.field != nil }
        guard sawSection || tables.sawRegister || figures.score > 0 else { throw .notAReport }

        let validation = Validator(form: form).validate(entries: figures.entries, notes: figures.notes, unitKind: unitKind, mode: mode)
        return ImportedReport(
            narrative: narrative.narrative, sections: narrative.sections, documents: documents,
            cells: figures.cells, entries: figures.entries, notes: figures.notes, notRead: issues,
            generatedLines: narrative.generated, validation: validation)
    }

    /// The appendix tables in order: the register's parts, and the statistics tables each with
    /// its parts (a table continues after a page break or blank line, with or without its header again).
    struct Tables {
        var register: DocumentAppendixReader
        var registerRows = 0
        var sawRegister = false
        var figures: [(caption: String, parts: [(rows: [[String]], header: TableHeader)])] = []
    }

    func scanTables(_ blocks: [ImportBlock], issues: inout [ImportIssue]) -> Tables {
        var tables = Tables(register: DocumentAppendixReader(limits: limits))
        var caption = "Bảng số liệu"
        var previous: TableHeader?
        var adjacent = false // only blank paragraphs since the previous table
        var budget = limits.maxRows
        var tableNumber = 0
        var registerPart = 0
        for block in blocks {
            switch block {
            case .paragraph(let text):
                guard !text.trimmed.isEmpty else { continue }
                adjacent = false
                let first = ImportText.clean(String(text.split(separator: "\n").first ?? ""), limit: 200)
                let key = ImportText.key(first)
                if key.hasPrefix("phụ lục") || key.hasPrefix("biểu mẫu") { caption = first }
            case .table(let rows):
                tableNumber += 1
                let columns = rows.reduce(0) { max($0, $1.count) }
                defer { adjacent = true }
                guard columns <= limits.maxColumns else {
                    issues.append(
                        ImportIssue(
                            .tableSkipped, place: "Bảng thứ \(tableNumber)",
                            message: "Bảng thứ \(tableNumber) có \(VietnameseNumber.format(ExactNumber(columns))) cột, "
                                + "quá \(limits.maxColumns) cột của một bảng báo cáo, nên không được đọc. Hãy kiểm tra lại bảng trong tệp.")
                    )
                    previous = nil
                    continue
                }
                let header =
                    TableHeader.detect(rows, columnCount: columns)
                    ?? (adjacent ? previous?.continuing(columnCount: columns) : nil)
                let continuesFigures = adjacent && previous?.isFigures == true
                let continuesTargets = adjacent && previous?.isTargets == true
                previous = header
                guard let header else { continue } // the layout tables: the heading block, the signature
                if header.documentColumn != nil {
                    registerPart += 1
                    tables.sawRegister = true
                    let before = budget
                    tables.register.add(rows, header: header, part: registerPart, rowBudget: &budget, issues: &issues)
                    tables.registerRows += before - budget
                } else if header.isTargets {
                    if !continuesTargets {
                        issues.append(
                            ImportIssue(
                                .tableSkipped, place: caption,
                                message: "Bảng kết quả thực hiện các chỉ tiêu (“\(ImportText.quote(caption, 80))”) không được nhập: "
                                    + "kết quả các chỉ tiêu của kế hoạch được tính từ số liệu của biểu mẫu. "
                                    + "Hãy kiểm tra lại kết quả trên trang chỉ tiêu sau khi nhập."))
                    }
                } else if header.isFigures {
                    if continuesFigures, let last = tables.figures.indices.last {
                        tables.figures[last].parts.append((rows, header))
                    } else {
                        tables.figures.append((caption, [(rows, header)]))
                    }
                }
            }
        }
        return tables
    }
}
