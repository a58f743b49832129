import Foundation
import Testing

@testable import OfficeFormats

@Suite struct DOCXTests {
    private func part(_ data: Data, _ path: String) throws -> String? {
        let zip = try ZipArchiveReader(data: data, invalidPackage: .notDOCX)
        return try zip.read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func allPartsArePresentAndLinked() throws {
        let data = try DOCXWriter().write(Samples.reportDocument())
        for path in [
            "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
            "word/settings.xml", "word/fontTable.xml", "word/header1.xml", "word/header2.xml", "docProps/core.xml", "docProps/app.xml"
        ] {
            #expect(try part(data, path) != nil, "missing \(path)")
        }
        let types = try #require(try part(data, "[Content_Types].xml"))
        #expect(
            types.contains(
                "PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\""
            ))
        #expect(
            types.contains(
                "PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\""))
        let rels = try #require(try part(data, "word/_rels/document.xml.rels"))
        #expect(rels.contains("relationships/header\" Target=\"header1.xml\""))
        #expect(rels.contains("relationships/header\" Target=\"header2.xml\""))
    }

    @Test func pageSetupFollowsDecree30() throws {
        let data = try DOCXWriter().write(Samples.reportDocument())
        let doc = try #require(try part(data, "word/document.xml"))
        #expect(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        // 20 mm top/bottom, 30 mm left, 15 mm right.
        #expect(doc.contains("<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""))
        #expect(doc.contains("<w:titlePg/>"))
        #expect(doc.contains("<w:headerReference w:type=\"default\" r:id=\"rId10\"/><w:headerReference w:type=\"first\" r:id=\"rId11\"/>"))
        let header = try #require(try part(data, "word/header1.xml"))
        #expect(header.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"))
        let first = try #require(try part(data, "word/header2.xml"))
        #expect(!first.contains("PAGE") && !first.contains("<w:t"))
        let styles = try #require(try part(data, "word/styles.xml"))
        #expect(
            styles.contains(
                "<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"28\"/>"
            ))
    }

    @Test func footerNumbersAndLandscape() throws {
        var doc = DOCXDocument(body: [.paragraph(DOCXParagraph("x"))])
        doc.page = DOCXPageSetup(
            landscape: true, marginTop: 25, marginBottom: 25, marginLeft: 35, marginRight: 20, pageNumbers: .footer,
            differentFirstPage: false)
        let data = try DOCXWriter().write(doc)
        let xml = try #require(try part(data, "word/document.xml"))
        #expect(xml.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"))
        #expect(xml.contains("<w:pgMar w:top=\"1417\" w:right=\"1134\" w:bottom=\"1417\" w:left=\"1984\""))
        #expect(xml.contains("<w:footerReference w:type=\"default\""))
        #expect(!xml.contains("titlePg") && !xml.contains("headerReference"))
        #expect(try part(data, "word/footer1.xml")?.contains("PAGE") == true)
        #expect(doc.page.textWidth > 240 && doc.page.textWidth < 243)
    }

    @Test func textRoundTripsThroughReader() throws {
        let original = Samples.reportDocument()
        let content = try DOCXReader().read(DOCXWriter().write(original))
        var expected: [DOCXContent.Block] = []
        for block in original.body {
            switch block {
            case .paragraph(let p): expected.append(.paragraph(p.text))
            case .table(let t): expected.append(.table(t.rows.map { $0.cells.map(\.text) }))
            case .pageBreak: expected.append(.paragraph(""))
            }
        }
        if case .table? = original.body.last { expected.append(.paragraph("")) }
        #expect(content.blocks == expected)
        #expect(content.tables.count == 3)
        #expect(content.tables[1][0] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"])
        #expect(content.tables[1][2] == ["1", "Dân số trung bình", "Người", "1.609.226", "1.612.004"])
        #expect(
            content.paragraphs.contains(
                "Nội dung đoạn 1: dân số trung bình đạt 1.609.226 người, tỷ lệ hoàn thành 97,45% kế hoạch & vượt <mục tiêu>. Ghi chú gạch chân."
            ))
        #expect(content.headers.sorted() == ["", "2"]) // the PAGE field's cached result
        #expect(content.properties.title == "Báo cáo kết quả")
    }

    @Test func runsWithBreaksTabsAndControlCharacters() throws {
        let doc = DOCXDocument(body: [
            .paragraph(DOCXParagraph(runs: [DOCXRun("a\tb\nc & <d>\u{0B}e", bold: true, italic: true, underline: true, size: 24)]))
        ])
        let data = try DOCXWriter().write(doc)
        let xml = try #require(try part(data, "word/document.xml"))
        #expect(
            xml.contains("<w:rPr><w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:u w:val=\"single\"/></w:rPr>"))
        #expect(
            xml.contains(
                "<w:t xml:space=\"preserve\">a</w:t><w:tab/><w:t xml:space=\"preserve\">b</w:t><w:br/><w:t xml:space=\"preserve\">c &amp; &lt;d&gt;e</w:t>"
            ))
        #expect(try DOCXReader().read(data).paragraphs == ["a\tb\nc & <d>e"])
    }

    @Test func tablesWriteSpansHeadersAndBorders() throws {
        let data = try DOCXWriter().write(Samples.reportDocument())
        let xml = try #require(try part(data, "word/document.xml"))
        #expect(xml.contains("<w:gridSpan w:val=\"2\"/>"))
        #expect(xml.contains("<w:vMerge w:val=\"restart\"/>") && xml.contains("<w:vMerge/>"))
        #expect(xml.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"))
        #expect(xml.contains("<w:top w:val=\"nil\"/>"))
        #expect(xml.contains("<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"))
        #expect(xml.contains("<w:pBdr><w:bottom w:val=\"single\""))
        #expect(xml.contains("<w:jc w:val=\"both\"/>"))
        #expect(xml.contains("<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"720\"/>"))
        #expect(xml.contains("<w:br w:type=\"page\"/>"))
    }

    @Test func readsWordStyleMarkup() throws {
        // Word splits runs freely, tracks changes and stores field codes inline.
        let body = """
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>Bá</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">o cáo </w:t></w:r>
            <w:ins w:id="1"><w:r><w:t>mới</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>cũ</w:delText></w:r></w:del></w:p>
            <w:p><w:r><w:t>Trang </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
            <w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr><w:tcW w:w="100"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc>
            <w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>
            <w:sdt><w:sdtContent><w:p><w:r><w:t><![CDATA[A & B]]></w:t></w:r></w:p></w:sdtContent></w:sdt>
            <w:sectPr/></w:body></w:document>
            """
        let data = try XLSXForeignFileTests.package([
            "_rels/.rels":
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
            "word/document.xml": body
        ])
        let content = try DOCXReader().read(data)
        #expect(content.blocks == [.paragraph("Báo cáo mới"), .paragraph("Trang 3"), .table([["a\nb", "x\ty\n"]]), .paragraph("A & B")])
    }

    @Test func raisedDigitsAreReadAsSuperscripts() throws {
        // A footnote mark as Word writes it, then a raised unit and a lowered (subscript) digit.
        let body = """
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>8</w:t></w:r><w:r><w:rPr/><w:t xml:space="preserve"> Trong đó: 10712</w:t></w:r></w:p>
            <w:p><w:r><w:t>120 m</w:t></w:r><w:r><w:rPr><w:b/><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r><w:r><w:t xml:space="preserve"> và CO</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t></w:r></w:p>
            </w:body></w:document>
            """
        let data = try XLSXForeignFileTests.package([
            "_rels/.rels":
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
            "word/document.xml": body
        ])
        #expect(try DOCXReader().read(data).paragraphs == ["⁸ Trong đó: 10712", "120 m² và CO2"])
    }

    @Test func notADocument() throws {
        #expect(throws: OfficeFormatError.notDOCX) { try DOCXReader().read(Data("plain text".utf8)) }
        #expect(throws: OfficeFormatError.notDOCX) { try DOCXReader().read(XLSXWriter().write(Samples.reportWorkbook())) }
        #expect(OfficeFormatError.notDOCX.message == "Tệp không phải là tệp Word (.docx) hợp lệ.")
    }
}
