import Foundation

@testable import OfficeFormats

#if canImport(CZlib)
    import CZlib
#elseif canImport(zlib)
    import zlib
#endif

/// Builders for hostile packages: a ZIP writer whose every field can lie, raw
/// deflate, and small workbooks around one sheet's XML.
enum HostileFiles {
    struct RawEntry {
        var name: String
        /// The bytes stored in the archive (already compressed when `method` is 8).
        var stored: [UInt8]
        var method: UInt16 = 0
        var crc: UInt32 = 0
        var uncompressedSize: UInt32 = 0
        var flags: UInt16 = 0
        /// Overrides of central-directory fields, to plant bogus values.
        var compressedSizeField: UInt32? = nil
        var offsetField: UInt32? = nil

        /// A stored entry with honest sizes and checksum.
        static func stored(_ name: String, _ bytes: [UInt8]) -> RawEntry {
            RawEntry(name: name, stored: bytes, crc: crc32Of(bytes), uncompressedSize: UInt32(bytes.count))
        }

        /// A deflated entry with honest sizes and checksum.
        static func deflated(_ name: String, _ bytes: [UInt8]) -> RawEntry {
            RawEntry(name: name, stored: deflate(bytes), method: 8, crc: crc32Of(bytes), uncompressedSize: UInt32(bytes.count))
        }
    }

    /// A ZIP of `entries`; `entryCountField` and `directoryOffsetField` override the end record.
    static func zip(
        _ entries: [RawEntry], entryCountField: UInt16? = nil, directoryOffsetField: UInt32? = nil,
        zip64Locator: Bool = false
    ) -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: UInt16, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32, _ a: inout [UInt8]) { for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
        for e in entries {
            let offset = UInt32(out.count)
            let name = Array(e.name.utf8)
            u32(0x0403_4B50, &out); u16(20, &out); u16(e.flags, &out); u16(e.method, &out); u32(0, &out)
            u32(e.crc, &out); u32(UInt32(e.stored.count), &out); u32(e.uncompressedSize, &out)
            u16(UInt16(name.count), &out); u16(0, &out); out += name; out += e.stored

            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(e.flags, &central); u16(e.method, &central)
            u32(0, &central); u32(e.crc, &central); u32(e.compressedSizeField ?? UInt32(e.stored.count), &central)
            u32(e.uncompressedSize, &central); u16(UInt16(name.count), &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(e.offsetField ?? offset, &central); central += name
        }
        let directoryOffset = UInt32(out.count)
        out += central
        if zip64Locator {
            u32(0x0706_4B50, &out); u32(0, &out); u32(0, &out); u32(0, &out); u32(1, &out)
        }
        let count = entryCountField ?? UInt16(entries.count)
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(count, &out); u16(count, &out)
        u32(UInt32(central.count), &out); u32(directoryOffsetField ?? directoryOffset, &out); u16(0, &out)
        return Data(out)
    }

    static func crc32Of(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { Inflater.crc32($0) }
    }

    /// Raw deflate (no zlib header), as ZIP stores it.
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        let chunk = DeflateStream()
        var out = chunk.push(bytes, flush: Z_FINISH)
        chunk.end()
        if out.isEmpty { out = [3, 0] }
        return out
    }

    /// A deflate stream that inflates to `copies` MiB of zero bytes, built from one
    /// sync-flushed MiB repeated: a ~1,000:1 bomb made in milliseconds.
    static func zeroBomb(mebibytes copies: Int) -> [UInt8] {
        let stream = DeflateStream()
        let chunk = stream.push([UInt8](repeating: 0, count: 1 << 20), flush: Z_SYNC_FLUSH)
        stream.end()
        var out: [UInt8] = []
        out.reserveCapacity(chunk.count * copies + 2)
        for _ in 0..<copies { out += chunk }
        return out + [3, 0] // a final, empty fixed block
    }

    /// zlib keeps a pointer back to its stream, so the stream lives at a fixed address.
    private final class DeflateStream {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

        init() {
            stream.initialize(to: z_stream())
            _ = deflateInit2_(
                stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size))
        }

        func push(_ input: [UInt8], flush: Int32) -> [UInt8] {
            var input = input
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            input.withUnsafeMutableBufferPointer { inp in
                stream.pointee.next_in = inp.baseAddress
                stream.pointee.avail_in = UInt32(inp.count)
                repeat {
                    buffer.withUnsafeMutableBufferPointer { b in
                        stream.pointee.next_out = b.baseAddress
                        stream.pointee.avail_out = UInt32(b.count)
                        _ = zlibDeflate(stream, flush)
                        out += b[0..<(b.count - Int(stream.pointee.avail_out))]
                    }
                } while stream.pointee.avail_out == 0
            }
            return out
        }

        func end() {
            deflateEnd(stream)
            stream.deallocate()
        }
    }

    // MARK: Workbooks

    static let workbookRels = """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
        Target="sharedStrings.xml"/></Relationships>
        """

    /// A workbook whose `sheets` sheets all point at one worksheet part holding `sheetData`.
    static func workbook(sheetXML: String, sharedStrings: String? = nil, sheets: Int = 1) throws -> Data {
        let list = (1...sheets).map { "<sheet name=\"S\($0)\" sheetId=\"\($0)\" r:id=\"rId1\"/>" }.joined()
        var parts = [
            "[Content_Types].xml": XLSXForeignFileTests.contentTypes, "_rels/.rels": XLSXForeignFileTests.rootRels,
            "xl/workbook.xml": "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<sheets>\(list)</sheets></workbook>",
            "xl/_rels/workbook.xml.rels": workbookRels,
            "xl/worksheets/sheet1.xml": sheetXML
        ]
        if let sharedStrings { parts["xl/sharedStrings.xml"] = sharedStrings }
        return try XLSXForeignFileTests.package(parts)
    }

    /// A worksheet part around `rows` (the content of `<sheetData>`), with optional markup before it.
    static func sheet(_ rows: String, before: String = "") -> String {
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\(before)<sheetData>\(rows)</sheetData></worksheet>"
    }

    /// A .docx whose document body is `body`.
    static func document(body: String) throws -> Data {
        try XLSXForeignFileTests.package([
            "[Content_Types].xml": XLSXForeignFileTests.contentTypes,
            "_rels/.rels": """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
            Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
            """,
            "word/document.xml": "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                + "<w:body>\(body)</w:body></w:document>"
        ])
    }
}

/// Deterministic bytes for the random-input tests (SplitMix64).
struct SeededBytes {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// zlib's deflate under a name that `HostileFiles.deflate` does not shadow.
private func zlibDeflate(_ stream: UnsafeMutablePointer<z_stream>, _ flush: Int32) -> Int32 { deflate(stream, flush) }
