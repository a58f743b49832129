// swift-tools-version:6.0
// libFuzzer targets for every reader of user input. A separate package so the
// product build never sees `-sanitize=fuzzer`; run them with Scripts/fuzz.sh.
// Each folder `Sources/Fuzz<Name>` is one target; it depends only on
// ReportingCore and OfficeFormats so it builds in minutes. Two helpers are
// targets of their own: the libFuzzer entry shim and StoredPackage (a ZIP with
// correct checksums, so the office targets' bytes reach the XML readers).
import Foundation
import PackageDescription

let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Sources")
let names = ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? [])
    .filter { $0.hasPrefix("Fuzz") }
    .sorted()

let package = Package(
    name: "BaoCaoFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "BaoCao", path: "..")],
    targets: names.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "LibFuzzerMain",
                "StoredPackage",
                .product(name: "ReportingCore", package: "BaoCao"),
                .product(name: "OfficeFormats", package: "BaoCao"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])],
            // SwiftPM links an executable with `main=<Target>_main`; a target only
            // defines LLVMFuzzerTestOneInput, so that name is pointed at the shim
            // that starts libFuzzer's driver. lld resolves the chained symbol; gold does not.
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "--defsym=\(name)_main=baocao_fuzz_main", "-Xlinker", "--defsym=main=baocao_fuzz_main"])]
        )
    } + [.target(name: "LibFuzzerMain"), .target(name: "StoredPackage")],
    swiftLanguageModes: [.v6]
)
