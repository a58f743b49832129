import Fluent
import Vapor

/// The JSON API's error body: `{"error": true, "reason": "…"}`, as Vapor's own
/// error middleware writes it, plus the diff for a stale save (409).
struct ApiErrorBody: Content {
    struct Change: Content {
        let code: String
        let theirs: String
        let yours: String
    }

    var error = true
    let reason: String
    var currentVersion: Int?
    var changes: [Change]?
}

/// Renders every error under /api/v1 as JSON with a Vietnamese reason, so
/// API clients never get an HTML error page or Vapor's English defaults,
/// whatever the browser side of the application does with its errors.
struct ApiErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let conflict as ReportService.Conflict {
            return try Self.response(
                .conflict,
                ApiErrorBody(
                    reason:
                        "Không lưu được: báo cáo đã được lưu bởi người khác (phiên bản hiện tại \(conflict.currentVersion)) sau phiên bản bạn gửi. Xem các khác biệt trong “changes”, đọc lại báo cáo rồi gửi lại với “version”: \(conflict.currentVersion).",
                    currentVersion: conflict.currentVersion,
                    changes: conflict.changes.map { ApiErrorBody.Change(code: $0.code, theirs: $0.theirs, yours: $0.yours) }))
        } catch let decoding as DecodingError {
            return try Self.response(.badRequest, ApiErrorBody(reason: Self.describe(decoding)))
        } catch let abort as AbortError {
            let response = try Self.response(abort.status, ApiErrorBody(reason: Self.vietnamese(abort)))
            for (name, value) in abort.headers where name.lowercased() != "content-type" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        } catch {
            request.logger.report(error: error)
            return try Self.response(
                .internalServerError,
                ApiErrorBody(reason: "Lỗi hệ thống, chưa thực hiện được yêu cầu. Hãy thử lại sau; nếu vẫn lỗi, báo quản trị hệ thống."))
        }
    }

    static func response(_ status: HTTPStatus, _ body: ApiErrorBody) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(body, as: .json)
        return response
    }

    /// Vapor's own aborts (body too large, wrong media type…) carry English
    /// reason phrases; ours are already Vietnamese.
    static func vietnamese(_ abort: AbortError) -> String {
        guard abort.reason == abort.status.reasonPhrase else { return abort.reason }
        switch abort.status {
        case .badRequest: return "Yêu cầu không hợp lệ."
        case .unauthorized: return "Cần mã truy cập API hợp lệ (tiêu đề “Authorization: Bearer <mã>”)."
        case .forbidden: return "Bạn không có quyền thực hiện thao tác này."
        case .notFound: return "Không tìm thấy địa chỉ hoặc dữ liệu được yêu cầu."
        case .payloadTooLarge: return "Dữ liệu gửi lên quá lớn (tối đa 2 MB)."
        case .unsupportedMediaType: return "Nội dung gửi lên phải là JSON (Content-Type: application/json)."
        case .unprocessableEntity: return "Dữ liệu gửi lên không hợp lệ."
        default: return "Không thực hiện được yêu cầu (mã lỗi \(abort.status.code))."
        }
    }

    /// Says which field of the JSON is wrong, in Vietnamese.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else if key.stringValue.allSatisfy({ $0.isLetter || $0.isNumber }) && !key.stringValue.isEmpty {
                    text += text.isEmpty ? key.stringValue : "." + key.stringValue
                } else {
                    text += "[\"\(key.stringValue)\"]"
                }
            }
            return text
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: return "chuỗi ký tự"
            case is Int.Type, is Int64.Type: return "số nguyên"
            case is Double.Type: return "số"
            case is Bool.Type: return "true hoặc false"
            default:
                let name = String(describing: type)
                if name.hasPrefix("Dictionary") { return "đối tượng JSON" }
                if name.hasPrefix("Array") { return "mảng JSON" }
                return "giá trị đúng kiểu"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Nội dung JSON thiếu trường “\(path(context.codingPath + [key]))”."
        case .typeMismatch(let type, let context):
            return "Trường “\(path(context.codingPath))” trong nội dung JSON sai kiểu: cần \(kind(type))."
        case .valueNotFound(let type, let context):
            return "Trường “\(path(context.codingPath))” trong nội dung JSON không được là null: cần \(kind(type))."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "Nội dung gửi lên không phải JSON hợp lệ. Kiểm tra dấu ngoặc, dấu phẩy và dấu nháy kép."
                : "Trường “\(path(context.codingPath))” trong nội dung JSON có giá trị không hợp lệ."
        @unknown default:
            return "Nội dung JSON không đọc được."
        }
    }
}

extension Request {
    /// Decodes a JSON body strictly: the media type must be JSON and the body
    /// must be there; decoding errors say, in Vietnamese, which field is wrong.
    func decodeJSONBody<T: Decodable>(_ type: T.Type) throws -> T {
        guard let contentType = headers.contentType, contentType.type == "application", contentType.subType == "json" else {
            throw Abort(.unsupportedMediaType, reason: "Nội dung gửi lên phải là JSON, với tiêu đề “Content-Type: application/json”.")
        }
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw Abort(.badRequest, reason: "Thiếu nội dung JSON trong yêu cầu.")
        }
        return try JSONDecoder().decode(T.self, from: buffer)
    }
}
