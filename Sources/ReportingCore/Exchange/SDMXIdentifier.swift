/// SDMX ids allow only `A–Z a–z 0–9 _ @ $ -`, and BaoCao's codes have dots
/// (`6.1.2`, `000.00.00.H05`). The mapping is one to one and reversible:
/// a dot becomes `_`, and any other character outside `A–Z a–z 0–9 @ -`
/// (including `_` and `$` themselves) becomes `$` and the hex of its UTF-8
/// bytes, so `6.1.2` → `6_1_2`, `a_b` → `a$5Fb`.
public enum SDMXIdentifier {
    public static func encode(_ code: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(code.utf8.count)
        for byte in code.utf8 {
            switch byte {
            case UInt8(ascii: "."): out.append(UInt8(ascii: "_"))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "@"), UInt8(ascii: "-"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "$"))
                out.append(ExchangeText.hexDigits[Int(byte >> 4)])
                out.append(ExchangeText.hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The code an id stands for; nil when the id is not one `encode` writes.
    public static func decode(_ id: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(id.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "."))
            case UInt8(ascii: "$"):
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
