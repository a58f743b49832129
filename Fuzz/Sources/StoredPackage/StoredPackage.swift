import Foundation

/// A ZIP of stored (uncompressed) parts with correct checksums, so the fuzzer's
/// bytes reach the XML readers instead of failing the CRC.
public enum StoredPackage {
    public static func zip(_ parts: [(String, [UInt8])]) -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
        for (name, bytes) in parts {
            let offset = UInt32(out.count)
            let nameBytes = Array(name.utf8)
            let crc = crc32(bytes)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u32(0, &out)
            u32(crc, &out); u32(UInt32(bytes.count), &out); u32(UInt32(bytes.count), &out)
            u16(nameBytes.count, &out); u16(0, &out); out += nameBytes; out += bytes
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(crc, &central); u32(UInt32(bytes.count), &central); u32(UInt32(bytes.count), &central)
            u16(nameBytes.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(offset, &central); central += nameBytes
        }
        let directoryOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(parts.count, &out); u16(parts.count, &out)
        u32(UInt32(central.count), &out); u32(directoryOffset, &out); u16(0, &out)
        return Data(out)
    }

    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// Splits the input at the first "\u{0}\u{0}" into two parts (the second may be empty).
    public static func split(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0 { return (Array(bytes[..<i]), Array(bytes[(i + 2)...])) }
            i += 1
        }
        return (bytes, [])
    }
}
