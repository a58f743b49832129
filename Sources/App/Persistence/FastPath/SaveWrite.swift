import Fluent
import Foundation
import SQLKit

/// One save as submitted, written in a transaction. Saves committed together
/// (`WriteGate`) each claim their version, then share one statement per step:
/// reading the stored cells, writing the changed ones, appending the audit
/// trail. The changes are worked out against the cells as they stand inside
/// that transaction, so a save costs no read of its own before it queues.
struct SaveWrite: @unchecked Sendable {
    let reportID: UUID
    /// The version the officer edited; the save claims the next one.
    let version: Int
    let previousStatus: ReportStatus
    let status: ReportStatus
    let narrative: ReportService.Narrative
    /// The narrative stored at `version`, so the audit trail records what each part was.
    var previousNarrative: ReportService.Narrative? = nil
    let at: Date
    let username: String
    /// Cell texts and notes as submitted, by code.
    let values: [String: String]
    let notes: [String: String]
    /// The numbers read from the texts (`Validator.parse`), in machine form.
    let numbers: [String: String]
    /// Ids for cells stored for the first time, where the caller chooses them
    /// (a test makes one collide); others get new ones.
    var newRowIDs: [String: UUID] = [:]
    /// Marks of cells filled from dossier records (`DossierImport`): when set,
    /// they replace the report's marks in the same transaction; nil leaves them.
    var computed: [ComputedValue]? = nil

    /// What a save changes in the stored cells.
    struct Changes {
        var inserted: [ReportValue] = []
        var updated: [ReportValue] = []
        var deleted: [ReportValue] = []
        var audit: [AuditEntry] = []
    }

    /// The version this save creates; its audit entries carry it, so a stale
    /// Excel template can tell which cells were changed after it was made.
    var newVersion: Int { version + 1 }

    func entry(_ action: AuditEntry.Action, code: String?, from: String?, to: String?) -> AuditEntry {
        AuditEntry(
            reportID: reportID, username: username, at: at, action: action.rawValue, code: code,
            oldValue: from, newValue: to, version: newVersion)
    }

    /// The changes against the stored cells: a cell left out keeps its text
    /// and number, a note is replaced only when the submission carries one
    /// for the row (a note-only save keeps the number), and a cell emptied of
    /// text and note is deleted.
    func changes(against stored: [ReportValue]) -> Changes {
        var changes = Changes()
        var byCode: [String: ReportValue] = [:]
        for value in stored { byCode[value.code] = value }
        for code in Set(values.keys).union(notes.keys).sorted() {
            let raw = (values[code] ?? byCode[code]?.raw ?? "").trimmed
            let note = notes[code].map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
            let number = values[code] != nil ? numbers[code] : byCode[code]?.number
            if let current = byCode[code] {
                let newNote = notes[code] != nil ? note : current.note
                guard current.raw != raw || current.note != newNote else { continue }
                if current.raw != raw {
                    changes.audit.append(entry(.value, code: code, from: current.raw, to: raw))
                }
                if current.note != newNote {
                    changes.audit.append(entry(.note, code: code, from: current.note, to: newNote))
                }
                if raw.isEmpty && newNote == nil {
                    changes.deleted.append(current)
                } else {
                    current.raw = raw
                    current.number = number
                    current.note = newNote
                    changes.updated.append(current)
                }
            } else if !raw.isEmpty || note != nil {
                let value = ReportValue(reportID: reportID, code: code, raw: raw, number: number, note: note)
                value.id = newRowIDs[code] ?? UUID()
                changes.inserted.append(value)
                if !raw.isEmpty { changes.audit.append(entry(.value, code: code, from: nil, to: raw)) }
                if let note { changes.audit.append(entry(.note, code: code, from: nil, to: note)) }
            }
        }
        if let previousNarrative {
            for (old, new) in zip(previousNarrative.sections, narrative.sections) where old.text != new.text {
                changes.audit.append(entry(.narrative, code: new.field, from: old.text, to: new.text))
            }
        }
        if status != previousStatus {
            changes.audit.append(entry(.status, code: nil, from: previousStatus.rawValue, to: status.rawValue))
        }
        return changes
    }

    /// Commits the save durably, in a group with the saves queued meanwhile
    /// (`WriteGate`), or in a transaction of its own without a gate. The
    /// cells stored now, or nil when its version was taken (nothing of it is
    /// written then).
    func commit(on database: any Database, gate: WriteGate?) async throws -> [ReportValue]? {
        if let gate { return try await gate.commit(self, on: database) }
        return try await database.transaction { try await Self.run([self], on: $0)[0] }
    }

    /// Claims each save's version and writes its report row, in one statement
    /// for all: of two saves of the same version racing each other, only one
    /// matches. Returns the reports whose save landed.
    static func claim(_ writes: [SaveWrite], on sql: any SQLDatabase) async throws -> Set<UUID> {
        let r = ReportsTable.self
        var query: SQLQueryString = """
            UPDATE \(ident: r.table) SET \(ident: r.version) = \(ident: r.table).\(ident: r.version) + 1, \(ident: r.status) = v.column3, \
            \(ident: r.achievements) = v.column4, \(ident: r.assessment) = v.column5, \(ident: r.nextTasks) = v.column6, \
            \(ident: r.proposals) = v.column7, \(ident: r.updatedAt) = v.column8 FROM (VALUES\u{20}
            """
        for (n, write) in writes.enumerated() {
            if n > 0 { query += ", " }
            query += """
                (\(bind: write.reportID), \(bind: write.version), \(bind: write.status.rawValue), \(bind: write.narrative.achievements), \
                \(bind: write.narrative.assessment), \(bind: write.narrative.nextTasks), \(bind: write.narrative.proposals), \(bind: write.at))
                """
        }
        query += """
            ) AS v WHERE \(ident: r.table).\(ident: r.id) = v.column1 AND \(ident: r.table).\(ident: r.version) = v.column2 \
            RETURNING \(ident: r.table).\(ident: r.id)
            """
        return Set(try await sql.raw(query).all().map { try $0.decode(column: r.id, as: UUID.self) })
    }

    /// Runs saves of distinct reports inside the caller's transaction; for
    /// each, the cells stored now, or nil when it did not land (nothing of it
    /// is written then).
    static func run(_ writes: [SaveWrite], on db: any Database) async throws -> [[ReportValue]?] {
        let sql = try db.requireSQL()
        let claimed = try await claim(writes, on: sql)
        let saves = writes.filter { claimed.contains($0.reportID) }
        guard !saves.isEmpty else { return writes.map { _ in nil } }
        var stored: [UUID: [ReportValue]] = [:]
        let v = ReportValuesTable.self
        for value in try await sql.select().columns(v.columns).from(v.table)
            .where(v.reportID, .in, saves.map(\.reportID)).all().map(ReportValue.init(row:))
        {
            stored[value.$report.id, default: []].append(value)
        }
        var changes: [UUID: Changes] = [:]
        for save in saves { changes[save.reportID] = save.changes(against: stored[save.reportID] ?? []) }
        let all = Array(changes.values)
        let deleted = all.flatMap(\.deleted)
        if !deleted.isEmpty {
            try await sql.delete(from: v.table).where(v.id, .in, deleted.compactMap(\.id)).run()
        }
        let written = all.flatMap { $0.updated + $0.inserted }
        if !written.isEmpty {
            let upsert = sql.insert(into: v.table).columns(v.id, v.reportID, v.code, v.raw, v.number, v.note)
            for value in written {
                upsert.values(
                    [
                        SQLBind(value.id ?? UUID()), SQLBind(value.$report.id), SQLBind(value.code), SQLBind(value.raw),
                        ReportService.bindOrNull(value.number), ReportService.bindOrNull(value.note)
                    ] as [any SQLExpression])
            }
            // A cell already stored keeps its row and takes the new text.
            upsert.onConflict(with: [v.reportID, v.code]) { update in
                update.set(excludedValueOf: v.raw).set(excludedValueOf: v.number).set(excludedValueOf: v.note)
            }
            try await upsert.run()
        }
        for save in saves {
            if let marks = save.computed { try await ComputedValue.replace(ofReport: save.reportID, with: marks, on: sql) }
        }
        let audit = all.flatMap(\.audit)
        if !audit.isEmpty {
            let insert = sql.insert(into: AuditEntry.schema)
                .columns("id", "report_id", "username", "at", "action", "code", "old_value", "new_value", "version")
            for entry in audit {
                insert.values(
                    [
                        SQLBind(UUID()), SQLBind(entry.reportID), SQLBind(entry.username), SQLBind(entry.at), SQLBind(entry.action),
                        ReportService.bindOrNull(entry.code), ReportService.bindOrNull(entry.oldValue),
                        ReportService.bindOrNull(entry.newValue), entry.version.map { SQLBind($0) } ?? SQLLiteral.null
                    ]
                        as [any SQLExpression])
            }
            try await insert.run()
        }
        return writes.map { write in
            guard let change = changes[write.reportID] else { return nil }
            for value in change.inserted { value.$id.exists = true }
            let removed = Set(change.deleted.map(\.code))
            return (stored[write.reportID] ?? []).filter { !removed.contains($0.code) } + change.inserted
        }
    }
}
