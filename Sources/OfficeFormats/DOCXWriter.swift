import Foundation

/// Writes `DOCXDocument`s as .docx (WordprocessingML, transitional), with
/// styles, settings, font table, header/footer parts and document properties,
/// so Word, LibreOffice and python-docx open it without repair.
public struct DOCXWriter: Sendable {
    public init() {}

    public func write(_ document: DOCXDocument) throws -> Data {
        let now = Date()
        let zip = try ZipArchiveBuilder(modificationDate: now)
        let docProps = document.properties.packageEntries
        let page = document.page

        // Header/footer parts: "default" carries the page number, "first" stays empty.
        struct Part { var name: String; var kind: String; var type: String; var withNumber: Bool }
        var parts: [Part] = []
        if page.pageNumbers != .none {
            let kind = page.pageNumbers == .header ? "header" : "footer"
            parts.append(Part(name: "\(kind)1.xml", kind: kind, type: "default", withNumber: true))
            if page.differentFirstPage {
                parts.append(Part(name: "\(kind)2.xml", kind: kind, type: "first", withNumber: false))
            }
        }

        var overrides = [
            OPC.Override(
                part: "word/document.xml", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
            OPC.Override(part: "word/styles.xml", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
            OPC.Override(
                part: "word/settings.xml", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"),
            OPC.Override(
                part: "word/fontTable.xml", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml")
        ]
        for p in parts {
            overrides.append(
                OPC.Override(
                    part: "word/\(p.name)", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.\(p.kind)+xml"))
        }
        overrides += docProps.overrides
        try zip.add("[Content_Types].xml", OPC.contentTypes(overrides))
        try zip.add(
            "_rels/.rels",
            OPC.relationships(
                [OPC.Relationship(id: "rId1", type: "officeDocument", target: "word/document.xml")] + docProps.relationships))
        try document.properties.write(to: zip, now: now)

        var rels = [
            OPC.Relationship(id: "rId1", type: "styles", target: "styles.xml"),
            OPC.Relationship(id: "rId2", type: "settings", target: "settings.xml"),
            OPC.Relationship(id: "rId3", type: "fontTable", target: "fontTable.xml")
        ]
        var references: [(kind: String, type: String, id: String)] = []
        for (i, p) in parts.enumerated() {
            let id = "rId\(10 + i)"
            rels.append(OPC.Relationship(id: id, type: p.kind, target: p.name))
            references.append((p.kind, p.type, id))
        }
        try zip.add("word/_rels/document.xml.rels", OPC.relationships(rels))
        try zip.add("word/document.xml", documentXML(document, references: references))
        try zip.add("word/styles.xml", stylesXML(document))
        try zip.add("word/settings.xml", settingsXML(document))
        try zip.add("word/fontTable.xml", fontTableXML(document))
        for p in parts {
            try zip.add("word/\(p.name)", headerFooterXML(kind: p.kind, withPageNumber: p.withNumber))
        }
        return try zip.finish()
    }

    public func write(_ document: DOCXDocument, to url: URL) throws {
        let data = try write(document)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw OfficeFormatError.writeFailed("\(url.path): \(error.localizedDescription)")
        }
    }

    // MARK: Units

    static func twips(mm: Double) -> Int { Int((mm * 1440 / 25.4).rounded()) }
    static func twips(points: Double) -> Int { Int((points * 20).rounded()) }

    static let namespaces: StaticString =
        " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

    // MARK: document.xml

    private func documentXML(_ document: DOCXDocument, references: [(kind: String, type: String, id: String)]) -> XMLBuffer {
        var x = XMLBuffer(capacity: 64 * 1024)
        x.raw(XMLBuffer.declaration)
        x.raw("<w:document"); x.raw(Self.namespaces); x.raw("><w:body>")
        for block in document.body {
            switch block {
            case .paragraph(let p): paragraph(p, into: &x)
            case .table(let t): table(t, into: &x)
            case .pageBreak: x.raw("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>")
            }
        }
        // Word needs a paragraph between a final table and the section properties.
        if case .table? = document.body.last { x.raw("<w:p/>") }
        sectionProperties(document.page, references: references, into: &x)
        x.raw("</w:body></w:document>")
        return x
    }

    private func sectionProperties(_ page: DOCXPageSetup, references: [(kind: String, type: String, id: String)], into x: inout XMLBuffer) {
        x.raw("<w:sectPr>")
        // Schema order: all headerReference before footerReference.
        for kind in ["header", "footer"] {
            for r in references where r.kind == kind {
                x.raw("<w:"); x.raw(kind); x.raw("Reference w:type=\""); x.raw(r.type); x.raw("\" r:id=\""); x.raw(r.id); x.raw("\"/>")
            }
        }
        let (w, h) = page.landscape ? (page.height, page.width) : (page.width, page.height)
        x.raw("<w:pgSz w:w=\""); x.int(w); x.raw("\" w:h=\""); x.int(h); x.raw("\"")
        if page.landscape { x.raw(" w:orient=\"landscape\"") }
        x.raw("/><w:pgMar w:top=\""); x.int(Self.twips(mm: page.marginTop))
        x.raw("\" w:right=\""); x.int(Self.twips(mm: page.marginRight))
        x.raw("\" w:bottom=\""); x.int(Self.twips(mm: page.marginBottom))
        x.raw("\" w:left=\""); x.int(Self.twips(mm: page.marginLeft))
        x.raw("\" w:header=\""); x.int(Self.twips(mm: page.headerDistance))
        x.raw("\" w:footer=\""); x.int(Self.twips(mm: page.footerDistance))
        x.raw("\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/>")
        if page.differentFirstPage && page.pageNumbers != .none { x.raw("<w:titlePg/>") }
        x.raw("</w:sectPr>")
    }

    private func paragraph(_ p: DOCXParagraph, into x: inout XMLBuffer) {
        x.raw("<w:p><w:pPr>")
        // Schema order inside pPr: keepNext, pBdr, spacing, ind, jc, rPr.
        if p.keepWithNext { x.raw("<w:keepNext/>") }
        if p.bottomBorder {
            x.raw("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>")
        }
        if p.isRule {
            // An exact 4 pt line: the paragraph collapses to just its border, clear of descenders above.
            x.raw("<w:spacing w:before=\"0\" w:after=\""); x.int(Self.twips(points: p.spacingAfter))
            x.raw("\" w:line=\"80\" w:lineRule=\"exact\"/>")
        } else if p.spacingBefore != 0 || p.spacingAfter != 0 || p.lineSpacing != nil {
            x.raw("<w:spacing w:before=\""); x.int(Self.twips(points: p.spacingBefore))
            x.raw("\" w:after=\""); x.int(Self.twips(points: p.spacingAfter)); x.raw("\"")
            if let line = p.lineSpacing {
                x.raw(" w:line=\""); x.int(Int((line * 240).rounded())); x.raw("\" w:lineRule=\"auto\"")
            }
            x.raw("/>")
        }
        if p.leftIndent != 0 || p.rightIndent != 0 || p.firstLineIndent != 0 {
            x.raw("<w:ind w:left=\""); x.int(Self.twips(mm: p.leftIndent))
            x.raw("\" w:right=\""); x.int(Self.twips(mm: p.rightIndent)); x.raw("\"")
            if p.firstLineIndent > 0 {
                x.raw(" w:firstLine=\""); x.int(Self.twips(mm: p.firstLineIndent)); x.raw("\"")
            } else if p.firstLineIndent < 0 {
                x.raw(" w:hanging=\""); x.int(Self.twips(mm: -p.firstLineIndent)); x.raw("\"")
            }
            x.raw("/>")
        }
        x.raw("<w:jc w:val=\"")
        switch p.alignment {
        case .left: x.raw("left")
        case .center: x.raw("center")
        case .right: x.raw("right")
        case .justify: x.raw("both")
        }
        x.raw("\"/>")
        if p.isRule { x.raw("<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr>") }
        x.raw("</w:pPr>")
        for run in p.runs { self.run(run, into: &x) }
        x.raw("</w:p>")
    }

    private func run(_ r: DOCXRun, into x: inout XMLBuffer) {
        x.raw("<w:r>")
        if r.bold || r.italic || r.underline || r.size != nil {
            // Schema order inside rPr: b, bCs, i, iCs, sz, szCs, u.
            x.raw("<w:rPr>")
            if r.bold { x.raw("<w:b/><w:bCs/>") }
            if r.italic { x.raw("<w:i/><w:iCs/>") }
            if let size = r.size {
                x.raw("<w:sz w:val=\""); x.int(size); x.raw("\"/><w:szCs w:val=\""); x.int(size); x.raw("\"/>")
            }
            if r.underline { x.raw("<w:u w:val=\"single\"/>") }
            x.raw("</w:rPr>")
        }
        // Split on line breaks and tabs, which are elements in WordprocessingML.
        var pending = ""
        func flush(_ x: inout XMLBuffer) {
            guard !pending.isEmpty else { return }
            x.raw("<w:t xml:space=\"preserve\">"); x.text(pending, control: .drop); x.raw("</w:t>")
            pending = ""
        }
        for ch in r.text {
            switch ch {
            case "\n", "\r\n", "\r": flush(&x); x.raw("<w:br/>")
            case "\t": flush(&x); x.raw("<w:tab/>")
            default: pending.append(ch)
            }
        }
        flush(&x)
        x.raw("</w:r>")
    }

    private func table(_ t: DOCXTable, into x: inout XMLBuffer) {
        let widths = t.columnWidths.map { Self.twips(mm: $0) }
        x.raw("<w:tbl><w:tblPr><w:tblW w:w=\""); x.int(widths.reduce(0, +)); x.raw("\" w:type=\"dxa\"/>")
        x.raw("<w:jc w:val=\"")
        switch t.alignment {
        case .left, .justify: x.raw("left")
        case .center: x.raw("center")
        case .right: x.raw("right")
        }
        x.raw("\"/><w:tblBorders>")
        for side: StaticString in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            x.raw("<w:"); x.raw(side)
            x.raw(t.hasBorders ? " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" : " w:val=\"nil\"/>")
        }
        x.raw("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>")
        x.raw("<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>")
        x.raw(
            "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
        )
        x.raw("<w:tblGrid>")
        for w in widths { x.raw("<w:gridCol w:w=\""); x.int(w); x.raw("\"/>") }
        x.raw("</w:tblGrid>")
        for row in t.rows {
            x.raw("<w:tr>")
            if row.cantSplit || row.repeatsAsHeader {
                x.raw("<w:trPr>")
                if row.cantSplit { x.raw("<w:cantSplit/>") }
                if row.repeatsAsHeader { x.raw("<w:tblHeader/>") }
                x.raw("</w:trPr>")
            }
            var column = 0
            for cell in row.cells {
                let span = cell.columnSpan
                let width = widths[min(column, max(widths.count - 1, 0))..<min(column + span, widths.count)].reduce(0, +)
                column += span
                x.raw("<w:tc><w:tcPr><w:tcW w:w=\""); x.int(width); x.raw("\" w:type=\"dxa\"/>")
                if span > 1 { x.raw("<w:gridSpan w:val=\""); x.int(span); x.raw("\"/>") }
                switch cell.verticalMerge {
                case .restart?: x.raw("<w:vMerge w:val=\"restart\"/>")
                case .continue?: x.raw("<w:vMerge/>")
                case nil: break
                }
                if let fill = cell.shading {
                    x.raw("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\""); x.attribute(fill); x.raw("\"/>")
                }
                x.raw("<w:vAlign w:val=\""); x.raw(cell.verticalAlignment.rawValue); x.raw("\"/></w:tcPr>")
                if cell.paragraphs.isEmpty {
                    x.raw("<w:p/>") // every cell must end with a paragraph
                } else {
                    for p in cell.paragraphs { paragraph(p, into: &x) }
                }
                x.raw("</w:tc>")
            }
            x.raw("</w:tr>")
        }
        x.raw("</w:tbl>")
    }

    // MARK: Other parts

    private func fonts(_ name: String, into x: inout XMLBuffer) {
        x.raw("<w:rFonts w:ascii=\""); x.attribute(name); x.raw("\" w:eastAsia=\""); x.attribute(name)
        x.raw("\" w:hAnsi=\""); x.attribute(name); x.raw("\" w:cs=\""); x.attribute(name); x.raw("\"/>")
    }

    private func stylesXML(_ d: DOCXDocument) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw("<w:styles"); x.raw(Self.namespaces); x.raw(">")
        x.raw("<w:docDefaults><w:rPrDefault><w:rPr>")
        fonts(d.fontName, into: &x)
        x.raw("<w:sz w:val=\""); x.int(d.fontSize); x.raw("\"/><w:szCs w:val=\""); x.int(d.fontSize)
        x.raw("\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>")
        x.raw("<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>")
        x.raw("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:rPr>")
        fonts(d.fontName, into: &x)
        x.raw("<w:sz w:val=\""); x.int(d.fontSize); x.raw("\"/><w:szCs w:val=\""); x.int(d.fontSize); x.raw("\"/></w:rPr></w:style>")
        x.raw(
            "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
        )
        x.raw(
            "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
        )
        x.raw(
            "<w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\"><w:name w:val=\"No List\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
        )
        for (id, name) in [("Header", "header"), ("Footer", "footer")] {
            x.raw("<w:style w:type=\"paragraph\" w:styleId=\""); x.raw(id); x.raw("\"><w:name w:val=\""); x.raw(name)
            x.raw(
                "\"/><w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val=\"center\" w:pos=\"4680\"/><w:tab w:val=\"right\" w:pos=\"9360\"/></w:tabs></w:pPr></w:style>"
            )
        }
        x.raw("</w:styles>")
        return x
    }

    private func settingsXML(_ d: DOCXDocument) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw("<w:settings"); x.raw(Self.namespaces); x.raw(">")
        x.raw("<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>")
        x.raw(
            "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
        )
        x.raw("<w:themeFontLang w:val=\"vi-VN\"/><w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/></w:settings>")
        return x
    }

    private func fontTableXML(_ d: DOCXDocument) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw("<w:fonts"); x.raw(Self.namespaces); x.raw("><w:font w:name=\""); x.attribute(d.fontName)
        x.raw(
            "\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>"
        )
        return x
    }

    private func headerFooterXML(kind: String, withPageNumber: Bool) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        let root = kind == "header" ? "w:hdr" : "w:ftr"
        x.raw("<"); x.raw(root); x.raw(Self.namespaces); x.raw(">")
        x.raw("<w:p><w:pPr><w:pStyle w:val=\""); x.raw(kind == "header" ? "Header" : "Footer");
        x.raw("\"/><w:jc w:val=\"center\"/></w:pPr>")
        if withPageNumber {
            // PAGE field; "2" is only the cached result shown until the viewer updates fields.
            x.raw("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>")
            x.raw("<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>")
        }
        x.raw("</w:p></"); x.raw(root); x.raw(">")
        return x
    }
}
