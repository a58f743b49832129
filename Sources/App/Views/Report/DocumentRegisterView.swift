import ReportingCore
import Vapor

/// Phụ lục I on the report page: the documents issued in the period, grouped
/// and numbered as the paper appendix prints them, with the counts sentence.
struct DocumentRegisterView: Encodable {
    struct Entry: Encodable {
        let id: String
        let position: Int
        let kind: String
        let number: String
        let date: String
        let issuer: String
        let summary: String
        let outsidePeriod: Bool
        /// The position of an earlier entry with the same number and date, if any.
        let duplicateOf: String?
    }

    struct Section: Encodable {
        let numeral: String
        let title: String
        let entries: [Entry]
    }

    /// What the user typed, kept when a submission is refused.
    struct Draft: Encodable {
        var lines = ""
        var kind = DocumentKind.officialLetter.rawValue
        var number = ""
        var date = ""
        var issuer = ""
        var summary = ""
    }

    let reportID: String
    let sections: [Section]
    let count: Int
    let countsSentence: String
    let periodWindow: String
    let editable: Bool
    let kinds: [SelectOption]
    let draft: Draft
    let errors: [String]

    /// A refused submission's input and errors, handed from the documents
    /// route to the report page it re-renders.
    struct PendingKey: StorageKey { typealias Value = (draft: Draft, errors: [String]) }

    /// The appendix of a report's stored entries; `pending` is a refused
    /// submission's input, shown again with its errors.
    init(
        reportID: String, stored: [DocumentEntry], periodKey: String,
        pending: (draft: Draft, errors: [String])?, editable: Bool
    ) {
        let window = Period(key: periodKey)?.cutOff
        let draft = pending?.draft ?? Draft()
        let undated = CivilDate(year: 9999, month: 12, day: 31)
        let references = stored.map { entry -> (DocumentEntry, DocumentKind, CivilDate?) in
            (entry, DocumentKind(rawValue: entry.kind) ?? .officialLetter, entry.issuedOn.flatMap(CivilDate.init(iso:)))
        }
        var sections: [Section] = []
        for group in DocumentGroup.allCases {
            let members = references.filter { $0.1.group == group }
                .sorted { ($0.2 ?? undated, $0.0.number) < ($1.2 ?? undated, $1.0.number) }
            guard !members.isEmpty else { continue }
            var seen: [String: Int] = [:]
            let entries = members.enumerated().map { offset, member -> Entry in
                let (entry, kind, date) = member
                // Seed 000 lists Công văn 180/UBND-KGVX twice: shown, but pointed out.
                let key = "\(entry.number.lowercased())|\(entry.issuedOn ?? "")"
                let earlier = seen[key]
                if earlier == nil { seen[key] = offset + 1 }
                return Entry(
                    id: entry.id?.uuidString ?? "", position: offset + 1, kind: kind.label, number: entry.number,
                    date: date?.vietnamese ?? "", issuer: entry.issuer, summary: entry.summary,
                    outsidePeriod: date.map { day in window.map { !$0.contains(day) } ?? false } ?? false,
                    duplicateOf: earlier.map { "\(group.numeral).\($0)" })
            }
            sections.append(Section(numeral: group.numeral, title: group.title, entries: entries))
        }
        self.init(
            reportID: reportID, sections: sections, count: stored.count,
            countsSentence: DocumentRegister.countsSentence(references.map(\.1)),
            periodWindow: window.map { "\($0.lowerBound.vietnamese)–\($0.upperBound.vietnamese)" } ?? "",
            editable: editable,
            kinds: DocumentKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == draft.kind) },
            draft: draft, errors: pending?.errors ?? [])
    }

    private init(
        reportID: String, sections: [Section], count: Int, countsSentence: String, periodWindow: String,
        editable: Bool, kinds: [SelectOption], draft: Draft, errors: [String]
    ) {
        (self.reportID, self.sections, self.count, self.countsSentence) = (reportID, sections, count, countsSentence)
        (self.periodWindow, self.editable, self.kinds, self.draft, self.errors) = (periodWindow, editable, kinds, draft, errors)
    }
}

extension DocumentEntry {
    /// The entry as a core reference, for its citation (audit trail, exports).
    var reference: DocumentReference? {
        guard let kind = DocumentKind(rawValue: kind), let date = issuedOn.flatMap(CivilDate.init(iso:)) else { return nil }
        return DocumentReference(kind: kind, number: number, date: date, issuer: issuer.isEmpty ? nil : issuer, summary: summary)
    }

    var citation: String { reference?.citation ?? "\(kind) số \(number): \(summary)" }
}
