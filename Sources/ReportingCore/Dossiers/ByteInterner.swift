/// Gives each distinct byte string (a unit code, a procedure code) a small
/// integer without making a String per row: an open-addressing table over an
/// arena of bytes. Bounded: at most `capacity` distinct strings.
struct ByteInterner {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [Int] = []
    private(set) var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        slots = Array(repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { offsets.count }

    /// The index of these bytes, added if new; nil when the table is full.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash && lengths[entry] == bytes.count && matches(entry, bytes) { return entry }
            slot = (slot + 1) & mask
        }
        guard count < capacity else { return nil }
        let entry = count
        offsets.append(arena.count)
        lengths.append(bytes.count)
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        slots[slot] = Int32(truncatingIfNeeded: entry)
        if count * 2 > slots.count { grow() }
        return entry
    }

    private func matches(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let offset = offsets[entry]
        for position in 0..<bytes.count where arena[offset + position] != bytes[position] { return false }
        return true
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for entry in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: entry)
        }
    }

    /// The string an index stands for (invalid UTF-8 shown with replacement characters).
    func string(_ entry: Int) -> String {
        String(decoding: arena[offsets[entry]..<offsets[entry] + lengths[entry]], as: UTF8.self)
    }
}
