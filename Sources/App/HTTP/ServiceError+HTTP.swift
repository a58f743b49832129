import ReportingCore
import Vapor

/// A service's refusal answers with the status of its kind and its message.
extension ServiceError: AbortError {
    var status: HTTPResponseStatus {
        switch kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .unprocessable: .unprocessableEntity
        case .internalError: .internalServerError
        }
    }

    var reason: String { message }
}

/// A period key that is not one is the caller's mistake: 400 with the one message.
extension PeriodKeyError: AbortError {
    public var status: HTTPResponseStatus { .badRequest }
    public var reason: String { description }
}
