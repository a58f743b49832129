import Foundation
import ReportingCore

/// A DHIS2 dataValueSets file read into one report: the file's values over
/// the stored ones, saved through `ReportService.save` like a typed report.
enum DHIS2Import {
    struct Outcome {
        let read: Int
        let changed: Int
        let validation: ValidationReport
    }

    /// Throws `ServiceError` (unprocessable) for a file that does not belong to
    /// the report, and whatever the save throws (a conflict, a refusal).
    static func run(_ bytes: Data, into report: Report, service: ReportService, user: User) async throws -> Outcome {
        guard let period = Period(key: report.periodKey) else {
            throw ServiceError(.invalid, PeriodKeyError(text: report.periodKey).description)
        }
        let form = try service.form(of: report)
        let imported: ImportedDataValues
        do {
            imported = try DataValueSetReader(form: form, orgUnit: report.unitCode, period: period).read(bytes)
        } catch {
            throw ServiceError(.unprocessable, error.description + " Không có gì được lưu.")
        }
        var values: [String: String] = [:], notes: [String: String] = [:]
        for stored in try await service.values(of: report) {
            values[stored.code] = stored.raw
            if let note = stored.note { notes[stored.code] = note }
        }
        let entries = imported.entries
        let changed = entries.filter { values[$0.key] != $0.value }.count
        values.merge(entries) { _, new in new }
        notes.merge(imported.comments) { _, new in new }
        let submission = ReportService.Submission(values: values, notes: notes, narrative: nil, version: report.version)
        let validation = try await service.save(report, submission, user: user)
        return Outcome(read: entries.count, changed: changed, validation: validation)
    }
}
