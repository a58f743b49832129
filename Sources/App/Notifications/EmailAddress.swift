import Foundation

/// An address that can go into an SMTP envelope and a header as it is:
/// no spaces, no angle brackets, no CR/LF, at most 254 characters.
enum EmailAddress {
    static let maxLength = 254

    static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= maxLength else { return false }
        let pattern =
            #"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"#
        return text.range(of: pattern, options: .regularExpression) != nil && !text.hasPrefix(".") && !text.contains("..")
    }

    /// The address as stored: trimmed, empty meaning none. Refuses, in Vietnamese, what is not an address.
    static func normalized(_ raw: String?, field: String) throws -> String? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard isValid(text) else {
            throw InvalidEmail(
                description: "\(field) “\(String(text.prefix(100)))” không phải là địa chỉ thư điện tử hợp lệ. "
                    + "Dạng đúng: ten.nguoidung@tinh.gov.vn (không dấu, không khoảng trắng).")
        }
        return text
    }

    struct InvalidEmail: Error, CustomStringConvertible {
        let description: String
    }
}
