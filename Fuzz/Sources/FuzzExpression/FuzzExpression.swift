import ReportingCore

/// Parses the input as a formula or rule, binds its codes to slots and
/// evaluates it with ordinary, missing, huge and non-finite values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expression = try? ExpressionParser.parse(text) else { return 0 }
    var slots: [String: Int] = [:]
    for code in expression.references where slots[code] == nil { slots[code] = slots.count }
    let codes = Array(slots.keys)
    guard
        let compiled = try? CompiledExpression.compile(
            expression, source: text, slots: slots,
            children: { code in codes.filter { $0.hasPrefix(code + ".") } })
    else { return 0 }
    let samples: [Double?] = [nil, 0, 1, -1, 97.45, 1e12, -1e300, .infinity, .nan, .greatestFiniteMagnitude]
    for (index, sample) in samples.enumerated() {
        let values = (0..<slots.count).map { samples[($0 + index) % samples.count] }
        if let result = compiled.evaluate(values, previous: values.reversed(), own: sample) {
            precondition(
                result.isFinite || values.contains { $0.map { !$0.isFinite } ?? false } || sample.map { !$0.isFinite } ?? false,
                "finite inputs gave \(result)")
            _ = VietnameseNumber.format(result)
        }
    }
    // Fewer values than slots: must read as missing, never out of bounds.
    _ = compiled.evaluate([], previous: nil, own: nil)
    return 0
}
