/// Appends HTML to one growing string, escaping every value the way Leaf's
/// `#(…)` does. For the few large, hot fragments (the data-entry grid) where
/// Leaf's interpreter cost most of a page's time; the pages around them stay
/// Leaf templates.
struct HTMLWriter {
    private(set) var html = ""

    init(reservingCapacity capacity: Int = 0) {
        html.reserveCapacity(capacity)
    }

    /// Markup written by us, never user data.
    mutating func raw(_ markup: String) {
        html += markup
    }

    /// Text or an attribute value: `& " ' < >` escaped.
    mutating func text(_ value: String) {
        // Most values (codes, numbers, Vietnamese names) have nothing to escape.
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else {
            html += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": html += "&amp;"
            case "\"": html += "&quot;"
            case "'": html += "&#39;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            default: html.unicodeScalars.append(scalar)
            }
        }
    }

    mutating func text(_ value: Int) {
        html += String(value)
    }

    static func escape(_ value: String) -> String {
        var writer = HTMLWriter()
        writer.text(value)
        return writer.html
    }
}
