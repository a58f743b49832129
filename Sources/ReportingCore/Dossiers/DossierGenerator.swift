import Foundation

/// Synthetic dossier records in the default layout with a deterministic seed,
/// and their true counts worked out from the generated values themselves (not
/// by reading the CSV back): the tests' ground truth and the benchmark's input.
/// About a sixth of the rows fall outside the period's cut-off window on each
/// side, so the window filter matters; times of day are mixed in.
public struct DossierGenerator: Sendable {
    public let units: [String]
    public let procedures: Int
    public let period: Period
    private var state: UInt64

    public init(seed: UInt64, units: [String], procedures: Int = 300, period: Period) {
        self.units = units.isEmpty ? ["000.00.00.H05"] : units
        self.procedures = max(1, procedures)
        self.period = period
        state = seed
    }

    /// Generates `count` units codes shaped like real ones ("000.00.31.H05").
    public static func unitCodes(_ count: Int) -> [String] {
        (0..<max(count, 1)).map { index in
            let a = index / 100, b = index % 100
            return "000.\(a < 10 ? "0\(a)" : "\(a)").\(b < 10 ? "0\(b)" : "\(b)").H05"
        }
    }

    public static let header = DossierField.allCases.filter { $0 != .syncedToPortal }.map(\.header).joined(separator: ",")

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    /// Writes a header and `rows` records to `path`; returns the true counts by unit when `truth` is asked for.
    @discardableResult
    public mutating func write(rows: Int, to path: String, truth: Bool = false) throws -> [String: DossierUnitCounts] {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw DossierFileError.unreadable(reason: "không tạo được tệp “\(path)”")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 21)
        var counts = Truth(enabled: truth, units: units.count)
        buffer.append(contentsOf: Array((DossierGenerator.header + "\n").utf8))
        for row in 0..<rows {
            appendRow(row, to: &buffer, truth: &counts)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        return counts.byUnit(units)
    }

    /// The same records in memory, for tests.
    public mutating func bytes(rows: Int) -> (bytes: [UInt8], truth: [String: DossierUnitCounts]) {
        var buffer = Array((DossierGenerator.header + "\n").utf8)
        var counts = Truth(enabled: true, units: units.count)
        for row in 0..<rows { appendRow(row, to: &buffer, truth: &counts) }
        return (buffer, counts.byUnit(units))
    }

    private mutating func appendRow(_ row: Int, to out: inout [UInt8], truth: inout Truth) {
        let window = period.cutOff
        let low = window.lowerBound.dayNumber, high = window.upperBound.dayNumber
        let span = high - low + 1
        let unit = below(units.count)
        let procedure = below(procedures)
        let levelDraw = below(10)
        let level: DossierServiceLevel = levelDraw < 2 ? .none : (levelDraw < 6 ? .full : .partial)
        let channelDraw = below(20)
        let channel: DossierChannel = channelDraw < 11 ? .online : (channelDraw < 19 ? .inPerson : .post)
        let received = low - span / 6 + below(span + span / 3)
        let receivedMinute: Int? = below(2) == 0 ? nil : 7 * 60 + below(10 * 60)
        let due = received + 1 + below(15)
        let dueMinute: Int? = below(4) == 0 ? 17 * 60 : nil
        let finished: Int? = below(7) == 0 ? nil : received + below(20)
        let finishedMinute: Int? = finished == nil || below(2) == 0 ? nil : max(receivedMinute ?? 0, 7 * 60 + below(11 * 60))
        let flags = next()
        let digitised = flags & 1 != 0, digitisedResult = flags & 2 != 0, electronic = flags & 4 != 0
        let reused = flags & 8 != 0, fees = flags & 48 != 0, paid = flags & 64 != 0
        let ratingDraw = below(10)
        let rating: DossierRating = ratingDraw < 3 ? .none : (ratingDraw < 9 ? .satisfied : .dissatisfied)

        func text(_ string: String) { out.append(contentsOf: string.utf8) }
        func comma() { out.append(UInt8(ascii: ",")) }
        func two(_ value: Int) { out.append(UInt8(48 + value / 10)); out.append(UInt8(48 + value % 10)) }
        func date(_ day: Int, _ minute: Int?) {
            let civil = CivilDate(dayNumber: day)
            two(civil.day); out.append(UInt8(ascii: "/")); two(civil.month); out.append(UInt8(ascii: "/"))
            two(civil.year / 100); two(civil.year % 100)
            if let minute { out.append(UInt8(ascii: " ")); two(minute / 60); out.append(UInt8(ascii: ":")); two(minute % 60) }
        }
        func flag(_ value: Bool) { text(value ? "Có" : "Không") }
        text("HS\(row)"); comma()
        text(units[unit]); comma()
        text("1.00\(procedure)"); comma()
        text(level == .full ? "Toàn trình" : (level == .partial ? "Một phần" : "")); comma()
        text(channel == .online ? "Trực tuyến" : (channel == .inPerson ? "Trực tiếp" : "Bưu chính")); comma()
        date(received, receivedMinute); comma()
        date(due, dueMinute); comma()
        if let finished { date(finished, finishedMinute) }
        comma()
        flag(digitised); comma(); flag(digitisedResult); comma(); flag(electronic); comma(); flag(reused); comma()
        flag(fees); comma(); flag(paid); comma()
        text(rating == .satisfied ? "Hài lòng" : (rating == .dissatisfied ? "Không hài lòng" : ""))
        out.append(UInt8(ascii: "\n"))

        guard truth.enabled else { return }
        let online = channel == .online
        if received >= low && received <= high {
            truth.bump(unit, .received)
            if level == .full { truth.bump(unit, .receivedFull); if online { truth.bump(unit, .receivedFullOnline) } }
            if level == .partial { truth.bump(unit, .receivedPartial); if online { truth.bump(unit, .receivedPartialOnline) } }
            if online { truth.bump(unit, .receivedOnline) }
            if digitised { truth.bump(unit, .receivedDigitised) }
            if reused { truth.bump(unit, .receivedReused) }
            if fees { truth.bump(unit, .receivedWithFees); if paid { truth.bump(unit, .receivedPaidOnline) } }
            if finished.map({ $0 > high }) ?? true { truth.bump(unit, .receivedInProgress) }
            if level != .none {
                truth.insert(unit, procedure, .proceduresOnlineService)
                if online { truth.insert(unit, procedure, .proceduresOnlineServiceWithOnline) }
            }
            if fees { truth.insert(unit, procedure, .proceduresWithFees); if paid { truth.insert(unit, procedure, .proceduresPaidOnline) } }
        }
        if let finished, finished >= low && finished <= high {
            // Due times are 17:00 or none; finishing times are before 18:00.
            let onTime = finished < due || (finished == due && !(dueMinute != nil && (finishedMinute ?? 0) > (dueMinute ?? 0)))
            truth.bump(unit, .finished)
            truth.bump(unit, onTime ? .finishedOnTime : .finishedLate)
            if digitisedResult { truth.bump(unit, .finishedDigitisedResult) }
            if electronic { truth.bump(unit, .finishedElectronicResult) }
            if rating != .none { truth.bump(unit, .finishedRated) }
            if rating == .satisfied { truth.bump(unit, .finishedSatisfied) }
        }
    }

    /// True counts kept while generating.
    struct Truth {
        let enabled: Bool
        var counts: [[Int]]
        var sets: [[DossierCounter: Set<Int>]]
        var seen: [Bool]

        init(enabled: Bool, units: Int) {
            self.enabled = enabled
            counts = enabled ? Array(repeating: Array(repeating: 0, count: DossierCounter.allCases.count), count: units) : []
            sets = enabled ? Array(repeating: [:], count: units) : []
            seen = Array(repeating: false, count: enabled ? units : 0)
        }

        mutating func bump(_ unit: Int, _ counter: DossierCounter) { counts[unit][counter.rawValue] += 1 }
        mutating func insert(_ unit: Int, _ procedure: Int, _ counter: DossierCounter) {
            sets[unit][counter, default: []].insert(procedure)
        }

        func byUnit(_ codes: [String]) -> [String: DossierUnitCounts] {
            guard enabled else { return [:] }
            var result: [String: DossierUnitCounts] = [:]
            for (unit, code) in codes.enumerated() {
                var value = DossierUnitCounts()
                for counter in DossierCounter.dossierCounters { value.set(counter, counts[unit][counter.rawValue]) }
                for (counter, procedures) in sets[unit] {
                    for procedure in procedures { value.insertProcedure("1.00\(procedure)", into: counter) }
                }
                result[code] = value
            }
            return result
        }
    }
}
