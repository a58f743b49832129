import Foundation

/// Document metadata stored in docProps/ (core, app and custom properties).
///
/// Custom properties are where BaoCao keeps machine-readable facts about a
/// file (form code, period, unit) so an uploaded file can be matched back to
/// its report without trusting cell contents. Excel shows them under
/// File ▸ Info ▸ Properties; they survive re-saving in Excel and LibreOffice.
public struct OfficeDocumentProperties: Sendable, Equatable {
    public var title: String?
    public var subject: String?
    public var creator: String?
    public var created: Date?
    /// Name → text value. Written as `vt:lpwstr`; non-text values read back as text.
    public var custom: [String: String]

    public init(
        title: String? = nil, subject: String? = nil, creator: String? = nil,
        created: Date? = nil, custom: [String: String] = [:]
    ) {
        self.title = title
        self.subject = subject
        self.creator = creator
        self.created = created
        self.custom = custom
    }
}

extension OfficeDocumentProperties {
    static let coreContentType = "application/vnd.openxmlformats-package.core-properties+xml"
    static let appContentType = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    static let customContentType = "application/vnd.openxmlformats-officedocument.custom-properties+xml"

    /// Content-type overrides and package relationships for the docProps parts.
    var packageEntries: (overrides: [OPC.Override], relationships: [OPC.Relationship]) {
        var overrides = [
            OPC.Override(part: "docProps/core.xml", contentType: Self.coreContentType),
            OPC.Override(part: "docProps/app.xml", contentType: Self.appContentType)
        ]
        var rels = [
            OPC.Relationship(
                id: "rIdCore", type: "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                target: "docProps/core.xml"),
            OPC.Relationship(id: "rIdApp", type: "extended-properties", target: "docProps/app.xml")
        ]
        if !custom.isEmpty {
            overrides.append(OPC.Override(part: "docProps/custom.xml", contentType: Self.customContentType))
            rels.append(OPC.Relationship(id: "rIdCustom", type: "custom-properties", target: "docProps/custom.xml"))
        }
        return (overrides, rels)
    }

    func write(to zip: ZipArchiveBuilder, now: Date) throws {
        try zip.add("docProps/core.xml", coreXML(now: now))
        try zip.add("docProps/app.xml", appXML())
        if !custom.isEmpty { try zip.add("docProps/custom.xml", customXML()) }
    }

    private func coreXML(now: Date) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw(
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        )
        if let title { x.raw("<dc:title>"); x.text(title, control: .drop); x.raw("</dc:title>") }
        if let subject { x.raw("<dc:subject>"); x.text(subject, control: .drop); x.raw("</dc:subject>") }
        if let creator {
            x.raw("<dc:creator>"); x.text(creator, control: .drop); x.raw("</dc:creator>")
            x.raw("<cp:lastModifiedBy>"); x.text(creator, control: .drop); x.raw("</cp:lastModifiedBy>")
        }
        let stamp = Self.w3cdtf(created ?? now)
        x.raw("<dcterms:created xsi:type=\"dcterms:W3CDTF\">"); x.raw(stamp); x.raw("</dcterms:created>")
        x.raw("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">"); x.raw(Self.w3cdtf(now)); x.raw("</dcterms:modified>")
        x.raw("</cp:coreProperties>")
        return x
    }

    private func appXML() -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw(
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
        )
        x.raw("<Application>"); x.text(OfficeFormats.applicationName); x.raw("</Application>")
        x.raw("<DocSecurity>0</DocSecurity></Properties>")
        return x
    }

    private func customXML() -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw(
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
        )
        // pid values start at 2 by specification; names sorted so output is deterministic.
        for (offset, name) in custom.keys.sorted().enumerated() {
            x.raw("<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"")
            x.int(offset + 2)
            x.raw("\" name=\""); x.attribute(name); x.raw("\"><vt:lpwstr>")
            x.text(custom[name] ?? "", control: .drop)
            x.raw("</vt:lpwstr></property>")
        }
        x.raw("</Properties>")
        return x
    }

    static func w3cdtf(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Reads core and custom properties using the package relationships.
    static func read(from zip: ZipArchiveReader, packageRelationships rels: [OPCRelationship]) throws -> OfficeDocumentProperties {
        var props = OfficeDocumentProperties()
        if let core = rels.first(where: { $0.isType("core-properties") }), let bytes = try zip.read(core.target) {
            try OPC.scan(bytes, part: core.target, zip.context) { s in
                while let tag = s.nextTag() {
                    guard tag.kind == .open else { continue }
                    if s.isNamed(tag, "title") {
                        props.title = s.elementText(of: tag)
                    } else if s.isNamed(tag, "subject") {
                        props.subject = s.elementText(of: tag)
                    } else if s.isNamed(tag, "creator") {
                        props.creator = s.elementText(of: tag)
                    } else if s.isNamed(tag, "created") {
                        let text = s.elementText(of: tag).trimmingCharacters(in: .whitespaces)
                        let formatter = ISO8601DateFormatter()
                        formatter.formatOptions = [.withInternetDateTime]
                        props.created = formatter.date(from: text)
                        if props.created == nil {
                            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                            props.created = formatter.date(from: text)
                        }
                    }
                }
            }
        }
        if let custom = rels.first(where: { $0.isType("custom-properties") }), let bytes = try zip.read(custom.target) {
            try OPC.scan(bytes, part: custom.target, zip.context) { s in
                var currentName: String?
                while let tag = s.nextTag() {
                    if s.isNamed(tag, "property") {
                        currentName = tag.kind == .open ? s.attribute(tag, "name") : nil
                    } else if tag.kind == .open, let name = currentName {
                        // The single child is the typed value (vt:lpwstr, vt:i4, vt:bool, …).
                        props.custom[name] = s.elementText(of: tag)
                        currentName = nil
                    }
                }
            }
        }
        return props
    }
}
