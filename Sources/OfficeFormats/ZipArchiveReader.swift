import Foundation

/// Reads parts of an OPC package (the ZIP container of .xlsx/.docx) from
/// untrusted bytes. Part names are matched case-insensitively, as OPC requires
/// (some producers write "[Content_Types].xml" differently cased, or refer to
/// "/xl/Worksheets/Sheet1.xml").
///
/// The ZIP structure is parsed here rather than by ZIPFoundation so that every
/// size and offset is checked before use and inflation stops at the limits in
/// `OfficeReadLimits` while it runs. ZIP64, encryption, multi-disk archives and
/// methods other than store/deflate are refused: Office never needs them for
/// files within the limits.
final class ZipArchiveReader {
    struct Entry {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let context: OfficeReadContext
    private let bytes: [UInt8]
    private let entries: [String: Entry]
    /// End of the region entry data may occupy (the start of the central directory).
    private let dataEnd: Int
    /// Bytes inflated so far, against `maxTotalInflatedBytes`.
    private(set) var inflatedTotal = 0

    /// Throws `invalidPackage` (the caller's format-specific error) when the bytes are not a ZIP,
    /// and `invalidFile`/`limitExceeded` when they are a ZIP the reader refuses.
    convenience init(data: Data, invalidPackage: OfficeFormatError, limits: OfficeReadLimits = .standard) throws {
        try self.init(data: data, kind: invalidPackage == .notDOCX ? .docx : .xlsx, limits: limits)
    }

    convenience init(url: URL, invalidPackage: OfficeFormatError, limits: OfficeReadLimits = .standard) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw invalidPackage
        }
        try self.init(data: data, invalidPackage: invalidPackage, limits: limits)
    }

    init(data: Data, kind: OfficeFileKind, limits: OfficeReadLimits) throws {
        context = OfficeReadContext(kind: kind, limits: limits)
        // A ZIP file starts with "PK"; checking first gives a clear error for e.g. an old .xls.
        guard data.count >= 22, data.starts(with: [0x50, 0x4B]) else { throw kind.notThisFormat }
        let bytes = [UInt8](data)
        self.bytes = bytes
        let directory = try Self.centralDirectory(bytes, context)
        dataEnd = directory.offset
        var entries: [String: Entry] = [:]
        var p = directory.offset
        let end = directory.offset + directory.size
        for _ in 0..<directory.count {
            guard p + 46 <= end, Self.u32(bytes, p) == 0x0201_4B50 else { throw context.invalid("mục lục ZIP bị hỏng") }
            let flags = Self.u16(bytes, p + 8)
            let method = Self.u16(bytes, p + 10)
            let crc = Self.u32(bytes, p + 16)
            let compressed = Self.u32(bytes, p + 20)
            let uncompressed = Self.u32(bytes, p + 24)
            let nameLength = Int(Self.u16(bytes, p + 28))
            let extraLength = Int(Self.u16(bytes, p + 30))
            let commentLength = Int(Self.u16(bytes, p + 32))
            let disk = Self.u16(bytes, p + 34)
            let offset = Self.u32(bytes, p + 42)
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= end else { throw context.invalid("mục lục ZIP bị hỏng") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            p = next
            if compressed == UInt32.max || uncompressed == UInt32.max || offset == UInt32.max || disk == UInt16.max {
                throw context.invalid("tệp dùng định dạng ZIP64, BaoCao không nhận")
            }
            if name.hasSuffix("/") { continue } // a folder
            if flags & 0x41 != 0 { throw context.invalid("thành phần \(name) được mã hóa hoặc đặt mật khẩu") }
            guard method == 0 || method == 8 else {
                throw context.invalid("thành phần \(name) dùng kiểu nén BaoCao không hỗ trợ")
            }
            let entry = Entry(
                name: name, method: method, crc32: crc, compressedSize: Int(compressed),
                uncompressedSize: Int(uncompressed), localHeaderOffset: Int(offset))
            let key = Self.normalise(name)
            guard entries[key] == nil else { throw context.invalid("thành phần \(name) xuất hiện hai lần") }
            entries[key] = entry
        }
        self.entries = entries
    }

    /// Locates the central directory from the end-of-central-directory record.
    private static func centralDirectory(_ b: [UInt8], _ context: OfficeReadContext) throws -> (offset: Int, size: Int, count: Int) {
        // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
        let lowest = max(0, b.count - 22 - 0xFFFF)
        var at = b.count - 22
        var found: Int? = nil
        while at >= lowest {
            if b[at] == 0x50, u32(b, at) == 0x0605_4B50, at + 22 + Int(u16(b, at + 20)) <= b.count {
                found = at
                break
            }
            at -= 1
        }
        guard let eocd = found else { throw context.invalid("không tìm thấy mục lục ZIP (tệp bị cắt cụt?)") }
        let disk = u16(b, eocd + 4), directoryDisk = u16(b, eocd + 6)
        let countHere = u16(b, eocd + 8), count = u16(b, eocd + 10)
        let size = u32(b, eocd + 12), offset = u32(b, eocd + 16)
        if count == UInt16.max || size == UInt32.max || offset == UInt32.max
            || (eocd >= 20 && u32(b, eocd - 20) == 0x0706_4B50)
        {
            throw context.invalid("tệp dùng định dạng ZIP64, BaoCao không nhận")
        }
        guard disk == 0, directoryDisk == 0, countHere == count else {
            throw context.invalid("tệp ZIP chia thành nhiều phần, BaoCao không nhận")
        }
        guard Int(count) <= context.limits.maxEntries else {
            throw OfficeFormatError.limitExceeded(context.kind, .entryCount(limit: context.limits.maxEntries))
        }
        guard Int(offset) + Int(size) <= eocd else { throw context.invalid("mục lục ZIP trỏ ra ngoài tệp") }
        return (Int(offset), Int(size), Int(count))
    }

    static func normalise(_ path: String) -> String {
        var p = path.lowercased()
        while p.hasPrefix("/") { p.removeFirst() }
        return p
    }

    /// Part names as stored, in no particular order (folders excluded).
    var partNames: [String] { entries.values.map(\.name) }

    func contains(_ path: String) -> Bool {
        entries[ZipArchiveReader.normalise(path)] != nil
    }

    /// The uncompressed bytes of a part, or nil if there is no such part.
    func read(_ path: String) throws -> [UInt8]? {
        guard let entry = entries[ZipArchiveReader.normalise(path)] else { return nil }
        let limits = context.limits
        let broken = context.invalid("dữ liệu nén của \(entry.name) bị hỏng")
        // Local header: signature, then the name and extra lengths at 26 and 28.
        let local = entry.localHeaderOffset
        guard local + 30 <= dataEnd, Self.u32(bytes, local) == 0x0403_4B50 else { throw broken }
        let start = local + 30 + Int(Self.u16(bytes, local + 26)) + Int(Self.u16(bytes, local + 28))
        guard start + entry.compressedSize <= dataEnd else { throw broken }

        // The smallest of the three limits is the one to report.
        let remaining = limits.maxTotalInflatedBytes - inflatedTotal
        let scaled = entry.compressedSize.multipliedReportingOverflow(by: limits.maxCompressionRatio)
        let byRatio = max(limits.compressionRatioFloor, scaled.overflow ? Int.max : scaled.partialValue)
        var limit = limits.maxEntryInflatedBytes
        var breach = OfficeLimitBreach.entryInflatedSize(part: entry.name, limit: limits.maxEntryInflatedBytes)
        if remaining < limit { limit = max(0, remaining); breach = .totalInflatedSize(limit: limits.maxTotalInflatedBytes) }
        if byRatio < limit { limit = byRatio; breach = .compressionRatio(part: entry.name, limit: limits.maxCompressionRatio) }
        let tooLarge = OfficeFormatError.limitExceeded(context.kind, breach)
        // A declared size past the limit fails before any work.
        guard entry.uncompressedSize <= limit else { throw tooLarge }

        let out: [UInt8]
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else { throw broken }
            out = Array(bytes[start..<(start + entry.compressedSize)])
        } else {
            do {
                out = try bytes.withUnsafeBufferPointer { all throws(Inflater.Failure) in
                    try Inflater.inflate(
                        UnsafeBufferPointer(rebasing: all[start..<(start + entry.compressedSize)]),
                        expected: entry.uncompressedSize, limit: limit)
                }
            } catch .tooLarge {
                throw tooLarge
            } catch {
                throw broken
            }
        }
        guard out.count == entry.uncompressedSize,
            out.withUnsafeBufferPointer({ Inflater.crc32($0) }) == entry.crc32
        else { throw broken }
        inflatedTotal += out.count
        return out
    }

    /// Like `read` but a missing part is an error.
    func require(_ path: String) throws -> [UInt8] {
        guard let bytes = try read(path) else { throw OfficeFormatError.missingPart(path) }
        return bytes
    }

    @inline(__always) private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 {
        UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    @inline(__always) private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}

/// What a reader needs to phrase and bound its work: the expected format and the limits.
struct OfficeReadContext: Sendable {
    var kind: OfficeFileKind
    var limits: OfficeReadLimits

    func invalid(_ reason: String) -> OfficeFormatError { .invalidFile(kind, reason) }
    func exceeded(_ breach: OfficeLimitBreach) -> OfficeFormatError { .limitExceeded(kind, breach) }
}
