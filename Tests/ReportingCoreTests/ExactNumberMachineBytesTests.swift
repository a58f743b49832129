import Testing

@testable import ReportingCore

/// The consolidation read path parses stored numbers from bytes; it must
/// agree with `ExactNumber(machine:)` on every text, accepted or refused.
@Suite("ExactNumber from machine bytes")
struct ExactNumberMachineBytesTests {
    static let edges = [
        "0", "-0", "7", "-7", "12.50", "-12.50", "0.000001", "0.0000001", "1.", "-1.", ".5", "-.5", "-", ".", "", " 4", "4 ",
        "999999999999", "1000000000000", "999999999999.999999", "000000000000000001", "0000000000001.5", "1.2.3", "1-2", "--1",
        "+1", "1e5", "١٢", "1,5", "12.5000000", String(repeating: "0", count: 64) + "1", String(repeating: "0", count: 63) + "1"
    ]

    @Test func edgesAgreeWithTheTextParser() {
        for text in Self.edges {
            #expect(ExactNumber(machineUTF8: Array(text.utf8)) == ExactNumber(machine: text), "“\(text)”")
        }
    }

    @Test func generatedTextsAgreeWithTheTextParser() {
        let alphabet = Array("0123456789.- x")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var agreed = 0
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59) + 1
            var text = ""
            var bits = state
            for _ in 0..<length {
                bits = bits &* 2_862_933_555_777_941_757 &+ 3_037_000_493
                text.append(alphabet[Int(bits >> 60) % alphabet.count])
            }
            let bytes = ExactNumber(machineUTF8: Array(text.utf8)), parsed = ExactNumber(machine: text)
            #expect(bytes == parsed, "“\(text)”")
            if parsed != nil { agreed += 1 }
        }
        #expect(agreed > 100, "some generated texts are numbers")
    }

    @Test func storedNumbersRoundTrip() {
        for mantissa: Int64 in [0, 1, -1, 42, -4_250, 999_999_999_999_999_999, -123_456_789_012_345] {
            for scale: Int8 in 0...6 {
                let number = ExactNumber(mantissa: mantissa, scale: scale)
                guard number.isWithinCellBounds else { continue }
                #expect(ExactNumber(machineUTF8: Array(number.description.utf8)) == ExactNumber(machine: number.description))
                #expect(ExactNumber(machineUTF8: Array(number.description.utf8)) != nil, "\(number.description)")
            }
        }
    }
}
