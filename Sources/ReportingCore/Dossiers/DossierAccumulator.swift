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
    var procedureFlags = ProcedureFlagTable()
    var problems: [DossierInputProblem] = []
    var problemCount = 0
    var rows = 0
    var words: [DossierWords]
    /// The last column a row needs: a shorter row is a problem.
    let lastNeeded: Int
    static let stride = DossierCounter.allCases.count

    init(header: DossierHeader, mapping: DossierMapping, window: ClosedRange<CivilDate>, knownUnits: Set<String>?) {
        self.header = header
        self.window = window.lowerBound.dayNumber...window.upperBound.dayNumber
        self.knownUnits = knownUnits
        lastNeeded = header.lastNeeded
        words = DossierField.allCases.map { DossierWords(field: $0, extra: mapping.values[$0] ?? [:]) }
    }

    mutating func report(_ line: Int, _ kind: DossierInputProblem.Kind) {
        problemCount += 1
        if problems.count < DossierLimits.maxReportedProblems { problems.append(DossierInputProblem(line: line, kind: kind)) }
    }

    /// The bytes of one cell, spaces trimmed and doubled quotes undone (in
    /// place: the record is not read again); empty when the file lacks the column.
    @inline(__always)
    static func cell(_ column: Int, _ base: UnsafeMutablePointer<UInt8>, _ scanner: borrowing DossierCSVScanner) -> UnsafeBufferPointer<
        UInt8
    > {
        guard column >= 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        var start = scanner.starts[column], end = scanner.ends[column]
        if scanner.escaped[column] {
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

    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes.prefix(200), as: UTF8.self) }

    @inline(__always)
    mutating func word(_ field: DossierField, _ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> UInt8 {
        if let value = words[field.rawValue].value(of: bytes) { return value }
        report(line, .badWord(column: field.header, text: DossierAccumulator.text(bytes), allowed: words[field.rawValue].allowed))
        return 0
    }

    @inline(__always)
    mutating func date(_ field: DossierField, _ bytes: UnsafeBufferPointer<UInt8>, optional: Bool, line: Int) -> DossierDate? {
        if bytes.isEmpty {
            if !optional { report(line, .missingDate(column: field.header)) }
            return nil
        }
        if let date = DossierDate.parse(bytes) { return date }
        report(line, .badDate(column: field.header, text: DossierAccumulator.text(bytes)))
        return nil
    }

    /// One data record, whose `count` field ranges the scanner holds.
    mutating func add(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ scanner: borrowing DossierCSVScanner, count: Int, line: Int) {
        // A blank line is no record.
        if count == 1 && scanner.ends[0] == scanner.starts[0] { return }
        guard count > lastNeeded else {
            report(line, .missingFields(found: count, expected: header.fieldCount))
            return
        }
        guard let base = buffer.baseAddress else { return }
        rows += 1
        let before = problemCount
        let columns = header.columns
        func column(_ field: DossierField) -> Int { columns[field.rawValue] }

        let unitBytes = DossierAccumulator.cell(column(.unit), base, scanner)
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
        if !unitKnown[unit] { report(line, .unknownUnit(code: DossierAccumulator.text(unitBytes))) }
        guard let procedure = procedures.intern(DossierAccumulator.cell(column(.procedure), base, scanner)) else {
            report(line, .tooManyDistinct(what: "mã thủ tục", limit: DossierLimits.maxProcedures))
            return
        }
        let received = date(.receivedOn, DossierAccumulator.cell(column(.receivedOn), base, scanner), optional: false, line: line)
        let due = date(.dueOn, DossierAccumulator.cell(column(.dueOn), base, scanner), optional: false, line: line)
        let finished = date(.finishedOn, DossierAccumulator.cell(column(.finishedOn), base, scanner), optional: true, line: line)
        if let received, let finished, finished.isBefore(received) {
            report(line, .finishedBeforeReceived(received: received.vietnamese, finished: finished.vietnamese))
        }
        let level = word(.serviceLevel, DossierAccumulator.cell(column(.serviceLevel), base, scanner), line: line)
        let online = word(.channel, DossierAccumulator.cell(column(.channel), base, scanner), line: line) == DossierChannel.online.rawValue
        let digitised = word(.digitisedInput, DossierAccumulator.cell(column(.digitisedInput), base, scanner), line: line) == 1
        let digitisedResult = word(.digitisedResult, DossierAccumulator.cell(column(.digitisedResult), base, scanner), line: line) == 1
        let electronic = word(.electronicResult, DossierAccumulator.cell(column(.electronicResult), base, scanner), line: line) == 1
        let reused = word(.reusedData, DossierAccumulator.cell(column(.reusedData), base, scanner), line: line) == 1
        let fees = word(.hasFees, DossierAccumulator.cell(column(.hasFees), base, scanner), line: line) == 1
        let paid = word(.paidOnline, DossierAccumulator.cell(column(.paidOnline), base, scanner), line: line) == 1
        let rating = word(.rating, DossierAccumulator.cell(column(.rating), base, scanner), line: line)
        let syncColumn = column(.syncedToPortal)
        let synced = syncColumn >= 0 && word(.syncedToPortal, DossierAccumulator.cell(syncColumn, base, scanner), line: line) == 1
        guard problemCount == before, let received else { return }

        // Each counter grows by one per row at most: it cannot pass the row count.
        let at = unit * DossierAccumulator.stride
        if window.contains(received.dayNumber) {
            let full = level == DossierServiceLevel.full.rawValue, partial = level == DossierServiceLevel.partial.rawValue
            counts[at + DossierCounter.received.rawValue] += 1
            if full { counts[at + DossierCounter.receivedFull.rawValue] += 1 }
            if full && online { counts[at + DossierCounter.receivedFullOnline.rawValue] += 1 }
            if partial { counts[at + DossierCounter.receivedPartial.rawValue] += 1 }
            if partial && online { counts[at + DossierCounter.receivedPartialOnline.rawValue] += 1 }
            if online { counts[at + DossierCounter.receivedOnline.rawValue] += 1 }
            if digitised { counts[at + DossierCounter.receivedDigitised.rawValue] += 1 }
            if reused { counts[at + DossierCounter.receivedReused.rawValue] += 1 }
            if fees { counts[at + DossierCounter.receivedWithFees.rawValue] += 1 }
            if fees && paid { counts[at + DossierCounter.receivedPaidOnline.rawValue] += 1 }
            if finished.map({ $0.dayNumber > window.upperBound }) ?? true { counts[at + DossierCounter.receivedInProgress.rawValue] += 1 }
            var flags: UInt8 = 0
            if full || partial { flags |= online ? 3 : 1 }
            if fees { flags |= paid ? 12 : 4 }
            if flags != 0 {
                procedureFlags.insert(UInt64(truncatingIfNeeded: unit) << 32 | UInt64(truncatingIfNeeded: procedure), flags)
            }
        }
        if let finished, window.contains(finished.dayNumber) {
            let onTime = due.map { finished.isNotLater(than: $0) } ?? false
            counts[at + DossierCounter.finished.rawValue] += 1
            counts[at + (onTime ? DossierCounter.finishedOnTime : DossierCounter.finishedLate).rawValue] += 1
            if digitisedResult { counts[at + DossierCounter.finishedDigitisedResult.rawValue] += 1 }
            if electronic { counts[at + DossierCounter.finishedElectronicResult.rawValue] += 1 }
            if synced { counts[at + DossierCounter.finishedSynced.rawValue] += 1 }
            if rating != DossierRating.none.rawValue { counts[at + DossierCounter.finishedRated.rawValue] += 1 }
            if rating == DossierRating.satisfied.rawValue { counts[at + DossierCounter.finishedSatisfied.rawValue] += 1 }
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
        let sets: [(UInt8, DossierCounter)] = [
            (1, .proceduresOnlineService), (2, .proceduresOnlineServiceWithOnline),
            (4, .proceduresWithFees), (8, .proceduresPaidOnline)
        ]
        procedureFlags.forEach { key, flags in
            let unit = Int(key >> 32), code = procedures.string(Int(key & 0xFFFF_FFFF))
            for (bit, counter) in sets where flags & bit != 0 { byIndex[unit].insertProcedure(code, into: counter) }
        }
        for unit in 0..<units.count { result[units.string(unit)] = byIndex[unit] }
        return result
    }
}
