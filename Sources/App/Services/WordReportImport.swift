import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import SQLKit

/// A report written in Word (NĐ 30/2020 layout) into a unit's draft: the
/// narrative sections, Phụ lục I into the documents register, the statistics
/// table into cells. The command line and the upload on the report page both
/// come here. Nothing is written unless the read cells validate (`canSave`);
/// the cells and narrative go through `ReportService.store` with its version
/// check, as the web form's save does.
struct WordReportImport {
    /// Why nothing was written, in Vietnamese.
    struct Refusal: Error, CustomStringConvertible {
        let message: String
        /// The validation errors of the cells read, one message each (empty for a file that cannot be read).
        var errors: [String] = []
        var description: String { ([message] + errors).joined(separator: " ") }
    }

    /// What an import did.
    struct Outcome {
        let imported: ImportedReport
        /// Cells and notes that differ from what the draft held.
        let changedCells: Int
        /// Narrative sections replaced.
        let sections: Int
        /// Documents added to Phụ lục I (ones already there are not added twice).
        let documentsAdded: Int
    }

    /// The largest .docx the upload and the command accept: a real report is well under 1 MB.
    static let maxBytes = 8 * 1024 * 1024

    /// The file's blocks, or a refusal saying the file is not a Word document.
    static func blocks(of data: Data, name: String) throws(Refusal) -> [ImportBlock] {
        guard !data.isEmpty else { throw Refusal(message: "Tệp “\(name)” trống: hãy chọn tệp Word (.docx) của báo cáo.") }
        guard data.count <= maxBytes else {
            throw Refusal(
                message: "Tệp “\(name)” lớn hơn \(maxBytes / 1024 / 1024) MB, quá lớn cho một báo cáo. Hãy kiểm tra lại tệp đã chọn.")
        }
        let content: DOCXContent
        do { content = try DOCXReader().read(data) } catch let error as OfficeFormatError {
            throw Refusal(message: "Không đọc được tệp Word “\(name)”: \(error.message) Hãy chọn tệp .docx (Word 2007 trở lên).")
        } catch {
            throw Refusal(message: "Không đọc được tệp Word “\(name)”. Hãy chọn tệp .docx (Word 2007 trở lên).")
        }
        return content.blocks.map { block -> ImportBlock in
            switch block {
            case .paragraph(let text): return .paragraph(text)
            case .table(let rows): return .table(rows)
            }
        }
    }

    /// The report read from the file against `form`, without writing anything.
    static func read(_ data: Data, name: String, form: CompiledForm, unitKind: UnitKind?) throws(Refusal) -> ImportedReport {
        let blocks = try blocks(of: data, name: name)
        do { return try ReportDocumentImport(form: form).read(blocks, unitKind: unitKind) } catch {
            throw Refusal(message: "Không nhập được tệp “\(name)”: \(error)")
        }
    }

    /// Writes `imported` into `report`'s draft: cells and notes read replace the stored ones (others stay),
    /// the narrative sections found replace theirs, and Phụ lục I gains the documents it lacks.
    /// Refuses (writing nothing) when the cells read have validation errors or the version is stale.
    static func apply(_ imported: ImportedReport, to report: Report, service: ReportService, user: User) async throws -> Outcome {
        guard imported.canSave else {
            throw Refusal(
                message: "Số liệu đọc được từ tệp còn \(imported.validation.errors.count) lỗi, không có gì được lưu. "
                    + "Hãy sửa trong tệp Word rồi nhập lại:",
                errors: imported.validation.errors.prefix(20).map { "\($0.code): \($0.message)" })
        }
        let form = try service.form(of: report)
        // Computed rows are the server's, as on the web form: their printed values were checked, not stored.
        let entries = imported.entries.filter { code, _ in form.slotByCode[code].map { !form.indicators[$0].isComputed } ?? true }
        let importedNotes = imported.notes.filter { !$0.value.isEmpty }
        let stored = try await service.values(of: report)
        var values = ReportService.entries(stored), notes = ReportService.notes(stored)
        for (code, text) in entries { values[code] = text }
        for (code, text) in importedNotes { notes[code] = text }
        var narrative = ReportService.narrative(of: report)
        var sections = 0
        func take(_ field: NarrativeField, _ keyPath: WritableKeyPath<ReportService.Narrative, String>) {
            guard let text = imported.narrative[field], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            if narrative[keyPath: keyPath] != text { sections += 1 }
            narrative[keyPath: keyPath] = text
        }
        take(.achievements, \.achievements)
        take(.assessment, \.assessment)
        take(.nextTasks, \.nextTasks)
        take(.proposals, \.proposals)
        let changed = ExcelImport.changes(entries, importedNotes, stored: stored)
        let submission = ReportService.Submission(values: values, notes: notes, narrative: narrative, version: report.version)
        try await service.store(report, submission, user: user)
        let added = try await addDocuments(imported.documents.map(\.reference), to: report, user: user, database: service.database)
        return Outcome(imported: imported, changedCells: changed, sections: sections, documentsAdded: added)
    }

    /// Phụ lục I: the documents not yet in the register (same kind, number and date), in one transaction.
    static func addDocuments(_ references: [DocumentReference], to report: Report, user: User, database: any Database) async throws -> Int {
        let reportID = try report.requireID()
        let existing = try await DocumentEntry.all(ofReport: reportID, on: database)
        var seen = Set(existing.map { "\($0.kind)|\($0.number)|\($0.issuedOn ?? "")" })
        let fresh = references.filter { seen.insert("\($0.kind.rawValue)|\($0.number)|\($0.date.description)").inserted }
        guard !fresh.isEmpty else { return 0 }
        let now = Date()
        try await database.transaction { db in
            for reference in fresh {
                try await DocumentEntry(
                    reportID: reportID, kind: reference.kind.rawValue, number: reference.number,
                    issuedOn: reference.date.description, issuer: reference.issuer ?? "",
                    summary: reference.summary
                ).save(on: db)
                try await AuditEntry(
                    reportID: reportID, username: user.username, at: now, action: "document",
                    code: "Phụ lục I", oldValue: nil, newValue: reference.citation
                ).save(on: db)
            }
            try await DocumentsRevision.bump(reportID, on: db)
        }
        return fresh.count
    }

    /// What was read, in Vietnamese lines: sections, cells by how they matched, documents, then what was not read.
    static func summary(_ imported: ImportedReport) -> (read: [String], notRead: [String]) {
        var read: [String] = []
        for section in imported.sections {
            if let field = section.field {
                read.append("Mục “\(section.heading)” → \(field.label): \(section.paragraphs) đoạn.")
            }
        }
        let counts = imported.matchCounts
        if !imported.cells.isEmpty {
            read.append(
                "Bảng số liệu: \(imported.cells.count) ô (\(counts.sttAndName) khớp STT và tên, \(counts.name) khớp theo tên, "
                    + "\(counts.stt) khớp theo STT).")
        }
        if !imported.documents.isEmpty { read.append("Phụ lục I: \(imported.documents.count) văn bản.") }
        let notRead = imported.notRead.map { "\($0.place): \($0.message)" }
        return (read, notRead)
    }
}
