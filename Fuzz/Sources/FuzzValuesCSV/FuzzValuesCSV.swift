import ReportingCore

let library = try? FormLibrary.builtIn()

/// Reads the input as a values CSV and validates its rows against every
/// built-in form, as `baocao validate` does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let rows = try? ValuesFile.parse(text) else { return 0 }
    var entries: [String: String] = [:], notes: [String: String] = [:], previous: [String: ExactNumber] = [:]
    for row in rows {
        entries[row.code] = row.value
        if let note = row.note { notes[row.code] = note }
        if case .success(let number) = VietnameseNumber.parse(row.note ?? "") { previous[row.code] = number }
    }
    for form in library?.sortedForms ?? [] {
        let report = Validator(form: form).validate(entries: entries, notes: notes, unitKind: .district, previous: previous)
        for problem in report.problems { _ = problem.message }
    }
    return 0
}
