import Foundation
import ZIPFoundation

/// Builds an OPC package (the ZIP container of .xlsx/.docx) in memory.
///
/// ZIPFoundation does the ZIP work; this wrapper fixes the choices Office
/// needs: `[Content_Types].xml` first, forward-slash part names, and deflate
/// for text parts.
struct ZipArchiveBuilder {
    /// ZIPFoundation offers deflate (zlib's default level) or no compression.
    /// Stored parts make larger files but skip the compressor; deflate is the
    /// default because reports are downloaded by users.
    enum Compression: Sendable {
        case deflate
        case store
    }

    private let archive: Archive
    private let modificationDate: Date

    init(modificationDate: Date = Date()) throws {
        do {
            archive = try Archive(data: Data(), accessMode: .create)
        } catch {
            throw OfficeFormatError.writeFailed("cannot create ZIP archive: \(error)")
        }
        self.modificationDate = modificationDate
    }

    func add(_ path: String, _ bytes: [UInt8], compression: Compression = .deflate) throws {
        let method: CompressionMethod = compression == .deflate && bytes.count > 0 ? .deflate : .none
        // Large chunks: ZIPFoundation calls the provider and the compressor once per chunk.
        let chunk = max(16 * 1024, min(bytes.count, 1 << 20))
        do {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                 modificationDate: modificationDate, compressionMethod: method,
                                 bufferSize: chunk) { position, size in
                let start = Int(position)
                return bytes.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(rebasing: $0[start..<(start + size)])) }
            }
        } catch {
            throw OfficeFormatError.writeFailed("cannot add \(path): \(error)")
        }
    }

    func add(_ path: String, _ buffer: XMLBuffer, compression: Compression = .deflate) throws {
        try add(path, buffer.bytes, compression: compression)
    }

    func finish() throws -> Data {
        guard let data = archive.data else { throw OfficeFormatError.writeFailed("ZIP archive has no data") }
        return data
    }
}

/// Reads parts of an OPC package. Part names are matched case-insensitively,
/// as OPC requires (some producers write "[Content_Types].xml" differently cased,
/// or refer to "/xl/Worksheets/Sheet1.xml").
struct ZipArchiveReader {
    private let archive: Archive
    private let entries: [String: Entry]

    /// Throws `invalidPackage` (the caller's format-specific error) when the bytes are not a ZIP.
    init(data: Data, invalidPackage: OfficeFormatError) throws {
        // A ZIP file starts with "PK"; checking first gives a clear error for e.g. an old .xls.
        guard data.count > 22, data.starts(with: [0x50, 0x4B]) else { throw invalidPackage }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw invalidPackage
        }
        self.archive = archive
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            entries[ZipArchiveReader.normalise(entry.path)] = entry
        }
        self.entries = entries
    }

    init(url: URL, invalidPackage: OfficeFormatError) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw invalidPackage
        }
        try self.init(data: data, invalidPackage: invalidPackage)
    }

    static func normalise(_ path: String) -> String {
        var p = path.lowercased()
        while p.hasPrefix("/") { p.removeFirst() }
        return p
    }

    func contains(_ path: String) -> Bool {
        entries[ZipArchiveReader.normalise(path)] != nil
    }

    /// The uncompressed bytes of a part, or nil if there is no such part.
    func read(_ path: String) throws -> [UInt8]? {
        guard let entry = entries[ZipArchiveReader.normalise(path)] else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(Int(clamping: entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, bufferSize: 256 * 1024, skipCRC32: false) { chunk in
                out.append(contentsOf: chunk)
            }
        } catch {
            throw OfficeFormatError.malformedPart(path)
        }
        return out
    }

    /// Like `read` but a missing part is an error.
    func require(_ path: String) throws -> [UInt8] {
        guard let bytes = try read(path) else { throw OfficeFormatError.missingPart(path) }
        return bytes
    }
}
