import Foundation

/// One email, rendered per RFC 5322: UTF-8 subject as RFC 2047 encoded words,
/// UTF-8 body in base64, Date and Message-ID. CR and LF never reach a header:
/// addresses must be valid (`EmailAddress`), other header text has them replaced by spaces.
struct MailMessage: Sendable, Equatable {
    var from: String
    var to: String
    var subject: String
    var body: String
    var date: Date
    var messageID: String

    init(from: String, to: String, subject: String, body: String, date: Date, messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        let domain = from.split(separator: "@").last.map(String.init) ?? "baocao.localdomain"
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(domain)"
    }

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    /// The whole message with CRLF line ends, ready for DATA (before dot-stuffing).
    func rendered() throws -> String {
        guard EmailAddress.isValid(from) else { throw Refused(description: "Địa chỉ người gửi “\(Self.oneLine(from))” không hợp lệ.") }
        guard EmailAddress.isValid(to) else { throw Refused(description: "Địa chỉ người nhận “\(Self.oneLine(to))” không hợp lệ.") }
        let id = Self.oneLine(messageID).replacingOccurrences(of: "<", with: "").replacingOccurrences(of: ">", with: "")
        var lines = [
            "From: BaoCao <\(from)>",
            "To: <\(to)>",
            "Subject: " + Self.encodedWords(Self.oneLine(subject)),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(id)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            ""
        ]
        lines.append(contentsOf: Self.base64Lines(Self.crlf(body)))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Header text on one line: CR, LF and other control characters become spaces.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// RFC 2047 "B" encoded words of at most 64 characters each (39 bytes of UTF-8,
    /// never splitting a character), folded onto continuation lines. Plain ASCII stays as it is.
    static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) && text.utf8.count <= 900 { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk.append(contentsOf: bytes.prefix(39))
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [String] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[start..<end]))
            start = end
        }
        return lines
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// DATA's payload: lines starting with "." get another (RFC 5321 §4.5.2), then the end marker.
    static func dotStuffed(_ rendered: String) -> String {
        var lines = crlf(rendered).components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n.\r\n"
    }
}
