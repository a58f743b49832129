import ReportingCore

/// The longest text each field of a report takes. A save beyond any of them
/// is refused whole, with the field and the limit named.
enum TextLimits {
    /// A cell as typed (a number, or a coded value's words).
    static let cell = 500
    static let note = 1_000
    /// Each of the narrative's four parts: seed 001's longest part is about 60.000 characters.
    static let narrativeSection = 100_000
    static let reviewComment = 2_000

    /// "1.000" for a message.
    static func label(_ limit: Int) -> String { VietnameseNumber.format(ExactNumber(limit)) }
}
