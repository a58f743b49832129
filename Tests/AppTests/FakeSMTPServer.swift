import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

@testable import App

/// An SMTP server in the test process, on a loopback port: it records what
/// clients send, and can misbehave (stall, refuse the recipient) on purpose.
final class FakeSMTPServer: Sendable {
    enum Behaviour: Sendable { case accept, stallAtGreeting, stallAfterData, rejectRecipient, endlessLine }

    struct Delivery: Sendable, Equatable {
        var from = ""
        var to: [String] = []
        var data = ""
        var auth: [String] = []
    }

    let port: Int
    private let channel: any Channel
    private let box: NIOLockedValueBox<[Delivery]>

    var deliveries: [Delivery] { box.withLockedValue { $0 } }

    private init(port: Int, channel: any Channel, box: NIOLockedValueBox<[Delivery]>) {
        self.port = port
        self.channel = channel
        self.box = box
    }

    static func start(_ behaviour: Behaviour, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws
        -> FakeSMTPServer
    {
        let box = NIOLockedValueBox<[Delivery]>([])
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Session(behaviour: behaviour, box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeSMTPServer(port: channel.localAddress?.port ?? 0, channel: channel, box: box)
    }

    func stop() async {
        try? await channel.close().get()
    }

    func settings(timeout: TimeInterval = 5) -> SMTPSettings {
        var settings = SMTPSettings(host: "127.0.0.1", port: port, from: "baocao@bacgiang.gov.vn")
        settings.timeout = timeout
        return settings
    }

    private final class Session: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        let box: NIOLockedValueBox<[Delivery]>
        var buffer = ByteBuffer()
        var inData = false
        var current = Delivery()
        var dataLines: [String] = []

        init(behaviour: Behaviour, box: NIOLockedValueBox<[Delivery]>) {
            self.behaviour = behaviour
            self.box = box
        }

        func say(_ context: ChannelHandlerContext, _ text: String) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
        }

        func channelActive(context: ChannelHandlerContext) {
            switch behaviour {
            case .stallAtGreeting: return
            case .endlessLine: say(context, "220-" + String(repeating: "x", count: 10_000))
            default: say(context, "220 fake.bacgiang.gov.vn ESMTP\r\n")
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            buffer.writeBuffer(&incoming)
            while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = buffer.readableBytesView.distance(from: buffer.readableBytesView.startIndex, to: newline) + 1
                guard let bytes = buffer.readBytes(length: length) else { return }
                handle(context, String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines))
            }
            buffer.discardReadBytes()
        }

        func handle(_ context: ChannelHandlerContext, _ line: String) {
            if inData {
                guard line == "." else { dataLines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line); return }
                inData = false
                current.data = dataLines.joined(separator: "\r\n")
                let delivery = current
                box.withLockedValue { $0.append(delivery) }
                if behaviour != .stallAfterData { say(context, "250 2.0.0 Đã nhận\r\n") }
                return
            }
            let upper = line.uppercased()
            if upper.hasPrefix("EHLO") {
                say(context, "250-fake.bacgiang.gov.vn\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n")
            } else if upper.hasPrefix("AUTH PLAIN ") {
                current.auth.append(String(line.dropFirst(11)))
                say(context, "235 2.7.0 OK\r\n")
            } else if upper.hasPrefix("MAIL FROM:") {
                current = Delivery(from: String(line.dropFirst(10)), auth: current.auth)
                say(context, "250 OK\r\n")
            } else if upper.hasPrefix("RCPT TO:") {
                if behaviour == .rejectRecipient { say(context, "550 5.1.1 Không có hộp thư này\r\n"); return }
                current.to.append(String(line.dropFirst(8)))
                say(context, "250 OK\r\n")
            } else if upper == "DATA" {
                inData = true
                dataLines = []
                say(context, "354 Gửi nội dung\r\n")
            } else if upper == "QUIT" {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "221 Tạm biệt\r\n"))).whenComplete { _ in
                    context.close(promise: nil)
                }
            } else {
                say(context, "502 5.5.2 Không hiểu lệnh\r\n")
            }
        }
    }
}

/// Reads a delivered message back as a mail client would: the decoded subject
/// (RFC 2047 "B" words, unfolded) and the base64 body.
struct ReceivedMail {
    let headers: [String: String]
    let subject: String
    let body: String

    init(_ data: String) {
        let parts = data.components(separatedBy: "\r\n\r\n")
        var headers: [String: String] = [:]
        var last: String?
        for line in (parts.first ?? "").components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last {
                headers[last, default: ""] += line
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon]).lowercased()
                headers[name] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                last = name
            }
        }
        self.headers = headers
        let raw = headers["subject"] ?? ""
        var subject = ""
        for word in raw.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let bytes = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            {
                subject += String(decoding: bytes, as: UTF8.self)
            } else {
                subject += (subject.isEmpty ? "" : " ") + word
            }
        }
        self.subject = subject
        let encoded = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
        body = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
