/// The machine form ("-12.50") read straight from UTF-8 bytes, for the
/// consolidation read path: a national period holds millions of stored
/// numbers, and building a `String` and splitting it per number was most of
/// the read. The result is exactly `ExactNumber(machine:)`'s for every input;
/// anything but the plain form (spaces, other characters) goes to it.
extension ExactNumber {
    @inlinable
    public init?<Bytes: Collection>(machineUTF8 bytes: Bytes) where Bytes.Element == UInt8 {
        let count = bytes.count
        guard count > 0, count <= 64 else { return nil }
        var negative = false
        var mantissa: Int64 = 0
        var wholeDigits = 0 // after leading zeros
        var sawWholeDigit = false
        var fractionDigits = 0
        var inFraction = false
        var plain = true
        var first = true
        for byte in bytes {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte &- UInt8(ascii: "0"))
                if inFraction {
                    fractionDigits += 1
                    guard fractionDigits <= Int(ExactNumber.maxScale) else { return nil }
                } else {
                    sawWholeDigit = true
                    if mantissa == 0 && digit == 0 { continue }
                    wholeDigits += 1
                    guard wholeDigits <= ExactNumber.maxIntegerDigits else { return nil }
                }
                // At most 12 + 6 digits: always within Int64.
                mantissa = mantissa &* 10 &+ digit
            case UInt8(ascii: ".") where !inFraction:
                guard sawWholeDigit else { return nil }
                inFraction = true
            default:
                plain = false
            }
            if !plain { break }
        }
        guard plain else {
            self.init(machine: String(decoding: bytes, as: UTF8.self))
            return
        }
        guard sawWholeDigit else { return nil }
        self.init(mantissa: negative ? -mantissa : mantissa, scale: Int8(fractionDigits))
    }
}
