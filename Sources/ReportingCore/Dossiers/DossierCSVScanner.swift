/// Splits CSV bytes into records and fields without building a String per
/// field (RFC 4180: quotes, doubled quotes, CRLF or LF). Fields are byte
/// ranges into the caller's buffer; a quoted field's range excludes its quotes.
struct DossierCSVScanner {
    enum Outcome: Equatable {
        /// A whole record: `end` is where the next record starts, `newlines` the line breaks it spans.
        case record(end: Int, fields: Int, newlines: Int)
        /// The record runs past the buffer: read more, or call again with `atEnd`.
        case needMore
        case tooManyFields
        case unterminatedQuote
        /// Text after a closing quote, as in `"abc"def`.
        case strayQuote
    }

    /// Field starts, ends and whether a field holds doubled quotes to undo.
    var starts: [Int]
    var ends: [Int]
    var escaped: [Bool]
    let maxFields: Int

    init(maxFields: Int) {
        self.maxFields = maxFields
        starts = Array(repeating: 0, count: maxFields)
        ends = Array(repeating: 0, count: maxFields)
        escaped = Array(repeating: false, count: maxFields)
    }

    /// Scans the record that starts at `from` in `buffer[0..<count]`.
    mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, count: Int, atEnd: Bool) -> Outcome {
        guard let base = buffer.baseAddress else { return atEnd ? .record(end: from, fields: 0, newlines: 0) : .needMore }
        var index = from
        var field = 0
        var newlines = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        return starts.withUnsafeMutableBufferPointer { starts in
            ends.withUnsafeMutableBufferPointer { ends in
                escaped.withUnsafeMutableBufferPointer { escaped in
                    while true {
                        guard field < maxFields else { return .tooManyFields }
                        if index < count && base[index] == quote {
                            // Quoted field: runs to the next quote not doubled.
                            index += 1
                            let start = index
                            var doubled = false
                            while true {
                                guard index < count else { return atEnd ? .unterminatedQuote : .needMore }
                                let byte = base[index]
                                if byte == quote {
                                    if index + 1 < count && base[index + 1] == quote { doubled = true; index += 2; continue }
                                    if index + 1 >= count && !atEnd { return .needMore }
                                    break
                                }
                                if byte == lf { newlines += 1 }
                                index += 1
                            }
                            starts[field] = start
                            ends[field] = index
                            escaped[field] = doubled
                            field += 1
                            index += 1
                            if index >= count {
                                return atEnd ? .record(end: index, fields: field, newlines: newlines) : .needMore
                            }
                            let next = base[index]
                            if next == comma { index += 1; continue }
                            if next == lf { return .record(end: index + 1, fields: field, newlines: newlines + 1) }
                            if next == cr {
                                if index + 1 < count && base[index + 1] == lf {
                                    return .record(end: index + 2, fields: field, newlines: newlines + 1)
                                }
                                if index + 1 >= count && !atEnd { return .needMore }
                                return .strayQuote
                            }
                            return .strayQuote
                        }
                        // Plain field: runs to a comma or the end of the line.
                        let start = index
                        while index < count {
                            let byte = base[index]
                            if byte == comma || byte == lf { break }
                            index += 1
                        }
                        if index >= count && !atEnd { return .needMore }
                        var end = index
                        if end > start && base[end - 1] == cr && (index >= count || base[index] == lf) { end -= 1 }
                        starts[field] = start
                        ends[field] = end
                        escaped[field] = false
                        field += 1
                        if index >= count { return .record(end: index, fields: field, newlines: newlines) }
                        if base[index] == lf { return .record(end: index + 1, fields: field, newlines: newlines + 1) }
                        index += 1
                    }
                }
            }
        }
    }
}
