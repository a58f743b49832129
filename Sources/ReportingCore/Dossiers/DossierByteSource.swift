import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes a dossier file is read from, at any offset, so that several workers
/// can read their own ranges: an open file (positioned reads) or memory.
protocol DossierByteSource: Sendable {
    var size: Int { get }
    /// Copies up to `count` bytes from `offset` to `into`; returns how many (0 at the end), -1 on error.
    func read(into: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int
}

/// An open file read with `pread`: never loaded whole.
final class DossierFileSource: DossierByteSource, @unchecked Sendable {
    let descriptor: Int32
    let size: Int

    init(path: String) throws(DossierFileError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(reason: "không mở được tệp “\(path)” (\(String(cString: strerror(errno))))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .unreadable(reason: "“\(path)” không phải là một tệp thường")
        }
        self.descriptor = descriptor
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    func read(into: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
        while true {
            let got = pread(descriptor, into, count, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            return got
        }
    }
}

/// Bytes already in memory (an upload, a converted XLSX sheet, a test).
struct DossierMemorySource: DossierByteSource {
    let bytes: [UInt8]
    var size: Int { bytes.count }

    func read(into: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
        guard offset < bytes.count else { return 0 }
        let length = min(count, bytes.count - offset)
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { into.copyMemory(from: base + offset, byteCount: length) }
        }
        return length
    }
}
