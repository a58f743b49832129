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
