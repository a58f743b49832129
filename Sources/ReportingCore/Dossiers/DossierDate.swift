/// A date with an optional time of day, read from the bytes of a cell:
/// `dd/mm/yyyy`, `d/m/yyyy`, with ` HH:mm` or ` HH:mm:ss` (or `T`), and the ISO
/// `yyyy-mm-dd` of exports. Packed in one Int: day number × 2048 + minute + 1,
/// or + 0 when the cell has no time.
struct DossierDate: Equatable {
    let packed: Int

    var dayNumber: Int { packed >> 11 }
    var hasTime: Bool { packed & 2047 != 0 }

    init(dayNumber: Int, minute: Int?) {
        packed = dayNumber << 11 | (minute.map { $0 + 1 } ?? 0)
    }

    /// Earlier in time; when one of the two has no time of day, the days are compared.
    func isBefore(_ other: DossierDate) -> Bool {
        hasTime && other.hasTime ? packed < other.packed : dayNumber < other.dayNumber
    }

    /// Not later than `due` (on time): finishing on the due day counts as on time
    /// unless both carry a time and it is past the due time.
    func isNotLater(than due: DossierDate) -> Bool {
        hasTime && due.hasTime ? packed <= due.packed : dayNumber <= due.dayNumber
    }

    var civil: CivilDate { CivilDate(dayNumber: dayNumber) }

    /// "14/03/2024" or "14/03/2024 16:30".
    var vietnamese: String {
        guard hasTime else { return civil.vietnamese }
        let minute = (packed & 2047) - 1
        return civil.vietnamese + " " + VietnameseNumber.twoDigits(minute / 60) + ":" + VietnameseNumber.twoDigits(minute % 60)
    }

    /// Up to `maxDigits` digits from `index`; nil when there is none. (Static with
    /// `inout`, not a closure: a captured counter costs a dynamic access check per byte.)
    @inline(__always)
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, maxDigits: Int) -> Int? {
        var value = 0, digits = 0
        while index < bytes.count, digits < maxDigits {
            let digit = Int(bytes[index]) &- 48
            guard digit >= 0 && digit <= 9 else { break }
            value = value * 10 + digit
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : value
    }

    @inline(__always)
    static func expect(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Nil for anything that is not a real date (31/02/2024, 2024-13-01, 25:00).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> DossierDate? {
        var index = 0
        let count = bytes.count
        let slash = UInt8(ascii: "/"), dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        let day: Int, month: Int, year: Int
        guard let first = number(bytes, &index, maxDigits: 4) else { return nil }
        if index == 4, expect(bytes, &index, dash) {
            guard let m = number(bytes, &index, maxDigits: 2), expect(bytes, &index, dash),
                let d = number(bytes, &index, maxDigits: 2)
            else { return nil }
            (year, month, day) = (first, m, d)
        } else {
            guard index <= 2, expect(bytes, &index, slash), let m = number(bytes, &index, maxDigits: 2), expect(bytes, &index, slash) else {
                return nil
            }
            let yearStart = index
            guard let y = number(bytes, &index, maxDigits: 4), index - yearStart == 4 else { return nil }
            (year, month, day) = (y, m, first)
        }
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else {
            return nil
        }
        let dayNumber = DossierDate.dayNumber(year: year, month: month, day: day)
        if index == count { return DossierDate(dayNumber: dayNumber, minute: nil) }
        guard expect(bytes, &index, UInt8(ascii: " ")) || expect(bytes, &index, UInt8(ascii: "T")) else { return nil }
        guard let hour = number(bytes, &index, maxDigits: 2), expect(bytes, &index, colon) else { return nil }
        let minuteStart = index
        guard let minute = number(bytes, &index, maxDigits: 2), index - minuteStart == 2, hour < 24, minute < 60 else { return nil }
        if expect(bytes, &index, colon) {
            let secondStart = index
            guard let second = number(bytes, &index, maxDigits: 2), index - secondStart == 2, second < 60 else { return nil }
        }
        guard index == count else { return nil }
        return DossierDate(dayNumber: dayNumber, minute: hour * 60 + minute)
    }

    /// Days since 1970-01-01, the same count as `CivilDate.dayNumber`.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
