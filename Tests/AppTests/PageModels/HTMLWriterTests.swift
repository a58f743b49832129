import Foundation
import ReportingCore
import Testing

@testable import App

/// Escaping by construction: whatever a value holds, it comes out as text.
@Suite struct HTMLWriterTests {
    static let hostile = "\"><script>alert('x')</script>&amp;"

    @Test func valuesAreEscapedInTextAndAttributes() {
        var w = HTMLWriter()
        w.element("td", .init("class", Self.hostile), .init("data-code", "6.1"), text: Self.hostile)
        #expect(
            w.html == "<td class=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;\" data-code=\"6.1\">"
                + "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;</td>")
    }

    @Test func flagsAndOptionalAttributesAppearOnlyWhenSet() {
        var w = HTMLWriter()
        w.start(
            "input", .init("name", "v[1]"), .flag("readonly", false), .optional("data-part-of", ""), .optional("title", nil),
            .when(false, .init("data-percent", 1)))
        w.start("input", .flag("readonly"), .optional("data-part-of", "6.1"), .when(true, .init("data-percent", 1)))
        #expect(w.html == "<input name=\"v[1]\"><input readonly data-part-of=\"6.1\" data-percent=\"1\">")
    }

    @Test func vietnameseTextIsKeptAsItIs() {
        var w = HTMLWriter()
        w.text("Tỷ lệ hồ sơ trực tuyến — 97,45%")
        #expect(w.html == "Tỷ lệ hồ sơ trực tuyến — 97,45%")
    }

    @Test func xmlDropsTheControlCharactersXMLForbidsAndHTMLKeepsThem() {
        var svg = HTMLWriter(xml: true), page = HTMLWriter()
        svg.text("a\u{1}b\u{0B}c\td\ne\r")
        page.text("a\u{1}b")
        #expect(svg.html == "abc\td\ne")
        #expect(page.html == "a\u{1}b")
    }

    @Test func coordinatesNeverTrap() {
        #expect(HTMLWriter.coordinate(40) == "40")
        #expect(HTMLWriter.coordinate(12.34) == "12.3")
        #expect(HTMLWriter.coordinate(-0.5) == "-0.5")
        #expect(HTMLWriter.coordinate(-1.25) == "-1.2" || HTMLWriter.coordinate(-1.25) == "-1.3")
        #expect(HTMLWriter.coordinate(-0.01) == "0")
        for bad in [Double.nan, .infinity, -.infinity, 1e300] { #expect(HTMLWriter.coordinate(bad) == "0") }
    }

    @Test func theWholeGridOfAHostileRowStaysOneRow() throws {
        let library = try FormLibrary.builtIn()
        let form = try #require(library.forms["egov-2024"])
        let values = Dictionary(uniqueKeysWithValues: form.indicators.map { ($0.code, (raw: Self.hostile, note: Optional(Self.hostile))) })
        let validation = Validator(form: form).validate(entries: values.mapValues(\.raw), notes: values.compactMapValues(\.note))
        let html = FormGridHTML.render(ReportPage.rows(form: form, values: values, validation: validation), editable: true)
        #expect(!html.contains("<script"))
        #expect(html.components(separatedBy: "<tr ").count - 1 == form.indicators.count)
        #expect(html.components(separatedBy: "</tr>").count - 1 == form.indicators.count)
    }
}
