import Foundation
import ReportingCore
import Vapor

/// The fields of a posted `application/x-www-form-urlencoded` body, read by
/// hand where every request pays for it (the CSRF check, a save). Vapor's
/// decoder builds a tree of every field first; on a save it took about 5% of
/// the time.
struct FormBody {
    /// In the order sent; a field that is not valid percent-encoding, or over a limit, is left out.
    let fields: [(name: String, value: String)]
    /// False when a field was left out.
    let isWellFormed: Bool

    /// Why the body cannot be used as sent (over a limit, broken encoding), in Vietnamese.
    let problem: String?

    /// Decoded by `FormURLEncoded` (ReportingCore), which bounds the field count and sizes and is fuzzed.
    init(_ body: ByteBuffer) {
        let decoded = body.withUnsafeReadableBytes { FormURLEncoded.decode($0) }
        fields = decoded.fields.map { ($0.name, $0.value) }
        isWellFormed = decoded.isWellFormed
        problem = decoded.problem
    }

    /// The first value sent under `name`.
    func first(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The form of a request, read once however many places ask for it
    /// (the CSRF check, then the route). Nil for a body of another type.
    static func of(_ request: Request) -> FormBody? {
        if let read = request.storage[Key.self] { return read }
        // The header itself, not Vapor's parsed media type: parsing it on every request cost more than the form.
        guard let type = request.headers.first(name: .contentType),
            type.lowercased().hasPrefix("application/x-www-form-urlencoded"), let body = request.body.data
        else { return nil }
        let form = FormBody(body)
        request.storage[Key.self] = form
        return form
    }

    private struct Key: StorageKey { typealias Value = FormBody }
}
