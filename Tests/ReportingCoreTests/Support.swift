import Foundation
import Testing

@testable import ReportingCore

enum Fixtures {
    static let library: FormLibrary = {
        do { return try FormLibrary.builtIn() } catch { fatalError("Built-in forms do not load: \(error)") }
    }()

    static func text(_ name: String) throws -> String {
        let url =
            Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A seed's values file as `code → cell as typed`.
    static func entries(_ name: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try ValuesFile.parse(try text(name)) { result[row.code] = row.value }
        return result
    }

    static func validate(_ formID: String, _ file: String, kind: UnitKind? = nil) throws -> ValidationReport {
        let form = try #require(library.form(formID))
        return Validator(form: form).validate(entries: try entries(file), unitKind: kind)
    }
}
