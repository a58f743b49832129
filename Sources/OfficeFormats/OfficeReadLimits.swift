/// Bounds on what the readers accept from a file, so a small hostile upload
/// (a decompression bomb, a sheet claiming a million columns) is refused with
/// a message instead of exhausting memory. Every limit lives here.
///
/// The defaults leave wide room for real report workbooks: BaoCao's largest
/// (11,000 rows × 30 columns, `baocao bench office`) inflates to about 15 MB
/// and holds 330,000 cells.
public struct OfficeReadLimits: Sendable, Equatable {
    /// Bytes all parts of one package may inflate to together.
    public var maxTotalInflatedBytes: Int
    /// Bytes a single part may inflate to.
    public var maxEntryInflatedBytes: Int
    /// Inflated size over compressed size, checked for parts larger than `compressionRatioFloor`.
    public var maxCompressionRatio: Int
    /// Parts up to this inflated size are exempt from the ratio (tiny XML compresses very well).
    public var compressionRatioFloor: Int
    /// Entries in the ZIP's central directory.
    public var maxEntries: Int
    /// Cell slots over all sheets, counting the empty cells a far-right or far-down cell forces.
    public var maxCells: Int
    /// Open elements nested inside each other in one XML part.
    public var maxXMLDepth: Int
    /// Entries of xl/sharedStrings.xml.
    public var maxSharedStrings: Int
    /// UTF-8 bytes of all shared strings together.
    public var maxSharedStringBytes: Int
    /// Characters in one cell's text (Excel's own limit).
    public var maxStringLength: Int

    public init(
        maxTotalInflatedBytes: Int = 64 << 20, maxEntryInflatedBytes: Int = 48 << 20,
        maxCompressionRatio: Int = 200, compressionRatioFloor: Int = 1 << 20,
        maxEntries: Int = 10_000, maxCells: Int = 2_000_000, maxXMLDepth: Int = 256,
        maxSharedStrings: Int = 1_000_000, maxSharedStringBytes: Int = 32 << 20,
        maxStringLength: Int = 32_767
    ) {
        self.maxTotalInflatedBytes = maxTotalInflatedBytes
        self.maxEntryInflatedBytes = maxEntryInflatedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioFloor = compressionRatioFloor
        self.maxEntries = maxEntries
        self.maxCells = maxCells
        self.maxXMLDepth = maxXMLDepth
        self.maxSharedStrings = maxSharedStrings
        self.maxSharedStringBytes = maxSharedStringBytes
        self.maxStringLength = maxStringLength
    }

    public static let standard = OfficeReadLimits()
}

/// Which limit a file broke, for `OfficeFormatError.limitExceeded`; each has its own message.
public enum OfficeLimitBreach: Sendable, Equatable {
    case totalInflatedSize(limit: Int)
    case entryInflatedSize(part: String, limit: Int)
    case compressionRatio(part: String, limit: Int)
    case entryCount(limit: Int)
    case cellCount(limit: Int)
    case xmlDepth(part: String, limit: Int)
    case sharedStringCount(limit: Int)
    case sharedStringBytes(limit: Int)
    case stringLength(place: String, limit: Int)

    /// What is wrong, in Vietnamese (the error adds how to fix it).
    public var reason: String {
        switch self {
        case .totalInflatedSize(let limit):
            return "khi giải nén, nội dung tệp lớn hơn \(ViFormat.bytes(limit))"
        case .entryInflatedSize(let part, let limit):
            return "thành phần \(part) khi giải nén lớn hơn \(ViFormat.bytes(limit))"
        case .compressionRatio(let part, let limit):
            return "thành phần \(part) bị nén quá \(ViFormat.grouped(limit)) lần (dấu hiệu tệp độc hại)"
        case .entryCount(let limit):
            return "tệp chứa hơn \(ViFormat.grouped(limit)) thành phần"
        case .cellCount(let limit):
            return "bảng tính có hơn \(ViFormat.grouped(limit)) ô (tính cả các ô trống nằm trước ô có dữ liệu)"
        case .xmlDepth(let part, let limit):
            return "nội dung \(part) lồng nhau sâu hơn \(ViFormat.grouped(limit)) cấp"
        case .sharedStringCount(let limit):
            return "bảng tính có hơn \(ViFormat.grouped(limit)) chuỗi văn bản dùng chung"
        case .sharedStringBytes(let limit):
            return "các chuỗi văn bản dùng chung dài hơn \(ViFormat.bytes(limit)) tổng cộng"
        case .stringLength(let place, let limit):
            return "văn bản ở \(place) dài hơn \(ViFormat.grouped(limit)) ký tự"
        }
    }
}

/// vi-VN figures for messages (1.000.000; 64 MB) without Foundation's locale data.
enum ViFormat {
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude).utf8)
        var out: [UInt8] = value < 0 ? [45] : []
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(46) }
            out.append(d)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(_ value: Int) -> String {
        if value >= 1 << 20, value % (1 << 20) == 0 { return grouped(value >> 20) + " MB" }
        if value >= 1 << 10, value % (1 << 10) == 0 { return grouped(value >> 10) + " KB" }
        return grouped(value) + " byte"
    }
}
