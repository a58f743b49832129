/// A growable UTF-8 byte buffer for building XML parts.
///
/// Building parts as bytes (rather than String interpolation) keeps the
/// 11,000-row report sheets fast: no intermediate String per cell, and
/// escaping scans bytes once.
struct XMLBuffer {
    /// How characters XML 1.0 cannot carry (most C0 controls, U+FFFE/U+FFFF) are written.
    enum ControlCharacters {
        /// SpreadsheetML's `_xHHHH_` escape, which Excel decodes back to the character.
        case excelEscape
        /// Dropped: WordprocessingML has no escape for them.
        case drop
    }

    var bytes: [UInt8]

    init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    @inline(__always) mutating func raw(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    mutating func int(_ value: Int) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(48 + value))
            return
        }
        var n = value.magnitude
        if value < 0 { bytes.append(45) }
        var tmp:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            repeat {
                buf[19 - len] = UInt8(48 + n % 10)
                n /= 10
                len += 1
            } while n > 0
            bytes.append(contentsOf: buf[(20 - len)...])
        }
    }

    /// Writes a finite double in the shortest form that reads back to the same value.
    /// Integral values up to 2^53 are written as integers without ".0" (what
    /// Excel writes); others use Swift's shortest round-trip form ("97.45", "1e+20").
    mutating func number(_ value: Double) {
        if value.rounded(.towardZero) == value, value.magnitude < 9_007_199_254_740_992 {
            int(Int(value))
        } else {
            raw(value.description)
        }
    }

    /// Element text: escapes markup characters and characters XML cannot hold.
    mutating func text(_ s: String, control: ControlCharacters = .excelEscape) {
        escape(s, attribute: false, control: control)
    }

    /// Attribute value (double-quoted): also escapes quotes and whitespace that
    /// attribute normalisation would otherwise turn into spaces.
    mutating func attribute(_ s: String) {
        escape(s, attribute: true, control: .drop)
    }

    private mutating func escape(_ s: String, attribute: Bool, control: ControlCharacters) {
        var s = s
        s.withUTF8 { src in
            // Fast path: most cells need no escaping at all.
            var needs = false
            for b in src where b < 0x20 || b == 38 || b == 60 || b == 62 || b == 34 || b == 95 || b == 0xEF {
                needs = true
                break
            }
            if !needs {
                bytes.append(contentsOf: src)
                return
            }
            let n = src.count
            var i = 0
            while i < n {
                let b = src[i]
                switch b {
                case 38: raw("&amp;")
                case 60: raw("&lt;")
                case 62: raw("&gt;")
                case 34 where attribute: raw("&quot;")
                case 9: if attribute { raw("&#9;") } else { bytes.append(b) }
                case 10: if attribute { raw("&#10;") } else { bytes.append(b) }
                case 13: raw("&#13;") // a literal CR would be normalised to LF by parsers
                case 0..<32:
                    if control == .excelEscape { hexEscape(UInt32(b)) }
                case 95 where control == .excelEscape && XMLBuffer.looksLikeHexEscape(src, i):
                    // A literal "_x0041_" must not be decoded as 'A' by Excel: escape its underscore.
                    raw("_x005F_")
                case 0xEF where i + 2 < n && src[i + 1] == 0xBF && (src[i + 2] == 0xBE || src[i + 2] == 0xBF):
                    // U+FFFE / U+FFFF are not XML characters.
                    if control == .excelEscape { hexEscape(src[i + 2] == 0xBE ? 0xFFFE : 0xFFFF) }
                    i += 2
                default:
                    bytes.append(b)
                }
                i += 1
            }
        }
    }

    private mutating func hexEscape(_ v: UInt32) {
        let hex: StaticString = "0123456789ABCDEF"
        raw("_x")
        hex.withUTF8Buffer { h in
            for shift in stride(from: 12, through: 0, by: -4) {
                bytes.append(h[Int((v >> UInt32(shift)) & 0xF)])
            }
        }
        byte(95)
    }

    /// True when bytes at `i` spell `_xHHHH_`.
    static func looksLikeHexEscape(_ src: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i + 6 < src.count, src[i] == 95, src[i + 1] == 120 || src[i + 1] == 88, src[i + 6] == 95 else { return false }
        for k in 2...5 where hexValue(src[i + k]) == nil { return false }
        return true
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 48...57: return UInt32(b - 48)
        case 65...70: return UInt32(b - 55)
        case 97...102: return UInt32(b - 87)
        default: return nil
        }
    }

    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
}
