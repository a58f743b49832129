import Foundation

/// Query strings for links, encoded once here.
enum PageLink {
    static func to(_ path: String, _ items: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = items.compactMap { key, value in
            value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }.joined(separator: "&")
        return query.isEmpty ? path : path + "?" + query
    }
}
