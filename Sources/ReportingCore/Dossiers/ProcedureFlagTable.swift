/// Flags per (unit, procedure) pair: an open-addressing table of 64-bit keys,
/// cheaper per row than a Dictionary on the hot path. Grows by doubling; its
/// size is bounded by the distinct pairs, so by the unit and procedure limits.
struct ProcedureFlagTable {
    private(set) var keys: [UInt64]
    private(set) var flags: [UInt8]
    private var mask: Int
    /// 64 − log2(slots): Fibonacci hashing takes the product's top bits, where every key bit counts.
    private var shift: UInt64 = 54
    private(set) var count = 0
    /// No key is ever this (unit and procedure indexes are below 2^31).
    static let empty = UInt64.max

    init() {
        keys = Array(repeating: ProcedureFlagTable.empty, count: 1024)
        flags = Array(repeating: 0, count: 1024)
        mask = 1023
    }

    mutating func insert(_ key: UInt64, _ bits: UInt8) {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) & mask
        while true {
            let found = keys[slot]
            if found == key { flags[slot] |= bits; return }
            if found == ProcedureFlagTable.empty { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        flags[slot] = bits
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldFlags = flags
        keys = Array(repeating: ProcedureFlagTable.empty, count: oldKeys.count * 2)
        flags = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        shift -= 1
        count = 0
        for (key, bits) in zip(oldKeys, oldFlags) where key != ProcedureFlagTable.empty { insert(key, bits) }
    }

    /// Every pair with its flags.
    func forEach(_ body: (UInt64, UInt8) -> Void) {
        for (key, bits) in zip(keys, flags) where key != ProcedureFlagTable.empty { body(key, bits) }
    }
}
