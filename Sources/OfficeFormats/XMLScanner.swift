import Foundation

/// A forward-only XML tokenizer over UTF-8 bytes.
///
/// Office parts are machine-written, namespace-prefixed XML. A full parser
/// (or XMLParser's callbacks, which allocate a String per name and attribute)
/// is several times slower than needed for 300,000-cell sheets, so this scanner
/// hands out byte ranges and only makes Strings for the values a caller asks for.
/// Names are compared by local name (prefix dropped), which is how producers
/// differ (`<c>` vs `<x:c>`).
struct XMLScanner {
    struct Tag {
        enum Kind { case open, close, empty }
        var kind: Kind
        /// Local name (after any prefix).
        var nameStart: Int
        var nameEnd: Int
        var attributesStart: Int
        var attributesEnd: Int
        /// Index just past '>'.
        var end: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int = 0
    /// Set when the input ends inside markup; callers turn it into `malformedPart`.
    private(set) var isMalformed = false
    /// Set when elements nest deeper than `maxDepth`; scanning stops there.
    private(set) var isTooDeep = false
    /// Open elements around the current position (names are not matched, only counted).
    private var depth = 0
    let maxDepth: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = OfficeReadLimits.standard.maxXMLDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // MARK: Tags

    /// The next start, end or empty-element tag; comments, processing
    /// instructions, DOCTYPE and CDATA are skipped, as is text.
    mutating func nextTag() -> Tag? {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        while position < n {
            // memchr is much faster than a Swift loop for long text runs.
            guard let found = memchr(base + position, 60, n - position) else {
                position = n
                return nil
            }
            let lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            position = lt + 1
            guard position < n else { isMalformed = true; return nil }
            let c = bytes[position]
            if c == 33 || c == 63 { // <! or <?
                skipSpecial(from: lt)
                continue
            }
            var kind = Tag.Kind.open
            if c == 47 { kind = .close; position += 1 }
            // Name
            var nameStart = position
            while position < n {
                let b = bytes[position]
                if b == 32 || b == 62 || b == 47 || b == 9 || b == 10 || b == 13 { break }
                if b == 58 { nameStart = position + 1 } // prefix separator
                position += 1
            }
            let nameEnd = position
            let attributesStart = position
            // Attributes: find '>' outside quotes.
            var quote: UInt8 = 0
            while position < n {
                let b = bytes[position]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 34 || b == 39 {
                    quote = b
                } else if b == 62 {
                    break
                }
                position += 1
            }
            guard position < n else { isMalformed = true; return nil }
            var attributesEnd = position
            if kind == .open, attributesEnd > attributesStart, bytes[attributesEnd - 1] == 47 {
                kind = .empty
                attributesEnd -= 1
            }
            position += 1
            if kind == .open {
                depth += 1
                // Readers recurse on some nestings (Word tables), so depth is bounded here for all of them.
                if depth > maxDepth { isTooDeep = true; position = n; return nil }
            } else if kind == .close, depth > 0 {
                depth -= 1
            }
            return Tag(
                kind: kind, nameStart: nameStart, nameEnd: nameEnd,
                attributesStart: attributesStart, attributesEnd: attributesEnd, end: position)
        }
        return nil
    }

    private mutating func skipSpecial(from lt: Int) {
        if matches(lt, "<!--") {
            skip(past: "-->", from: lt + 4)
        } else if matches(lt, "<![CDATA[") {
            skip(past: "]]>", from: lt + 9)
        } else if matches(lt, "<?") {
            skip(past: "?>", from: lt + 2)
        } else {
            // <!DOCTYPE ...> possibly with an internal subset [ ... ]
            var depth = 0
            var i = lt + 2
            while i < bytes.count {
                let b = bytes[i]
                if b == 91 { depth += 1 } else if b == 93 { depth -= 1 } else if b == 62 && depth <= 0 { break }
                i += 1
            }
            position = min(i + 1, bytes.count)
            if i >= bytes.count { isMalformed = true }
        }
    }

    private mutating func skip(past terminator: StaticString, from start: Int) {
        if let idx = find(terminator, from: start) {
            position = idx + terminator.utf8CodeUnitCount
        } else {
            position = bytes.count
            isMalformed = true
        }
    }

    func find(_ needle: StaticString, from start: Int) -> Int? {
        let m = needle.utf8CodeUnitCount
        guard let base = bytes.baseAddress, m > 0 else { return nil }
        var i = start
        let first = needle.utf8Start.pointee
        while i + m <= bytes.count {
            guard let found = memchr(base + i, Int32(first), bytes.count - i) else { return nil }
            let j = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if j + m > bytes.count { return nil }
            if memcmp(base + j, needle.utf8Start, m) == 0 { return j }
            i = j + 1
        }
        return nil
    }

    func matches(_ at: Int, _ s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard at + m <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + at, s.utf8Start, m) == 0
    }

    @inline(__always) func isNamed(_ tag: Tag, _ name: StaticString) -> Bool {
        let m = name.utf8CodeUnitCount
        guard tag.nameEnd - tag.nameStart == m, let base = bytes.baseAddress else { return false }
        return memcmp(base + tag.nameStart, name.utf8Start, m) == 0
    }

    func name(_ tag: Tag) -> String {
        string(tag.nameStart..<tag.nameEnd)
    }

    // MARK: Attributes

    /// Byte range of the value of the attribute with this local name, if present.
    func attributeRange(_ tag: Tag, _ name: StaticString) -> Range<Int>? {
        var i = tag.attributesStart
        let end = tag.attributesEnd
        let m = name.utf8CodeUnitCount
        guard let base = bytes.baseAddress else { return nil }
        while i < end {
            while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
            guard i < end else { return nil }
            var localStart = i
            while i < end, bytes[i] != 61, !XMLScanner.isSpace(bytes[i]) {
                if bytes[i] == 58 { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < end, bytes[i] != 61 { i += 1 }
            i += 1
            while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
            guard i < end else { return nil }
            let q = bytes[i]
            guard q == 34 || q == 39 else { return nil }
            let valueStart = i + 1
            i = valueStart
            while i < end, bytes[i] != q { i += 1 }
            let valueEnd = i
            i += 1
            if nameEnd - localStart == m, memcmp(base + localStart, name.utf8Start, m) == 0 {
                return valueStart..<valueEnd
            }
        }
        return nil
    }

    func attribute(_ tag: Tag, _ name: StaticString) -> String? {
        attributeRange(tag, name).map { decodedString($0) }
    }

    func intAttribute(_ tag: Tag, _ name: StaticString) -> Int? {
        attributeRange(tag, name).flatMap { parseInt($0) }
    }

    func doubleAttribute(_ tag: Tag, _ name: StaticString) -> Double? {
        attributeRange(tag, name).flatMap { parseDouble($0) }
    }

    /// OOXML booleans: "1"/"true"/"on" are true. Absent → `default`.
    func boolAttribute(_ tag: Tag, _ name: StaticString, default defaultValue: Bool) -> Bool {
        guard let r = attributeRange(tag, name), !r.isEmpty else { return defaultValue }
        let b = bytes[r.lowerBound]
        return b == 49 || b == 116 || b == 84 || (b == 111 && r.count == 2) // 1, t, T, "on"
    }

    func attributeEquals(_ tag: Tag, _ name: StaticString, _ value: StaticString) -> Bool {
        guard let r = attributeRange(tag, name), r.count == value.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base + r.lowerBound, value.utf8Start, r.count) == 0
    }

    // MARK: Text

    /// Text content of the element just opened by `tag`, up to its matching end
    /// tag; text inside nested elements and CDATA is included. Leaves the
    /// scanner after the end tag.
    mutating func elementText(of tag: Tag, unescapeExcel: Bool = false) -> String {
        guard tag.kind == .open else { return "" }
        var depth = 0
        var pieces: [UInt8] = []
        var simpleRange: Range<Int>? = nil
        var segments = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return "" }
        while position < n {
            let start = position
            let lt: Int
            if let found = memchr(base + position, 60, n - position) {
                lt = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            } else {
                isMalformed = true
                position = n
                break
            }
            if lt > start {
                segments += 1
                if segments == 1 {
                    simpleRange = start..<lt
                } else {
                    if let r = simpleRange { pieces.append(contentsOf: bytes[r]); simpleRange = nil }
                    pieces.append(contentsOf: bytes[start..<lt])
                }
            }
            position = lt
            if matches(lt, "<!--") {
                guard let close = find("-->", from: lt + 4) else { isMalformed = true; position = n; break }
                position = close + 3
                continue
            }
            if matches(lt, "<![CDATA[") {
                guard let close = find("]]>", from: lt + 9) else { isMalformed = true; position = n; break }
                // CDATA is literal: escape '&' so the entity decoder below leaves it alone.
                if let r = simpleRange { pieces.append(contentsOf: bytes[r]); simpleRange = nil }
                segments += 2
                for b in bytes[(lt + 9)..<close] {
                    if b == 38 { pieces.append(contentsOf: Array("&amp;".utf8)) } else { pieces.append(b) }
                }
                position = close + 3
                continue
            }
            guard let t = nextTag() else { break }
            switch t.kind {
            case .open: depth += 1
            case .empty: break
            case .close:
                if depth == 0 {
                    if segments <= 1 {
                        return simpleRange.map { decodedString($0, unescapeExcel: unescapeExcel) } ?? ""
                    }
                    return pieces.withUnsafeBufferPointer { XMLScanner.decode($0, 0..<$0.count, unescapeExcel: unescapeExcel) }
                }
                depth -= 1
            }
        }
        return ""
    }

    /// Skips everything up to and including the end tag matching `tag`.
    mutating func skipElement(_ tag: Tag) {
        guard tag.kind == .open else { return }
        var depth = 0
        while let t = nextTag() {
            switch t.kind {
            case .open: depth += 1
            case .empty: break
            case .close:
                if depth == 0 { return }
                depth -= 1
            }
        }
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func decodedString(_ range: Range<Int>, unescapeExcel: Bool = false) -> String {
        XMLScanner.decode(bytes, range, unescapeExcel: unescapeExcel)
    }

    /// Decodes entity and character references, and optionally SpreadsheetML's `_xHHHH_` escapes.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, unescapeExcel: Bool) -> String {
        var special = false
        for i in range where bytes[i] == 38 || (unescapeExcel && bytes[i] == 95) || bytes[i] == 13 {
            special = true
            break
        }
        if !special {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b == 38, let semi = (i + 1..<min(end, i + 12)).first(where: { bytes[$0] == 59 }) {
                let body = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<semi])
                if let scalar = entityScalar(body) {
                    appendUTF8(scalar, to: &out)
                    i = semi + 1
                    continue
                }
                out.append(b)
                i += 1
            } else if b == 13 {
                // XML end-of-line handling: literal CR and CRLF become LF (a &#13; reference survives).
                out.append(10)
                i += (i + 1 < end && bytes[i + 1] == 10) ? 2 : 1
            } else if unescapeExcel, b == 95, i + 6 < end, XMLBuffer.looksLikeHexEscape(UnsafeBufferPointer(rebasing: bytes[i..<end]), 0) {
                var v: UInt32 = 0
                for k in 2...5 { v = v * 16 + (XMLBuffer.hexValue(bytes[i + k]) ?? 0) }
                if let scalar = Unicode.Scalar(v) {
                    appendUTF8(scalar, to: &out)
                } else {
                    out.append(contentsOf: bytes[i...(i + 6)])
                }
                i += 7
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func entityScalar(_ body: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        let s = String(decoding: body, as: UTF8.self)
        switch s {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard s.hasPrefix("#") else { return nil }
            let digits = s.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            return value.flatMap { Unicode.Scalar($0) }
        }
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        guard let units = UTF8.encode(scalar) else { return }
        for unit in units { out.append(unit) }
    }

    // MARK: Numbers

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 32 || b == 9 || b == 10 || b == 13
    }

    func parseInt(_ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        var end = range.upperBound
        while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
        while end > i, XMLScanner.isSpace(bytes[end - 1]) { end -= 1 }
        var negative = false
        if i < end, bytes[i] == 45 || bytes[i] == 43 { negative = bytes[i] == 45; i += 1 }
        guard i < end, end - i <= 18 else { return nil }
        var v = 0
        while i < end {
            let d = bytes[i] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
            i += 1
        }
        return negative ? -v : v
    }

    /// Parses an xsd:double. Short decimals (the usual case) are converted
    /// exactly with integer arithmetic (Clinger's fast path); anything else
    /// falls back to the standard library, which is correctly rounded. Neither
    /// depends on the C locale.
    func parseDouble(_ range: Range<Int>) -> Double? {
        var i = range.lowerBound
        var end = range.upperBound
        while i < end, XMLScanner.isSpace(bytes[i]) { i += 1 }
        while end > i, XMLScanner.isSpace(bytes[end - 1]) { end -= 1 }
        guard i < end else { return nil }
        let start = i
        var negative = false
        if bytes[i] == 45 || bytes[i] == 43 { negative = bytes[i] == 45; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawDot = false
        var simple = true
        while i < end {
            let b = bytes[i]
            if b >= 48, b <= 57 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(b - 48)
                    if mantissa != 0 { digits += 1 }
                    if sawDot { fraction += 1 }
                } else {
                    simple = false
                    break
                }
            } else if b == 46, !sawDot {
                sawDot = true
            } else {
                simple = false
                break
            }
            i += 1
        }
        if simple, digits <= 15, fraction <= 22, i > start + (negative ? 1 : 0) {
            var v = Double(mantissa)
            if fraction > 0 { v /= XMLScanner.powersOfTen[fraction] }
            return negative ? -v : v
        }
        return Double(string(start..<end))
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    ]
}
