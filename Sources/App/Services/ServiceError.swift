/// A refusal by a service or an export: what is wrong, in Vietnamese, and
/// which kind of refusal it is. Services know nothing of HTTP; the HTTP layer
/// (`HTTP/ServiceError+HTTP.swift`) gives each kind its status, and the
/// command line prints the message.
struct ServiceError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable {
        /// The request itself is malformed (an unknown period, format or option).
        case invalid
        case notFound
        case forbidden
        /// Someone else changed it first.
        case conflict
        /// Well-formed, but the rules refuse it (too long, not sendable, unknown code).
        case unprocessable
        /// Our own fault (a form that disappeared): the message is not shown to users.
        case internalError
    }

    let kind: Kind
    let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
}
