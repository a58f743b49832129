/// Builds HTML and SVG with escaping by construction: tag names, attribute
/// names and literal markup are `StaticString`s, so only text written in our
/// source can become markup; every other value goes through `text` or an
/// attribute value and is escaped the way Leaf's `#(…)` escapes. Used for the
/// large, hot fragments (the data-entry grid, the charts) where Leaf's
/// interpreter cost most of a page's time; the pages around them stay Leaf.
struct HTMLWriter {
    private var bytes: [UInt8] = []
    /// XML (SVG) drops the control characters XML 1.0 does not allow; HTML
    /// keeps them, so a value shown in an input round-trips unchanged.
    private let xml: Bool

    init(reservingCapacity capacity: Int = 0, xml: Bool = false) {
        self.xml = xml
        bytes.reserveCapacity(capacity)
    }

    var html: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Elements

    /// `<tag a="v" …>`
    mutating func start(_ tag: StaticString, _ attributes: HTMLAttribute...) {
        open(tag, attributes)
        byte(">")
    }

    /// `<tag a="v" …/>`, for SVG's empty elements.
    mutating func empty(_ tag: StaticString, _ attributes: HTMLAttribute...) {
        open(tag, attributes)
        markup("/>")
    }

    /// `</tag>`
    mutating func end(_ tag: StaticString) {
        markup("</")
        markup(tag)
        byte(">")
    }

    /// `<tag a="v" …>text</tag>`
    mutating func element(_ tag: StaticString, _ attributes: HTMLAttribute..., text value: String) {
        open(tag, attributes)
        byte(">")
        text(value)
        end(tag)
    }

    private mutating func open(_ tag: StaticString, _ attributes: [HTMLAttribute]) {
        byte("<")
        markup(tag)
        for attribute in attributes { write(attribute) }
    }

    private mutating func write(_ attribute: HTMLAttribute) {
        switch attribute.value {
        case .omitted:
            return
        case .flag:
            byte(" ")
            markup(attribute.name)
        case .text(let value):
            byte(" "); markup(attribute.name); markup("=\""); text(value); byte("\"")
        case .integer(let value):
            byte(" "); markup(attribute.name); markup("=\""); text(value); byte("\"")
        case .coordinate(let value):
            byte(" "); markup(attribute.name); markup("=\""); coordinate(value); byte("\"")
        }
    }

    // MARK: Content

    /// Markup written in our source, never a value.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text or an attribute value: `& " ' < >` escaped.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            for unit in utf8 {
                switch unit {
                case UInt8(ascii: "&"): markup("&amp;")
                case UInt8(ascii: "\""): markup("&quot;")
                case UInt8(ascii: "'"): markup("&#39;")
                case UInt8(ascii: "<"): markup("&lt;")
                case UInt8(ascii: ">"): markup("&gt;")
                case 0x00..<0x20 where xml && unit != 0x09 && unit != 0x0A: continue
                default: bytes.append(unit)
                }
            }
        }
    }

    mutating func text(_ value: Int) {
        text(String(value))
    }

    /// An SVG coordinate: a dot and at most one decimal, whatever the locale.
    mutating func coordinate(_ value: Double) {
        text(Self.coordinate(value))
    }

    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        guard abs(tenths) < 1e15 else { return "0" }
        let whole = Int(tenths) / 10, fraction = abs(Int(tenths) % 10)
        if fraction == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    private mutating func byte(_ scalar: Unicode.Scalar) {
        bytes.append(UInt8(truncatingIfNeeded: scalar.value))
    }

    static func escape(_ value: String) -> String {
        var writer = HTMLWriter()
        writer.text(value)
        return writer.html
    }
}

/// One attribute of an element `HTMLWriter` writes: a literal name and a value
/// that is always escaped.
struct HTMLAttribute {
    enum Value {
        case text(String)
        case integer(Int)
        case coordinate(Double)
        case flag, omitted
    }

    let name: StaticString
    let value: Value

    init(_ name: StaticString, _ value: String) { (self.name, self.value) = (name, .text(value)) }
    init(_ name: StaticString, _ value: Int) { (self.name, self.value) = (name, .integer(value)) }
    init(_ name: StaticString, _ value: Double) { (self.name, self.value) = (name, .coordinate(value)) }
    private init(name: StaticString, value: Value) { (self.name, self.value) = (name, value) }

    /// A boolean attribute (`readonly`, `selected`), written only when `on`.
    static func flag(_ name: StaticString, _ on: Bool = true) -> HTMLAttribute {
        HTMLAttribute(name: name, value: on ? .flag : .omitted)
    }

    /// `attribute`, written only when `on`.
    static func when(_ on: Bool, _ attribute: HTMLAttribute) -> HTMLAttribute {
        on ? attribute : HTMLAttribute(name: attribute.name, value: .omitted)
    }

    /// An attribute written only when the value is there and not empty.
    static func optional(_ name: StaticString, _ value: String?) -> HTMLAttribute {
        guard let value, !value.isEmpty else { return HTMLAttribute(name: name, value: .omitted) }
        return HTMLAttribute(name, value)
    }
}
