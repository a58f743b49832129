import Foundation

/// Reads every part of an Office ZIP package under `limits`, for callers that
/// need the raw parts (and for the ZIP fuzz target). The same checks as the
/// XLSX and DOCX readers apply: ZIP64, encryption, bogus offsets and bombs are
/// refused with an `OfficeFormatError`.
public struct OfficePackageReader: Sendable {
    public var kind: OfficeFileKind
    public var limits: OfficeReadLimits

    public init(kind: OfficeFileKind = .xlsx, limits: OfficeReadLimits = .standard) {
        self.kind = kind
        self.limits = limits
    }

    /// Part name (as stored) → inflated bytes.
    public func parts(_ data: Data) throws -> [String: [UInt8]] {
        let zip = try ZipArchiveReader(data: data, kind: kind, limits: limits)
        var parts: [String: [UInt8]] = [:]
        for name in zip.partNames.sorted() {
            parts[name] = try zip.read(name)
        }
        return parts
    }
}
