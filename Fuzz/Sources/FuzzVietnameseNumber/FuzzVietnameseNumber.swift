import ReportingCore

/// Parses the input as a typed cell and checks the round trips; then reads
/// the bytes as two raw numbers (any mantissa, any scale) and runs every
/// arithmetic on them against a 128-bit reference. Nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    if case .success(let number) = VietnameseNumber.parse(text) {
        precondition(number.isWithinCellBounds, "parse accepted \(number) beyond the bounds")
        let shown = VietnameseNumber.format(number)
        precondition(VietnameseNumber.parse(shown) == .success(number), "parse(format(x)) != x for \(shown)")
        precondition(ExactNumber(machine: number.description) == number, "machine round trip failed for \(number)")
        precondition(number.normalized == number && number.normalized.hashValue == number.hashValue)
    }
    if let machine = ExactNumber(machine: text) {
        precondition(machine.isWithinCellBounds)
        precondition(ExactNumber(machine: machine.description) == machine)
    }
    guard bytes.count >= 18 else { return 0 }
    func int64(_ offset: Int) -> Int64 {
        (0..<8).reduce(Int64(0)) { $0 << 8 | Int64(bytes[offset + $1]) }
    }
    let a = ExactNumber(mantissa: int64(0), scale: Int8(truncatingIfNeeded: bytes[16]))
    let b = ExactNumber(mantissa: int64(8), scale: Int8(truncatingIfNeeded: bytes[17]))
    _ = (a == b, a < b, a.hashValue, a.description, a.doubleValue, a.normalized, a.isInteger, a.isWithinCellBounds)
    _ = VietnameseNumber.format(a)
    _ = ExactNumber.sum([a, b, a, b])
    if a == b { precondition(a.hashValue == b.hashValue, "equal numbers hash differently: \(a) \(b)") }
    precondition((a < b) != (b < a) || a == b)
    // Exact reference for scales a 128-bit value can align.
    if (0...18).contains(a.scale), (0...18).contains(b.scale) {
        let common = Int(max(a.scale, b.scale))
        func wide(_ n: ExactNumber) -> Int128 {
            var value = Int128(n.mantissa)
            for _ in 0..<(common - Int(n.scale)) { value *= 10 }
            return value
        }
        let sum = wide(a) + wide(b)
        if let result = a + b {
            var check = Int128(result.mantissa)
            for _ in 0..<(common - Int(result.scale)) { check *= 10 }
            precondition(check == sum, "\(a) + \(b) gave \(result)")
        } else {
            precondition(sum > Int128(Int64.max) || sum < Int128(Int64.min), "\(a) + \(b) refused although it fits")
        }
        precondition((a < b) == (wide(a) < wide(b)) && (a == b) == (wide(a) == wide(b)))
    }
    let double = Double(bitPattern: UInt64(bitPattern: int64(0)))
    _ = VietnameseNumber.format(double, decimals: Int8(truncatingIfNeeded: bytes[16]))
    _ = ExactNumber(rounding: double, scale: Int8(truncatingIfNeeded: bytes[17]))
    return 0
}
