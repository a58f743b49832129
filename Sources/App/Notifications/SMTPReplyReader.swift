import Foundation
import NIOCore

/// One SMTP reply: its code and the text of its lines (RFC 5321 §4.2).
struct SMTPReply: Sendable, Equatable {
    let code: Int
    let lines: [String]
    var text: String { lines.joined(separator: " ") }
}

/// What went wrong talking to the mail server; every case is worth a later retry.
struct SMTPError: Error, CustomStringConvertible, Equatable {
    enum Kind: Equatable, Sendable {
        case timeout, connection
        case reply(Int)
        case malformed, tls, refused
    }
    let kind: Kind
    let description: String

    static func timeout(_ step: String, seconds: Int) -> SMTPError {
        SMTPError(kind: .timeout, description: "Máy chủ thư không trả lời bước \(step) trong \(seconds) giây.")
    }
}

/// Turns the server's bytes into replies. Lines are bounded (`maxLine`), a
/// reply has at most `maxLines` lines and at most `maxQueued` replies wait
/// unread: a server that sends more is cut off, so nothing it sends grows without bound.
final class SMTPReplyReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    static let maxLine = 2_048
    static let maxLines = 100
    static let maxQueued = 8

    private var pending = ByteBuffer()
    private var lines: [String] = []
    private var replies: [SMTPReply] = []
    private var waiter: EventLoopPromise<SMTPReply>?
    private var failure: SMTPError?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Bytes or replies received and not yet asked for (after STARTTLS's 220 there must be none).
    var hasUnreadInput: Bool { pending.readableBytes > 0 || !lines.isEmpty || !replies.isEmpty }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        var incoming = unwrapInboundIn(data)
        pending.writeBuffer(&incoming)
        while failure == nil, let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = pending.readableBytesView.distance(from: pending.readableBytesView.startIndex, to: newline) + 1
            guard length <= Self.maxLine, let bytes = pending.readBytes(length: length) else {
                return fail(SMTPError(kind: .malformed, description: "Máy chủ thư gửi một dòng dài quá \(Self.maxLine) byte."))
            }
            parse(line: String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines))
        }
        if pending.readableBytes > Self.maxLine {
            fail(SMTPError(kind: .malformed, description: "Máy chủ thư gửi một dòng dài quá \(Self.maxLine) byte."))
        }
        pending.discardReadBytes()
    }

    private func parse(line: String) {
        let scalars = Array(line.utf8)
        guard scalars.count >= 3, scalars.prefix(3).allSatisfy({ (48...57).contains($0) }),
            let code = Int(String(decoding: scalars.prefix(3), as: UTF8.self)),
            scalars.count == 3 || scalars[3] == UInt8(ascii: " ") || scalars[3] == UInt8(ascii: "-")
        else {
            return fail(SMTPError(kind: .malformed, description: "Máy chủ thư trả lời sai giao thức SMTP: “\(line.prefix(80))”."))
        }
        lines.append(scalars.count > 4 ? String(decoding: scalars.dropFirst(4), as: UTF8.self) : "")
        guard lines.count <= Self.maxLines else {
            return fail(SMTPError(kind: .malformed, description: "Máy chủ thư trả lời quá \(Self.maxLines) dòng."))
        }
        if scalars.count == 3 || scalars[3] == UInt8(ascii: " ") {
            replies.append(SMTPReply(code: code, lines: lines))
            lines = []
            guard replies.count <= Self.maxQueued else {
                return fail(SMTPError(kind: .malformed, description: "Máy chủ thư gửi các trả lời không được hỏi."))
            }
            deliver()
        }
    }

    private func deliver() {
        guard let waiter else { return }
        if !replies.isEmpty {
            self.waiter = nil
            waiter.succeed(replies.removeFirst())
        } else if let failure {
            self.waiter = nil
            waiter.fail(failure)
        }
    }

    func fail(_ error: SMTPError) {
        if failure == nil { failure = error }
        pending.clear()
        deliver()
        context?.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if failure == nil { failure = SMTPError(kind: .connection, description: "Máy chủ thư đã đóng kết nối.") }
        deliver()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(SMTPError(kind: .connection, description: "Lỗi kết nối tới máy chủ thư: \(error)."))
    }

    /// The next reply, or the failure; at most one caller waits at a time.
    func next(on loop: EventLoop) -> EventLoopFuture<SMTPReply> {
        if !replies.isEmpty { return loop.makeSucceededFuture(replies.removeFirst()) }
        if let failure { return loop.makeFailedFuture(failure) }
        let promise = loop.makePromise(of: SMTPReply.self)
        waiter?.fail(SMTPError(kind: .malformed, description: "Hai lệnh SMTP cùng chờ trả lời."))
        waiter = promise
        return promise.futureResult
    }
}
