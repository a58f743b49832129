import Foundation
import Testing

@testable import OfficeFormats

@Suite struct EscapingTests {
    private func escaped(_ s: String, _ control: XMLBuffer.ControlCharacters = .excelEscape) -> String {
        var b = XMLBuffer()
        b.text(s, control: control)
        return String(decoding: b.bytes, as: UTF8.self)
    }

    @Test func markupCharactersAreEscaped() {
        #expect(escaped("a & b < c > d") == "a &amp; b &lt; c &gt; d")
        #expect(escaped("]]>") == "]]&gt;")
        #expect(escaped("Cộng hòa xã hội chủ nghĩa Việt Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam")
        var b = XMLBuffer()
        b.attribute("say \"hi\"\tand\nbye & <x>")
        #expect(String(decoding: b.bytes, as: UTF8.self) == "say &quot;hi&quot;&#9;and&#10;bye &amp; &lt;x&gt;")
    }

    @Test func controlCharacters() {
        #expect(escaped("a\u{0B}b\u{01}c") == "a_x000B_b_x0001_c")
        #expect(escaped("a\u{0B}b\u{01}c", .drop) == "abc")
        #expect(escaped("x\r\ny") == "x&#13;\ny")
        #expect(escaped("tab\there") == "tab\there")
        #expect(escaped("\u{FFFF}") == "_xFFFF_")
        // A literal that looks like an escape must survive Excel's decoding.
        #expect(escaped("_x0041_") == "_x005F_x0041_")
        #expect(escaped("_x00_") == "_x00_")
    }

    @Test func decoderReversesEscapes() {
        let cases = [
            "a &amp; b &lt;c&gt; &quot;q&quot; &apos;s&apos;", "&#x1F4CA; &#7879;", "_x005F_x0041_ _x000B_", "a\r\nb", "&unknown; & alone"
        ]
        let expected = ["a & b <c> \"q\" 's'", "📊 ệ", "_x0041_ \u{0B}", "a\nb", "&unknown; & alone"]
        for (input, want) in zip(cases, expected) {
            let bytes = Array(input.utf8)
            let got = bytes.withUnsafeBufferPointer { XMLScanner.decode($0, 0..<$0.count, unescapeExcel: true) }
            #expect(got == want)
        }
    }

    @Test func numbersAreInvariantAndShortest() {
        var b = XMLBuffer()
        for v in [1609226.0, 97.45, -0.0, 0.1 + 0.2, 1e15, -42.0, .leastNonzeroMagnitude, 1e20, 123_456_789_012_345_680] {
            b.number(v)
            b.byte(32)
        }
        #expect(
            String(decoding: b.bytes, as: UTF8.self)
                == "1609226 97.45 0 0.30000000000000004 1000000000000000 -42 5e-324 1e+20 1.2345678901234568e+17 ")
    }
}
