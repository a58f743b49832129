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
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                wellFormed = false
                continue
            }
            fields.append((name, value))
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
        guard request.headers.contentType == .urlEncodedForm, let body = request.body.data else { return nil }
        if let read = request.storage[Key.self] { return read }
        let form = FormBody(body)
        request.storage[Key.self] = form
        return form
    }

    private struct Key: StorageKey { typealias Value = FormBody }

    /// "+" is a space and "%XX" a byte of UTF-8; nil for a broken escape or
    /// bytes that are not UTF-8.
    static func decode(_ text: Substring) -> String? {
        let utf8 = text.utf8
        let plus = UInt8(ascii: "+"), percent = UInt8(ascii: "%")
        // Most fields carry neither: taken as they are.
        guard utf8.contains(where: { $0 == plus || $0 == percent }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            index = utf8.index(after: index)
            if byte == plus {
                bytes.append(UInt8(ascii: " "))
            } else if byte == percent {
                guard index != utf8.endIndex, let high = hexValue(utf8[index]) else { return nil }
                index = utf8.index(after: index)
                guard index != utf8.endIndex, let low = hexValue(utf8[index]) else { return nil }
                index = utf8.index(after: index)
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
