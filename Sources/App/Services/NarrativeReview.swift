import Fluent
import Foundation
import ReportingCore
import SQLKit

/// The narrative check on a report's own four sections: what the data-entry
/// page lists under each section, the send step repeats, and the Word preview
/// shows. The context is the report's period, form, its current cells and its
/// Phụ lục I; findings marked "đã kiểm tra" carry their note. Never blocking.
struct NarrativeReview {
    /// The findings of one section (its form field: "achievements"…).
    struct Section {
        let field: String
        let findings: [NarrativeFinding]
    }

    /// The sections are checked as one text (a document cited in two sections with two dates is found),
    /// joined by a blank line; each finding goes to the section its sentence starts in.
    static let separator = "\n\n"

    static func check(
        narrative: ReportService.Narrative, form: CompiledForm?, periodKey: String, cells: [String: String],
        documents: [DocumentEntry], unitKind: UnitKind?, acknowledgements: [String: String]
    ) -> [Section] {
        var values: [String: ExactNumber] = [:]
        if let form {
            for (code, parsed) in Validator(form: form).parse(entries: cells).values {
                if let number = parsed.number { values[code] = number }
            }
        }
        let register = documents.compactMap { entry -> NarrativeDocument? in
            guard let kind = DocumentKind(rawValue: entry.kind), let date = entry.issuedOn.flatMap(CivilDate.init(iso:)) else { return nil }
            let reference = DocumentReference(
                kind: kind, number: entry.number, date: date,
                issuer: entry.issuer.isEmpty ? nil : entry.issuer, summary: entry.summary)
            return NarrativeDocument(reference, listedIn: kind.group)
        }
        let context = NarrativeContext(
            period: Period(key: periodKey), form: form, values: values, unitKind: unitKind,
            documents: register.isEmpty ? nil : register, acknowledgements: acknowledgements)
        let sections = narrative.sections
        let text = sections.map(\.text).joined(separator: separator)
        // Too long to check (over 2 MB) or empty: no findings rather than an error on the page.
        let findings = (try? NarrativeCheck.check(text, context: context)) ?? []
        var starts: [Int] = []
        var offset = 0
        for section in sections {
            starts.append(offset)
            offset += section.text.count + separator.count
        }
        return sections.enumerated().map { index, section in
            let start = starts[index], end = start + section.text.count
            return Section(field: section.field, findings: findings.filter { $0.offset >= start && $0.offset < max(end, start + 1) })
        }
    }

    /// The report's findings as its stored state gives them.
    static func check(_ report: Report, service: ReportService, unitKind: UnitKind?) async throws -> [Section] {
        let reportID = try report.requireID()
        let form = try? service.form(of: report)
        return check(
            narrative: ReportService.narrative(of: report), form: form, periodKey: report.periodKey,
            cells: ReportService.entries(try await service.values(of: report)),
            documents: try await DocumentEntry.all(ofReport: reportID, on: service.database), unitKind: unitKind,
            acknowledgements: try await acknowledgements(of: reportID, on: service.database))
    }

    /// Finding id → note, for the report.
    static func acknowledgements(of reportID: UUID, on database: any Database) async throws -> [String: String] {
        var notes: [String: String] = [:]
        for row in try await NarrativeAcknowledgement.query(on: database).filter(\.$report.$id == reportID).all() {
            notes[row.findingID] = row.note
        }
        return notes
    }

    /// The longest note kept with a mark.
    static let maxNote = 1_000

    /// Marks a finding "đã kiểm tra" (again: the note is replaced). The id must be one of the report's current findings.
    static func acknowledge(
        _ report: Report, findingID: String, note: String, user: User, service: ReportService,
        unitKind: UnitKind?
    ) async throws {
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maxNote else {
            throw ServiceError(
                .unprocessable,
                "Ghi chú kiểm tra quá dài: \(TextLimits.label(trimmed.count)) ký tự, tối đa "
                    + "\(TextLimits.label(maxNote)) ký tự. Hãy rút gọn rồi đánh dấu lại.")
        }
        let current = try await check(report, service: service, unitKind: unitKind).flatMap(\.findings)
        guard current.contains(where: { $0.id == findingID }) else {
            throw ServiceError(
                .unprocessable,
                "Cảnh báo này không còn trong phần thuyết minh (câu đã được sửa hoặc đã lưu lại). "
                    + "Hãy tải lại trang và xem các cảnh báo hiện có.")
        }
        let reportID = try report.requireID()
        try await service.writeTransaction { db in
            try await NarrativeAcknowledgement.query(on: db).filter(\.$report.$id == reportID).filter(\.$findingID == findingID).delete()
            try await NarrativeAcknowledgement(
                reportID: reportID, findingID: findingID, note: trimmed, username: user.username,
                at: Date()
            ).save(on: db)
            try await AuditEntry(
                reportID: reportID, username: user.username, at: Date(), action: AuditEntry.Action.narrativeCheck.rawValue,
                code: "Thuyết minh", oldValue: nil, newValue: trimmed.isEmpty ? "Đã kiểm tra" : "Đã kiểm tra: \(trimmed)"
            )
            .save(on: db)
            // The page's cache keys on the report's stamp; a mark changes the page without a new version.
            try await DocumentsRevision.bump(reportID, on: db)
        }
    }
}
