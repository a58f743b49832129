/// Escaping for the exchange writers: every text that goes into an XML or JSON
/// file passes here, so a hostile name (<, &, quotes, control characters) can
/// never change the structure of the file.
enum ExchangeText {
    /// XML 1.0 cannot carry most control characters even as references; they become U+FFFD.
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Text content of an element.
    static func xmlText(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\r": result.append(contentsOf: "&#13;".unicodeScalars)
            default: result.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return String(result)
    }

    /// An attribute value in double quotes; tabs and line breaks as references so
    /// attribute normalisation keeps them.
    static func xmlAttribute(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let reference: String
            switch scalar {
            case "&": reference = "&amp;"
            case "<": reference = "&lt;"
            case ">": reference = "&gt;"
            case "\"": reference = "&quot;"
            case "'": reference = "&apos;"
            case "\t": reference = "&#9;"
            case "\n": reference = "&#10;"
            case "\r": reference = "&#13;"
            default:
                result.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
                continue
            }
            result.append(contentsOf: reference.unicodeScalars)
        }
        return String(result)
    }

    /// A JSON string literal, quotes included.
    static func jsonString(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        result.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": result.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": result.append(contentsOf: "\\n".unicodeScalars)
            case "\r": result.append(contentsOf: "\\r".unicodeScalars)
            case "\t": result.append(contentsOf: "\\t".unicodeScalars)
            default:
                // Control characters, and the two line separators some JavaScript parsers reject.
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    result.append(contentsOf: ("\\u" + hex4(scalar.value)).unicodeScalars)
                } else {
                    result.append(scalar)
                }
            }
        }
        result.append("\"")
        return String(result)
    }

    static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func hex4(_ value: UInt32) -> String {
        String(decoding: (0..<4).reversed().map { hexDigits[Int((value >> (UInt32($0) * 4)) & 0xF)] }, as: UTF8.self)
    }

    /// A text shown inside a message: at most 40 characters, control characters as spaces.
    static func shown(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        return clean.count > 40 ? String(clean.prefix(40)) + "…" : clean
    }
}
