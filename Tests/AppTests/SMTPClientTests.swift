import Foundation
import NIOPosix
import Testing

@testable import App

/// The message as RFC 5322 builds it, and the SMTP dialogue against a server in the test process.
@Suite("Email: message and SMTP")
struct SMTPClientTests {
    static let subject = "[BaoCao] Báo cáo chờ duyệt: Ứng dụng CNTT, chuyển đổi số – Quý I năm 2024 – Xã Đồng Việt"

    func message(
        to: String = "xa.lanhdao@bacgiang.gov.vn", subject: String = Self.subject,
        body: String = "Kính gửi ông Nguyễn Văn An,\n.dòng bắt đầu bằng dấu chấm\n.\nHết."
    ) -> MailMessage {
        MailMessage(from: "baocao@bacgiang.gov.vn", to: to, subject: subject, body: body, date: Date(timeIntervalSince1970: 1_709_251_200))
    }

    @Test func aVietnameseMessageIsRenderedAsRFC5322() throws {
        let rendered = try message().rendered()
        let mail = ReceivedMail(rendered.replacingOccurrences(of: "\r\n.", with: "\r\n.."))
        #expect(ReceivedMail(rendered).subject == Self.subject)
        #expect(ReceivedMail(rendered).body == "Kính gửi ông Nguyễn Văn An,\r\n.dòng bắt đầu bằng dấu chấm\r\n.\r\nHết.")
        #expect(mail.headers["date"] == "Fri, 01 Mar 2024 00:00:00 +0000")
        #expect(mail.headers["content-type"] == "text/plain; charset=UTF-8")
        #expect(mail.headers["message-id"]?.hasSuffix("@bacgiang.gov.vn>") == true)
        // Header lines are ASCII and within RFC 5322's 78 characters.
        let head = rendered.components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") {
            #expect(line.unicodeScalars.allSatisfy(\.isASCII) && line.count <= 78, "\(line)")
        }
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func noHeaderCanBeInjected() throws {
        let rendered = try message(subject: "Chờ duyệt\r\nBcc: ke.gian@example.com").rendered()
        let mail = ReceivedMail(rendered)
        #expect(mail.headers["bcc"] == nil)
        #expect(mail.subject == "Chờ duyệt  Bcc: ke.gian@example.com")
        #expect(throws: MailMessage.Refused.self) { try message(to: "a@b.vn\r\nRCPT TO:<c@d.vn>").rendered() }
        #expect(throws: MailMessage.Refused.self) { try message(to: "Nguyễn <a@b.vn>").rendered() }
        for bad in ["", "a", "a@b", "a b@c.vn", "a@b..vn", "<a@b.vn>", ".a@b.vn", "a@-b.vn"] {
            #expect(!EmailAddress.isValid(bad), "\(bad)")
        }
        for good in ["xa.nhaplieu@bacgiang.gov.vn", "a+b@x.vn", "A_1@mail.sub.tinh.gov.vn"] {
            #expect(EmailAddress.isValid(good), "\(good)")
        }
    }

    @Test func dotStuffingDoublesLeadingDotsAndEndsTheData() {
        #expect(MailMessage.dotStuffed("a\r\n.b\r\n.\r\n") == "a\r\n..b\r\n..\r\n.\r\n")
        #expect(MailMessage.dotStuffed("x\ny") == "x\r\ny\r\n.\r\n")
    }

    @Test func aMessageIsDeliveredAndReadBack() async throws {
        let server = try await FakeSMTPServer.start(.accept)
        var settings = server.settings()
        settings.username = "baocao"
        settings.password = "mật-khẩu"
        try await SMTPClient(settings: settings, group: MultiThreadedEventLoopGroup.singleton).send(message())
        await server.stop()
        let delivery = try #require(server.deliveries.first)
        #expect(server.deliveries.count == 1)
        #expect(delivery.from == "<baocao@bacgiang.gov.vn>")
        #expect(delivery.to == ["<xa.lanhdao@bacgiang.gov.vn>"])
        #expect(delivery.auth == [Data("\0baocao\0mật-khẩu".utf8).base64EncodedString()])
        let mail = ReceivedMail(delivery.data)
        #expect(mail.subject == Self.subject)
        #expect(mail.body.contains(".dòng bắt đầu bằng dấu chấm\r\n.\r\nHết."))
    }

    @Test(arguments: [FakeSMTPServer.Behaviour.stallAtGreeting, .stallAfterData])
    func aStalledServerTimesOut(behaviour: FakeSMTPServer.Behaviour) async throws {
        let server = try await FakeSMTPServer.start(behaviour)
        await #expect {
            try await SMTPClient(settings: server.settings(timeout: 1), group: MultiThreadedEventLoopGroup.singleton).send(message())
        } throws: { error in
            (error as? SMTPError)?.kind == .timeout && "\(error)".contains("không trả lời")
        }
        await server.stop()
    }

    @Test func aRefusedRecipientIsAnErrorWithTheServersReply() async throws {
        let server = try await FakeSMTPServer.start(.rejectRecipient)
        await #expect {
            try await SMTPClient(settings: server.settings(), group: MultiThreadedEventLoopGroup.singleton).send(message())
        } throws: { error in
            (error as? SMTPError)?.kind == .reply(550) && "\(error)".contains("RCPT TO")
        }
        await server.stop()
        #expect(server.deliveries.isEmpty)
    }

    @Test func anEndlessReplyLineIsCutOff() async throws {
        let server = try await FakeSMTPServer.start(.endlessLine)
        await #expect {
            try await SMTPClient(settings: server.settings(), group: MultiThreadedEventLoopGroup.singleton).send(message())
        } throws: { error in
            (error as? SMTPError)?.kind == .malformed
        }
        await server.stop()
    }

    @Test func nothingListeningIsAConnectionError() async throws {
        let server = try await FakeSMTPServer.start(.accept)
        let settings = server.settings()
        await server.stop()
        await #expect {
            try await SMTPClient(settings: settings, group: MultiThreadedEventLoopGroup.singleton).send(message())
        } throws: { error in
            (error as? SMTPError)?.kind == .connection
        }
    }
}
