import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message per connection, speaking RFC 5321: EHLO, STARTTLS when
/// configured (RFC 3207), AUTH PLAIN or LOGIN when a user is configured,
/// MAIL FROM, RCPT TO, DATA (dot-stuffed), QUIT. Every step has a deadline.
struct SMTPClient: Sendable {
    let settings: SMTPSettings
    let group: any EventLoopGroup

    func send(_ message: MailMessage) async throws {
        let payload = MailMessage.dotStuffed(try message.rendered())
        let session = try await SMTPSession.connect(settings, group: group)
        do {
            try await session.converse(message, payload: payload)
            await session.close()
        } catch {
            await session.close()
            throw error
        }
    }
}

/// One connection to the server; the reader is touched only on its event loop.
private struct SMTPSession: Sendable {
    let channel: any Channel
    let reader: NIOLoopBound<SMTPReplyReader>
    let settings: SMTPSettings

    var seconds: Int { Int(settings.timeout.rounded(.up)) }
    var timeout: TimeAmount { .milliseconds(Int64((settings.timeout * 1000).rounded(.up))) }

    static func connect(_ settings: SMTPSettings, group: any EventLoopGroup) async throws -> SMTPSession {
        let timeoutAmount = TimeAmount.milliseconds(Int64((settings.timeout * 1000).rounded(.up)))
        do {
            // The reader is handed out by the initializer that adds it: a server that misbehaves at once
            // gets it removed before any later lookup in the pipeline could find it.
            return try await ClientBootstrap(group: group)
                .connectTimeout(timeoutAmount)
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let reader = SMTPReplyReader()
                        try channel.pipeline.syncOperations.addHandler(reader)
                        return SMTPSession(
                            channel: channel, reader: NIOLoopBound(reader, eventLoop: channel.eventLoop),
                            settings: settings)
                    }
                }
        } catch {
            throw SMTPError(
                kind: .connection, description: "Không kết nối được tới máy chủ thư \(settings.host):\(settings.port): \(error).")
        }
    }

    /// Waits for the next reply, at most the configured time; a stalled server is cut off.
    func reply(_ step: String) async throws -> SMTPReply {
        let reader = self.reader, seconds = self.seconds, timeout = self.timeout
        return try await channel.eventLoop.flatSubmit {
            let future = reader.value.next(on: reader.eventLoop)
            let deadline = reader.eventLoop.scheduleTask(in: timeout) { reader.value.fail(.timeout(step, seconds: seconds)) }
            future.whenComplete { _ in deadline.cancel() }
            return future
        }.get()
    }

    func write(_ text: String) async throws {
        do { try await channel.writeAndFlush(ByteBuffer(string: text)).get() } catch {
            throw SMTPError(kind: .connection, description: "Không gửi được tới máy chủ thư: \(error).")
        }
    }

    /// Sends a command (nil: only wait) and checks the reply's code; `shown` replaces secrets in messages.
    @discardableResult
    func command(_ line: String?, step: String, expect codes: Set<Int>) async throws -> SMTPReply {
        if let line {
            guard !line.contains("\r"), !line.contains("\n") else {
                throw SMTPError(kind: .refused, description: "Lệnh SMTP bước \(step) chứa ký tự xuống dòng.")
            }
            try await write(line + "\r\n")
        }
        let reply = try await reply(step)
        guard codes.contains(reply.code) else {
            throw SMTPError(
                kind: .reply(reply.code),
                description: "Máy chủ thư từ chối bước \(step): \(reply.code) \(String(reply.text.prefix(200))).")
        }
        return reply
    }

    func converse(_ message: MailMessage, payload: String) async throws {
        try await command(nil, step: "chào (220)", expect: [220])
        var capabilities = try await ehlo()
        if settings.security == .starttls {
            guard capabilities.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw SMTPError(kind: .tls, description: "Máy chủ thư \(settings.host) không hỗ trợ STARTTLS mà BAOCAO_SMTP_TLS=starttls.")
            }
            try await command("STARTTLS", step: "STARTTLS", expect: [220])
            try await startTLS()
            capabilities = try await ehlo()
        }
        if let username = settings.username, let password = settings.password {
            try await authenticate(username, password, capabilities: capabilities)
        }
        try await command("MAIL FROM:<\(message.from)>", step: "MAIL FROM", expect: [250])
        try await command("RCPT TO:<\(message.to)>", step: "RCPT TO", expect: [250, 251])
        try await command("DATA", step: "DATA", expect: [354])
        try await write(payload)
        try await command(nil, step: "kết thúc DATA", expect: [250])
        // The message is accepted; a QUIT that goes wrong changes nothing.
        _ = try? await command("QUIT", step: "QUIT", expect: [221])
    }

    /// EHLO's reply lines after the greeting: the server's extensions.
    func ehlo() async throws -> [String] {
        let reply = try await command("EHLO \(settings.heloName)", step: "EHLO", expect: [250])
        return Array(reply.lines.dropFirst())
    }

    func startTLS() async throws {
        let settings = self.settings, reader = self.reader
        try await channel.eventLoop.submit {
            // Bytes sent before the handshake would be read as if protected (CVE-2011-0411): refuse them.
            guard !reader.value.hasUnreadInput else {
                throw SMTPError(kind: .tls, description: "Máy chủ thư gửi dữ liệu trước khi bắt đầu TLS.")
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            if let caFile = settings.caFile { tls.trustRoots = .file(caFile) }
            let context = try NIOSSLContext(configuration: tls)
            let isAddress = settings.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
            let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : settings.host)
            try self.channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
    }

    func authenticate(_ username: String, _ password: String, capabilities: [String]) async throws {
        let mechanisms = Set(
            capabilities.filter { $0.uppercased().hasPrefix("AUTH") }
                .flatMap { $0.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).dropFirst().map(String.init) })
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if mechanisms.contains("PLAIN") {
            try await command("AUTH PLAIN " + base64("\0\(username)\0\(password)"), step: "AUTH PLAIN", expect: [235])
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", step: "AUTH LOGIN", expect: [334])
            try await command(base64(username), step: "AUTH LOGIN (tên)", expect: [334])
            try await command(base64(password), step: "AUTH LOGIN (mật khẩu)", expect: [235])
        } else {
            throw SMTPError(kind: .refused, description: "Máy chủ thư \(settings.host) không nhận AUTH PLAIN hay AUTH LOGIN.")
        }
    }

    func close() async {
        try? await channel.close().get()
    }
}
