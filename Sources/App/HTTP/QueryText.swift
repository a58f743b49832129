import Foundation

extension Optional where Wrapped == String {
    /// The text, or nil when it is missing or blank (an empty form field).
    var nonBlank: String? {
        guard let text = self?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
