import Foundation

/// How a filled Excel template becomes a save when the report may have
/// changed since the template was downloaded.
///
/// The template records the version it was made from. A cell the file leaves
/// as it was then keeps whatever is stored now (a colleague's later change
/// stays); a cell the file changes is taken when nobody changed it since; a
/// cell both changed to different values is a conflict, and then nothing is
/// saved: the upload answers 409 listing those cells. What a cell held at the
/// template's version is read back from the audit trail, whose entries carry
/// the version they created.
struct TemplateMerge {
    /// One cell changed both in the file and, since the download, in BaoCao.
    struct Clash: Sendable, Equatable {
        let code: String
        let field: Field
        /// At the template's version, now stored, and in the file.
        let base: String
        let theirs: String
        let yours: String
    }

    enum Field: Sendable, Equatable { case value, note }

    struct Stale: Error {
        let templateVersion: Int
        let currentVersion: Int
        let clashes: [Clash]
    }

    /// A cell change since the template's version, from the audit trail.
    struct Change: Sendable {
        let code: String
        let field: Field
        /// The version the change created; nil for entries older than versions in the trail.
        let version: Int?
        let from: String?
    }

    let templateVersion: Int
    let currentVersion: Int
    /// Stored now, by code.
    let storedValues: [String: String]
    let storedNotes: [String: String]
    /// Every value and note change after `templateVersion`.
    let changes: [Change]

    /// The cells to save (only those the file changes), or `Stale` listing the clashes.
    func merge(values: [String: String], notes: [String: String]) throws(Stale) -> (values: [String: String], notes: [String: String]) {
        var clashes: [Clash] = []
        func resolve(_ file: [String: String], stored: [String: String], field: Field) -> [String: String] {
            // The first change after the template's version tells what the cell held then.
            var base: [String: String] = [:], touched: Set<String> = []
            for change in changes.filter({ $0.field == field }).sorted(by: { ($0.version ?? Int.min) < ($1.version ?? Int.min) }) {
                guard !touched.contains(change.code) else { continue }
                touched.insert(change.code)
                // An entry without a version cannot say when it was made: nothing is assumed about the base then.
                if change.version != nil { base[change.code] = change.from ?? "" }
            }
            var result: [String: String] = [:]
            for (code, text) in file {
                let yours = text.trimmed, theirs = stored[code] ?? ""
                guard yours != theirs else { continue }
                guard touched.contains(code) else { result[code] = text; continue }
                if let then = base[code], then == yours { continue }
                clashes.append(Clash(code: code, field: field, base: base[code] ?? "", theirs: theirs, yours: yours))
            }
            return result
        }
        guard templateVersion != currentVersion else { return (values, notes) }
        let mergedValues = resolve(values, stored: storedValues, field: .value)
        let mergedNotes = resolve(notes, stored: storedNotes, field: .note)
        guard clashes.isEmpty else {
            throw Stale(
                templateVersion: templateVersion, currentVersion: currentVersion,
                clashes: clashes.sorted { ($0.code, $0.field == .value ? 0 : 1) < ($1.code, $1.field == .value ? 0 : 1) })
        }
        return (mergedValues, mergedNotes)
    }
}
