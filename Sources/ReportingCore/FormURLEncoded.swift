/// Decodes an `application/x-www-form-urlencoded` body byte by byte, with
/// limits: a posted form is the one thing every signed-in request may carry,
/// so its decoding must be total and bounded. Pure, so it can be fuzzed.
public enum FormURLEncoded {
    public struct Limits: Sendable, Equatable {
        /// Most fields in one body (the largest form has a few hundred rows, each with a value and a note).
        public var maxFields: Int
        /// Longest name, in bytes once decoded.
        public var maxNameBytes: Int
        /// Longest value, in bytes once decoded (a narrative part is the longest field).
        public var maxValueBytes: Int

        public init(maxFields: Int = 5_000, maxNameBytes: Int = 256, maxValueBytes: Int = 200_000) {
            self.maxFields = maxFields
            self.maxNameBytes = maxNameBytes
            self.maxValueBytes = maxValueBytes
        }

        public static let `default` = Limits()
    }

    /// What a body holds: the fields in the order sent, and whether anything was left out.
    public struct Decoded: Sendable, Equatable {
        public var fields: [Field]
        /// Fields that were not valid percent-encoding or UTF-8, left out.
        public var malformed: Int
        /// Fields beyond `maxFields`, or over a size limit, left out.
        public var overLimit: Int

        public var isWellFormed: Bool { malformed == 0 && overLimit == 0 }

        /// Why the body is not usable as sent, in Vietnamese; nil when it is.
        public var problem: String? {
            if overLimit > 0 {
                return
                    "Biểu mẫu gửi lên quá lớn: \(overLimit) trường vượt giới hạn (số trường hoặc độ dài) đã bị bỏ qua. Không có gì được lưu; hãy rút ngắn nội dung rồi gửi lại."
            }
            if malformed > 0 {
                return "Biểu mẫu gửi lên bị lỗi mã hóa ở \(malformed) trường. Không có gì được lưu; hãy tải lại trang rồi gửi lại."
            }
            return nil
        }
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// Splits on the bytes "&" and "=" (never on Characters, which costs
    /// grapheme breaking) and decodes each part.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) -> Decoded {
        var result = Decoded(fields: [], malformed: 0, overLimit: 0)
        let ampersand = UInt8(ascii: "&"), equals = UInt8(ascii: "=")
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: ampersand) ?? bytes.count
            defer { start = end + 1 }
            let pair = bytes[start..<end]
            if pair.isEmpty { continue }
            guard result.fields.count < limits.maxFields else { result.overLimit += 1; continue }
            let split = pair.firstIndex(of: equals) ?? end
            let rawName = bytes[start..<split]
            let rawValue = split < end ? bytes[(split + 1)..<end] : bytes[end..<end]
            // Decoding never grows a part, so the raw size bounds the decoded one from above.
            guard rawName.count <= limits.maxNameBytes * 3, rawValue.count <= limits.maxValueBytes * 3 else {
                result.overLimit += 1
                continue
            }
            guard let name = component(rawName), let value = component(rawValue) else { result.malformed += 1; continue }
            guard name.utf8.count <= limits.maxNameBytes, value.utf8.count <= limits.maxValueBytes else {
                result.overLimit += 1
                continue
            }
            result.fields.append(Field(name: name, value: value))
        }
        return result
    }

    public static func decode(_ bytes: [UInt8], limits: Limits = .default) -> Decoded {
        bytes.withUnsafeBytes { decode($0, limits: limits) }
    }

    /// "+" is a space and "%XX" a byte of UTF-8; nil for a broken escape or
    /// bytes that are not UTF-8.
    public static func component(_ text: Slice<UnsafeRawBufferPointer>) -> String? {
        let plus = UInt8(ascii: "+"), percent = UInt8(ascii: "%")
        // Most fields carry neither: taken as they are.
        guard text.contains(where: { $0 == plus || $0 == percent }) else { return String(validating: text, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            if byte == plus {
                decoded.append(UInt8(ascii: " "))
            } else if byte == percent {
                guard index + 1 < text.endIndex, let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return nil }
                index += 2
                decoded.append(high << 4 | low)
            } else {
                decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
