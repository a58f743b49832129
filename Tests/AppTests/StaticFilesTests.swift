import Testing
import VaporTesting

@testable import App

/// The app serves its own assets (closed government networks: no CDN), and
/// only from the public folders.
@Suite("Static files")
struct StaticFilesTests {
    @Test func assetsAreServedFromThePublicFoldersOnly() async throws {
        try await withDemoApp { app in
            try await app.testing().test(.GET, "/css/app.css") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType?.subType == "css")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            try await app.testing().test(.GET, "/js/report.js") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("function"))
            }
            try await app.testing().test(.GET, "/css/khong-co.css") { response in
                #expect(response.status == .notFound)
            }
            // A page path never looks for a file of its name.
            try await app.testing().test(.GET, "/app.css") { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
