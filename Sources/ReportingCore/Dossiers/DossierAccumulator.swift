import Foundation

/// Counts the records of one byte range of a file: interprets each field from
/// its bytes and adds the row to its unit's counters. One per worker; merged
/// into a `DossierSummary` at the end.
struct DossierAccumulator {
    let header: DossierHeader
    let window: ClosedRange<Int>
    let knownUnits: Set<String>?
    var units = ByteInterner(capacity: DossierLimits.maxUnits)
    var procedures = ByteInterner(capacity: DossierLimits.maxProcedures)
    /// Counters of unit `u` at `u * stride ..< (u + 1) * stride`.
    var counts: [Int] = []
    var unitKnown: [Bool] = []
    /// Per (unit, procedure): bit 0 online-service dossier, 1 online one, 2 with fees, 3 paid online.
    var procedureFlags: [UInt64: UInt8] = [:]
    var problems: [DossierInputProblem] = []
    var problemCount = 0
    var rows = 0
    var words: [DossierWords]
    static let stride = DossierCounter.allCases.count

    init(header: DossierHeader, mapping: DossierMapping, window: ClosedRange<CivilDate>, knownUnits: Set<String>?) {
        self.header = header
        self.window = window.lowerBound.dayNumber...window.upperBound.dayNumber
        self.knownUnits = knownUnits
        words = DossierField.allCases.map { DossierWords(field: $0, extra: mapping.values[$0] ?? [:]) }
    }

    mutating func report(_ line: Int, _ kind: DossierInputProblem.Kind) {
        problemCount += 1
        if problems.count < DossierLimits.maxReportedProblems { problems.append(DossierInputProblem(line: line, kind: kind)) }
    }

    /// One data record; `fields` has `count` fields whose ranges the scanner left in `scanner`.
    mutating func add(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ scanner: DossierCSVScanner, count: Int, line: Int) {
        // A blank line is no record.
        if count == 1 && scanner.ends[0] == scanner.starts[0] { return }
        guard count > header.lastNeeded else {
            report(line, .missingFields(found: count, expected: header.fieldCount))
            return
        }
        rows += 1
        let before = problemCount
        func cell(_ field: DossierField) -> UnsafeBufferPointer<UInt8> {
            let column = header[field]
            guard column >= 0, let base = buffer.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
            var start = scanner.starts[column], end = scanner.ends[column]
            if scanner.escaped[column] {
                // Undo doubled quotes in place: the record is not read again.
                var write = start, read = start
                while read < end {
                    base[write] = base[read]
                    read += base[read] == UInt8(ascii: "\"") ? 2 : 1
                    write += 1
                }
                end = write
            }
            while start < end && (base[start] == 0x20 || base[start] == 0x09) { start += 1 }
            while end > start && (base[end - 1] == 0x20 || base[end - 1] == 0x09) { end -= 1 }
            return UnsafeBufferPointer(start: base + start, count: end - start)
        }
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes.prefix(200), as: UTF8.self) }
        func word(_ field: DossierField) -> UInt8 {
            let bytes = cell(field)
            if let value = words[field.rawValue].value(of: bytes) { return value }
            report(line, .badWord(column: field.header, text: text(bytes), allowed: words[field.rawValue].allowed))
            return 0
        }
        func date(_ field: DossierField, optional: Bool) -> DossierDate? {
            let bytes = cell(field)
            if bytes.isEmpty {
                if !optional { report(line, .missingDate(column: field.header)) }
                return nil
            }
            if let date = DossierDate.parse(bytes) { return date }
            report(line, .badDate(column: field.header, text: text(bytes)))
            return nil
        }

        let unitBytes = cell(.unit)
        if unitBytes.isEmpty {
            report(line, .missingValue(column: DossierField.unit.header))
            return
        }
        guard let unit = units.intern(unitBytes) else {
            report(line, .tooManyDistinct(what: "mã đơn vị", limit: DossierLimits.maxUnits))
            return
        }
        if unit == unitKnown.count {
            unitKnown.append(knownUnits.map { $0.contains(units.string(unit)) } ?? true)
            counts.append(contentsOf: repeatElement(0, count: DossierAccumulator.stride))
        }
        if !unitKnown[unit] { report(line, .unknownUnit(code: text(unitBytes))) }
        guard let procedure = procedures.intern(cell(.procedure)) else {
            report(line, .tooManyDistinct(what: "mã thủ tục", limit: DossierLimits.maxProcedures))
            return
        }
        let received = date(.receivedOn, optional: false)
        let due = date(.dueOn, optional: false)
        let finished = date(.finishedOn, optional: true)
        if let received, let finished, finished.isBefore(received) {
            report(line, .finishedBeforeReceived(received: received.vietnamese, finished: finished.vietnamese))
        }
        let level = word(.serviceLevel)
        let online = word(.channel) == DossierChannel.online.rawValue
        let digitised = word(.digitisedInput) == 1
        let digitisedResult = word(.digitisedResult) == 1
        let electronic = word(.electronicResult) == 1
        let reused = word(.reusedData) == 1
        let fees = word(.hasFees) == 1
        let paid = word(.paidOnline) == 1
        let rating = word(.rating)
        let synced = header[.syncedToPortal] >= 0 && word(.syncedToPortal) == 1
        guard problemCount == before, let received else { return }

        let base = unit * DossierAccumulator.stride
        func bump(_ counter: DossierCounter, _ condition: Bool = true) {
            // Each counter grows by one per row at most: it cannot pass the row count.
            if condition { counts[base + counter.rawValue] += 1 }
        }
        if window.contains(received.dayNumber) {
            bump(.received)
            bump(.receivedFull, level == DossierServiceLevel.full.rawValue)
            bump(.receivedFullOnline, level == DossierServiceLevel.full.rawValue && online)
            bump(.receivedPartial, level == DossierServiceLevel.partial.rawValue)
            bump(.receivedPartialOnline, level == DossierServiceLevel.partial.rawValue && online)
            bump(.receivedOnline, online)
            bump(.receivedDigitised, digitised)
            bump(.receivedReused, reused)
            bump(.receivedWithFees, fees)
            bump(.receivedPaidOnline, fees && paid)
            bump(.receivedInProgress, finished.map { $0.dayNumber > window.upperBound } ?? true)
            var flags: UInt8 = 0
            if level != DossierServiceLevel.none.rawValue { flags |= online ? 3 : 1 }
            if fees { flags |= paid ? 12 : 4 }
            if flags != 0 {
                let key = UInt64(truncatingIfNeeded: unit) << 32 | UInt64(truncatingIfNeeded: procedure)
                procedureFlags[key, default: 0] |= flags
            }
        }
        if let finished, window.contains(finished.dayNumber) {
            let onTime = due.map { finished.isNotLater(than: $0) } ?? false
            bump(.finished)
            bump(.finishedOnTime, onTime)
            bump(.finishedLate, !onTime)
            bump(.finishedDigitisedResult, digitisedResult)
            bump(.finishedElectronicResult, electronic)
            bump(.finishedSynced, synced)
            bump(.finishedRated, rating != DossierRating.none.rawValue)
            bump(.finishedSatisfied, rating == DossierRating.satisfied.rawValue)
        }
    }

    /// The counts by unit code.
    func unitCounts() -> [String: DossierUnitCounts] {
        var result: [String: DossierUnitCounts] = [:]
        var byIndex: [DossierUnitCounts] = []
        byIndex.reserveCapacity(units.count)
        for unit in 0..<units.count {
            var counts = DossierUnitCounts()
            for counter in DossierCounter.dossierCounters {
                counts.set(counter, self.counts[unit * DossierAccumulator.stride + counter.rawValue])
            }
            byIndex.append(counts)
        }
        let sets: [(UInt8, DossierCounter)] = [(1, .proceduresOnlineService), (2, .proceduresOnlineServiceWithOnline),
                                               (4, .proceduresWithFees), (8, .proceduresPaidOnline)]
        for (key, flags) in procedureFlags {
            let unit = Int(key >> 32), code = procedures.string(Int(key & 0xFFFF_FFFF))
            for (bit, counter) in sets where flags & bit != 0 { byIndex[unit].insertProcedure(code, into: counter) }
        }
        for unit in 0..<units.count { result[units.string(unit)] = byIndex[unit] }
        return result
    }
}
