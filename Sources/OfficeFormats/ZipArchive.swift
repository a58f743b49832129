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
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count),
                modificationDate: modificationDate, compressionMethod: method,
                bufferSize: chunk
            ) { position, size in
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
