import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// A JSON value, decoded strictly: a boolean is never a number.
indirect enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    subscript(key: String) -> JSONValue? { if case .object(let object) = self { return object[key] } else { return nil } }
    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] } else { return nil }
    }
    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var number: Double? { if case .number(let value) = self { return value } else { return nil } }
    var int: Int? { number.map { Int($0) } }
    var bool: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    var array: [JSONValue]? { if case .array(let value) = self { return value } else { return nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { return value } else { return nil } }
    var isNull: Bool { self == .null }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

/// The served OpenAPI document, and a small checker that holds responses to
/// it: the status must be documented for the path and method, and the JSON
/// body must match the documented schema (type, required, properties,
/// items, additionalProperties, nullable, enum, anyOf, $ref). Stricter than
/// JSON Schema on one point: an object schema with `properties` and no
/// `additionalProperties` admits no other keys, so the document has to
/// describe everything the server sends.
struct OpenAPIDocument {
    let root: JSONValue
    let basePath: String

    init(_ root: JSONValue) {
        self.root = root
        basePath = root["servers"]?[0]?["url"]?.string ?? ""
    }

    static func served(by app: Application) async throws -> OpenAPIDocument {
        var text = ""
        try await app.testing().test(.GET, "/api/v1/openapi.json") { response in
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "json")
            text = response.body.string
        }
        return OpenAPIDocument(try JSONValue.parse(text))
    }

    var paths: [String: JSONValue] { root["paths"]?.object ?? [:] }

    /// "GET /reports/{reportID}" for every documented operation.
    var operations: Set<String> {
        var result: Set<String> = []
        for (path, item) in paths {
            for method in (item.object ?? [:]).keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                result.insert("\(method.uppercased()) \(path)")
            }
        }
        return result
    }

    /// The documented path template a concrete URL path falls under.
    func template(for url: String) -> String? {
        var path = String(url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard path.hasPrefix(basePath) else { return nil }
        path.removeFirst(basePath.count)
        let segments = path.split(separator: "/").map(String.init)
        var best: (template: String, literals: Int)?
        for template in paths.keys {
            let parts = template.split(separator: "/").map(String.init)
            guard parts.count == segments.count else { continue }
            var literals = 0, matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") { continue }
                if part == segment { literals += 1 } else { matches = false; break }
            }
            if matches, literals > (best?.literals ?? -1) { best = (template, literals) }
        }
        return best?.template
    }

    func resolve(_ value: JSONValue) -> JSONValue {
        guard let reference = value["$ref"]?.string, reference.hasPrefix("#/") else { return value }
        var current: JSONValue? = root
        for key in reference.dropFirst(2).split(separator: "/") { current = current?[String(key)] }
        return current.map(resolve) ?? .null
    }

    /// Everything wrong with one response, in words; empty when it conforms.
    func problems(method: HTTPMethod, url: String, status: UInt, contentType: String?, body: String) -> [String] {
        guard let template = template(for: url) else { return ["\(url): path not in the OpenAPI document"] }
        guard let operation = paths[template]?[method.rawValue.lowercased()] else {
            return ["\(method.rawValue) \(template): method not in the OpenAPI document"]
        }
        guard let documented = operation["responses"]?[String(status)] else {
            return ["\(method.rawValue) \(template): status \(status) not documented"]
        }
        let response = resolve(documented)
        guard let schema = response["content"]?["application/json"]?["schema"] else { return [] }
        guard let contentType, contentType.hasPrefix("application/json") else {
            return ["\(method.rawValue) \(template) \(status): content type \(contentType ?? "none"), documented application/json"]
        }
        guard let value = try? JSONValue.parse(body) else {
            return ["\(method.rawValue) \(template) \(status): body is not JSON: \(body.prefix(200))"]
        }
        return validate(value, against: schema, at: "\(method.rawValue) \(template) \(status) $")
    }

    func validate(_ value: JSONValue, against raw: JSONValue, at path: String) -> [String] {
        let schema = resolve(raw)
        if value.isNull {
            return schema["nullable"]?.bool == true ? [] : ["\(path): null, but the schema does not allow null"]
        }
        if let branches = schema["anyOf"]?.array ?? schema["oneOf"]?.array {
            let results = branches.map { validate(value, against: $0, at: path) }
            if !results.contains(where: \.isEmpty) {
                return ["\(path): matches none of anyOf/oneOf: " + results.flatMap { $0 }.joined(separator: "; ")]
            }
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            return ["\(path): \(value) is not one of \(allowed)"]
        }
        switch schema["type"]?.string {
        case "object":
            guard let object = value.object else { return ["\(path): expected an object, got \(value)"] }
            var problems: [String] = []
            for key in schema["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil {
                problems.append("\(path): required key “\(key)” missing")
            }
            let properties = schema["properties"]?.object
            let additional = schema["additionalProperties"]
            for (key, child) in object {
                if let property = properties?[key] {
                    problems += validate(child, against: property, at: "\(path).\(key)")
                } else if let additional, additional.object != nil {
                    problems += validate(child, against: additional, at: "\(path)[\"\(key)\"]")
                } else if properties != nil && additional?.bool != true {
                    problems.append("\(path): key “\(key)” is not documented")
                }
            }
            return problems
        case "array":
            guard let array = value.array else { return ["\(path): expected an array, got \(value)"] }
            guard let items = schema["items"] else { return [] }
            return array.enumerated().flatMap { validate($0.element, against: items, at: "\(path)[\($0.offset)]") }
        case "string":
            guard let text = value.string else { return ["\(path): expected a string, got \(value)"] }
            switch schema["format"]?.string {
            case "uuid" where UUID(uuidString: text) == nil: return ["\(path): “\(text)” is not a UUID"]
            case "date" where text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil: return ["\(path): “\(text)” is not a date"]
            case "date-time" where text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/) == nil:
                return ["\(path): “\(text)” is not a date-time"]
            default: return []
            }
        case "integer":
            guard let number = value.number, number == number.rounded() else { return ["\(path): expected an integer, got \(value)"] }
            return []
        case "number":
            return value.number == nil ? ["\(path): expected a number, got \(value)"] : []
        case "boolean":
            return value.bool == nil ? ["\(path): expected a boolean, got \(value)"] : []
        default:
            return []
        }
    }
}

/// A response from the API, already held to the OpenAPI document.
struct ApiResponse {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let text: String
    var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
    var reason: String { json["reason"]?.string ?? "" }
}

/// An API client for one token. Every response it gets is checked against
/// the OpenAPI document: a status or body the document does not describe
/// fails the test that made the request.
struct ApiClient {
    let app: Application
    let spec: OpenAPIDocument
    let token: String?

    /// A client with a fresh token for a demo user.
    static func make(_ app: Application, as username: String, spec: OpenAPIDocument) async throws -> ApiClient {
        let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
        let issued = try await ApiTokens.issue(for: user, label: "Kiểm thử", on: app.db)
        return ApiClient(app: app, spec: spec, token: issued.token)
    }

    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, body: ByteBuffer? = nil,
        contentType: HTTPMediaType? = .json, headers extra: HTTPHeaders = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ApiResponse {
        var captured: ApiResponse?
        let token = self.token
        try await app.testing().test(
            method, path,
            beforeRequest: { request in
                if let token { request.headers.bearerAuthorization = .init(token: token) }
                for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
                if let json { request.body = ByteBuffer(string: json) }
                if let body { request.body = body }
                if json != nil || body != nil, let contentType { request.headers.contentType = contentType }
            },
            afterResponse: { response in
                captured = ApiResponse(status: response.status, headers: response.headers, text: response.body.string)
            })
        let response = try #require(captured, sourceLocation: sourceLocation)
        let problems = spec.problems(
            method: method, url: path, status: response.status.code,
            contentType: response.headers.first(name: .contentType), body: response.text)
        #expect(problems.isEmpty, "OpenAPI: \(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return response
    }

    func get(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ApiResponse {
        try await send(.GET, path, sourceLocation: sourceLocation)
    }

    func put(_ path: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ApiResponse {
        try await send(.PUT, path, json: json, sourceLocation: sourceLocation)
    }

    func post(_ path: String, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ApiResponse {
        try await send(.POST, path, json: json, sourceLocation: sourceLocation)
    }
}

/// JSON text for a request body.
func jsonText(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
