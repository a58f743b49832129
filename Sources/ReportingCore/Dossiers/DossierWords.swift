import Foundation

/// The words one column accepts, looked up from the raw bytes of a cell: exact
/// byte matches first (no String), then, for a cell typed differently (case,
/// decomposed Unicode from a Mac, spaces), a normalised look-up whose answer
/// is remembered for those bytes.
struct DossierWords {
    private var exact: [([UInt8], UInt8)] = []
    private var byNormalized: [String: UInt8] = [:]
    /// The words as the default layout writes them, for messages.
    let allowed: [String]
    static let maxRemembered = 256

    init(field: DossierField, extra: [String: String]) {
        allowed = field.defaultWords.map(\.word)
        for (word, value) in field.defaultWords {
            exact.append((Array(word.utf8), value))
            byNormalized[DossierWords.normalized(word)] = value
        }
        for (word, target) in extra {
            guard let value = byNormalized[DossierWords.normalized(target)] else { continue }
            exact.append((Array(word.utf8), value))
            byNormalized[DossierWords.normalized(word)] = value
        }
    }

    /// NFC, lower case, inner spaces collapsed: "  TRỰC  tuyến " → "trực tuyến".
    static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }).joined(separator: " ")
    }

    /// The value of a cell, or nil when the word is not accepted.
    mutating func value(of bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        let count = bytes.count
        for (word, value) in exact where word.count == count {
            if count == 0 { return value }
            let same = word.withUnsafeBufferPointer { stored -> Bool in
                guard let left = stored.baseAddress, let right = bytes.baseAddress else { return false }
                return memcmp(left, right, count) == 0
            }
            if same { return value }
        }
        guard let value = byNormalized[DossierWords.normalized(String(decoding: bytes, as: UTF8.self))] else { return nil }
        if exact.count < DossierWords.maxRemembered { exact.append((Array(bytes), value)) }
        return value
    }
}
