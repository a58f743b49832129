import Foundation
import Vapor

/// The fields of a posted `application/x-www-form-urlencoded` body, read by
/// hand where every request pays for it (the CSRF check, a save). Vapor's
/// decoder builds a tree of every field first; on a save it took about 5% of
/// the time.
struct FormBody {
    /// In the order sent; a field that is not valid percent-encoding is left out.
    let fields: [(name: String, value: String)]
    /// False when a field was left out.
    let isWellFormed: Bool

    init(_ body: ByteBuffer) {
        var fields: [(String, String)] = []
        var wellFormed = true
        // Split on the bytes "&" and "=": never on Characters, which costs grapheme breaking.
        body.withUnsafeReadableBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
                let pair = bytes[start..<end]
                if !pair.isEmpty {
                    let equals = pair.firstIndex(of: UInt8(ascii: "="))
                    if let name = Self.decode(pair[..<(equals ?? end)]),
                       let value = Self.decode(equals.map { pair[($0 + 1)...] } ?? pair[end...]) {
                        fields.append((name, value))
                    } else {
                        wellFormed = false
                    }
                }
                start = end + 1
            }
        }
        self.fields = fields
        isWellFormed = wellFormed
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
              type.lowercased().hasPrefix("application/x-www-form-urlencoded"), let body = request.body.data else { return nil }
        let form = FormBody(body)
        request.storage[Key.self] = form
        return form
    }

    private struct Key: StorageKey { typealias Value = FormBody }

    /// "+" is a space and "%XX" a byte of UTF-8; nil for a broken escape or
    /// bytes that are not UTF-8.
    static func decode(_ text: Slice<UnsafeRawBufferPointer>) -> String? {
        let plus = UInt8(ascii: "+"), percent = UInt8(ascii: "%")
        // Most fields carry neither: taken as they are.
        guard text.contains(where: { $0 == plus || $0 == percent }) else { return String(validating: text, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            if byte == plus {
                bytes.append(UInt8(ascii: " "))
            } else if byte == percent {
                guard index + 1 < text.endIndex, let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return nil }
                index += 2
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
