#if canImport(CZlib)
    import CZlib
#elseif canImport(zlib)
    import zlib
#endif

/// Raw deflate (ZIP method 8) through zlib, stopping as soon as the output
/// would pass a limit: a bomb is refused after inflating at most `limit + 1`
/// bytes, never after allocating what its header claims.
enum Inflater {
    enum Failure: Error, Equatable {
        /// The stream is not valid deflate data, or ends early.
        case corrupt
        /// The output passed the limit.
        case tooLarge
    }

    /// - Parameter expected: the size the archive declares (a hint for the first buffer; not trusted).
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, expected: Int, limit: Int) throws(Failure) -> [UInt8] {
        guard let inputBase = input.baseAddress, input.count <= Int(UInt32.max), limit >= 0 else { throw .corrupt }
        // zlib keeps a pointer back to its stream, so the stream needs a fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard inflateInit2_(stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt
        }
        defer { inflateEnd(stream) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBase)
        stream.pointee.avail_in = UInt32(input.count)

        // One spare byte past the limit: producing it proves the limit is passed.
        let ceiling = limit < Int.max ? limit + 1 : limit
        var buffer = [UInt8](repeating: 0, count: min(max(expected, 256), ceiling))
        var produced = 0
        while true {
            if produced == buffer.count {
                guard buffer.count < ceiling else { throw .tooLarge }
                let grown = buffer.count > ceiling / 2 ? ceiling : buffer.count * 2
                buffer += [UInt8](repeating: 0, count: grown - buffer.count) // memset and memcpy, not a generic loop
            }
            let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                guard let outBase = out.baseAddress else { return Z_MEM_ERROR }
                let room = min(out.count - produced, Int(UInt32.max))
                stream.pointee.next_out = outBase + produced
                stream.pointee.avail_out = UInt32(room)
                let result = zlib_inflate(stream)
                produced += room - Int(stream.pointee.avail_out)
                return result
            }
            if produced > limit { throw .tooLarge }
            if status == Z_STREAM_END { break }
            // Z_BUF_ERROR with room left means the input ran out before the stream ended.
            if status == Z_BUF_ERROR, produced == buffer.count { continue }
            guard status == Z_OK else { throw .corrupt }
        }
        buffer.removeSubrange(produced...)
        return buffer
    }

    static func crc32(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc: UInt = 0
        var offset = 0
        guard let base = bytes.baseAddress else { return 0 }
        while offset < bytes.count {
            let piece = min(bytes.count - offset, 1 << 30)
            crc = zlib_crc32(crc, base + offset, UInt32(piece))
            offset += piece
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}

// The zlib functions under names that do not collide with ours.
@inline(__always) private func zlib_inflate(_ stream: UnsafeMutablePointer<z_stream>) -> Int32 { inflate(stream, Z_NO_FLUSH) }
@inline(__always) private func zlib_crc32(_ crc: UInt, _ buf: UnsafePointer<UInt8>, _ len: UInt32) -> UInt { crc32(crc, buf, len) }
