// swift-tools-version:6.0
// libFuzzer targets for every reader of user input. A separate package so the
// product build never sees `-sanitize=fuzzer`; run them with Scripts/fuzz.sh.
// Each folder `Sources/Fuzz<Name>` is one target; it depends only on
// ReportingCore and OfficeFormats so it builds in minutes.
import Foundation
import PackageDescription

let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Sources")
let names = ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? [])
    .filter { $0.hasPrefix("Fuzz") }
    .sorted()

let package = Package(
    name: "BaoCaoFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "BaoCao", path: "..")],
    targets: names.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "ReportingCore", package: "BaoCao"),
                .product(name: "OfficeFormats", package: "BaoCao"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    },
    swiftLanguageModes: [.v6]
)
