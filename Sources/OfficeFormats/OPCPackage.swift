import Foundation

/// Relationships and part naming of the Open Packaging Conventions, shared by
/// the XLSX and DOCX readers and writers.
struct OPCRelationship {
    var id: String
    /// Full type URI; compare with `isType`, since Strict OOXML uses other namespaces.
    var type: String
    /// Resolved part name without leading slash (or the raw target when external).
    var target: String
    var isExternal: Bool

    /// Matches on the last path component of the type URI ("officeDocument",
    /// "worksheet", …) so transitional and strict packages both work.
    func isType(_ suffix: String) -> Bool {
        type.hasSuffix("/" + suffix)
    }
}

enum OPC {
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeRelationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

    /// "xl/workbook.xml" → "xl/_rels/workbook.xml.rels"; "" (the package) → "_rels/.rels".
    static func relationshipsPart(for part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return part.isEmpty ? "_rels/.rels" : "_rels/\(part).rels" }
        return part[..<slash] + "/_rels/" + part[part.index(after: slash)...] + ".rels"
    }

    /// Resolves a relationship target against the directory of its source part.
    static func resolve(_ target: String, relativeTo sourcePart: String) -> String {
        var components: [Substring]
        if target.hasPrefix("/") {
            components = []
        } else if let slash = sourcePart.lastIndex(of: "/") {
            components = sourcePart[..<slash].split(separator: "/")
        } else {
            components = []
        }
        for piece in target.split(separator: "/") {
            if piece == "." { continue }
            if piece == ".." { if !components.isEmpty { components.removeLast() }; continue }
            components.append(piece)
        }
        let joined = components.joined(separator: "/")
        return joined.removingPercentEncoding ?? joined
    }

    /// The relationships of a part (empty if it has none).
    static func relationships(of part: String, in zip: ZipArchiveReader) throws -> [OPCRelationship] {
        let relsPath = relationshipsPart(for: part)
        guard let bytes = try zip.read(relsPath) else { return [] }
        return try scan(bytes, part: relsPath, zip.context) { scanner in
            var result: [OPCRelationship] = []
            while let tag = scanner.nextTag() {
                guard tag.kind != .close, scanner.isNamed(tag, "Relationship") else { continue }
                let external = scanner.attribute(tag, "TargetMode") == "External"
                let target = scanner.attribute(tag, "Target") ?? ""
                result.append(
                    OPCRelationship(
                        id: scanner.attribute(tag, "Id") ?? "",
                        type: scanner.attribute(tag, "Type") ?? "",
                        target: external ? target : resolve(target, relativeTo: part),
                        isExternal: external))
            }
            return result
        }
    }

    /// Runs a scanner over a part's bytes and reports truncated XML as `malformedPart`.
    /// Elements nested beyond the context's depth limit are reported as `limitExceeded`.
    static func scan<T>(
        _ bytes: [UInt8], part: String, _ context: OfficeReadContext,
        _ body: (inout XMLScanner) throws -> T
    ) throws -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = XMLScanner(buffer, maxDepth: context.limits.maxXMLDepth)
            let result = try body(&scanner)
            if scanner.isTooDeep { throw context.exceeded(.xmlDepth(part: part, limit: context.limits.maxXMLDepth)) }
            if scanner.isMalformed { throw OfficeFormatError.malformedPart(part) }
            return result
        }
    }

    // MARK: Writing

    struct Override {
        var part: String
        var contentType: String
    }

    static func contentTypes(_ overrides: [Override]) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        x.raw("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        x.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        for o in overrides {
            x.raw("<Override PartName=\"/"); x.attribute(o.part)
            x.raw("\" ContentType=\""); x.attribute(o.contentType); x.raw("\"/>")
        }
        x.raw("</Types>")
        return x
    }

    struct Relationship {
        var id: String
        /// Either a full URI or a suffix of the officeDocument relationship namespace.
        var type: String
        var target: String
    }

    static func relationships(_ rels: [Relationship]) -> XMLBuffer {
        var x = XMLBuffer()
        x.raw(XMLBuffer.declaration)
        x.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        for r in rels {
            x.raw("<Relationship Id=\""); x.attribute(r.id)
            x.raw("\" Type=\""); x.attribute(r.type.contains("://") ? r.type : officeRelationshipType + r.type)
            x.raw("\" Target=\""); x.attribute(r.target); x.raw("\"/>")
        }
        x.raw("</Relationships>")
        return x
    }
}
