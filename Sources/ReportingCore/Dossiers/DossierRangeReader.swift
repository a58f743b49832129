/// Reads the records that start inside one byte range of a dossier file, in
/// chunks of `DossierLimits.bufferBytes` (memory flat in the file's size),
/// finishing the last record even if it runs past the range.
struct DossierRangeReader {
    struct Outcome {
        var accumulator: DossierAccumulator
        /// Where the last record read ended: the next range must start exactly there.
        var endOffset: Int
        var newlines: Int
        /// Reading stopped early on a problem after which no record boundary can be trusted.
        var stopped: Bool
    }

    static func read(
        _ source: DossierByteSource, from start: Int, to end: Int, accumulator: DossierAccumulator,
        bufferBytes: Int = DossierLimits.bufferBytes
    ) -> Outcome {
        var accumulator = accumulator
        var scanner = DossierCSVScanner(maxFields: DossierLimits.maxFields)
        let capacity = max(bufferBytes, DossierLimits.maxLineBytes + 1)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return Outcome(accumulator: accumulator, endOffset: start, newlines: 0, stopped: true) }
        var bufferOffset = start, filled = 0, position = 0, newlines = 0
        var atEnd = false, stopped = false

        while bufferOffset + position < end {
            if atEnd && position >= filled { break }
            let outcome = scanner.scan(UnsafeBufferPointer(buffer), from: position, count: filled, atEnd: atEnd)
            let line = newlines + 1
            switch outcome {
            case .record(let recordEnd, let fields, let breaks):
                accumulator.add(buffer, scanner, count: fields, line: line)
                newlines += breaks
                position = recordEnd
                continue
            case .needMore:
                if filled - position > DossierLimits.maxLineBytes {
                    accumulator.report(line, .lineTooLong(limit: DossierLimits.maxLineBytes))
                    stopped = true
                } else {
                    // Keep the unfinished record, move it to the front, read after it.
                    let kept = filled - position
                    if position > 0 { (base).update(from: base + position, count: kept) }
                    bufferOffset += position
                    position = 0
                    filled = kept
                    let got = source.read(into: base + filled, count: capacity - filled, at: bufferOffset + filled)
                    if got < 0 {
                        accumulator.report(line, .readFailed)
                        stopped = true
                    } else if got == 0 {
                        atEnd = true
                    } else {
                        filled += got
                    }
                    if !stopped { continue }
                }
            case .tooManyFields: accumulator.report(line, .tooManyFields(limit: DossierLimits.maxFields)); stopped = true
            case .unterminatedQuote: accumulator.report(line, .unterminatedQuote); stopped = true
            case .strayQuote: accumulator.report(line, .strayQuote); stopped = true
            }
            break
        }
        return Outcome(accumulator: accumulator, endOffset: bufferOffset + position, newlines: newlines, stopped: stopped)
    }
}
