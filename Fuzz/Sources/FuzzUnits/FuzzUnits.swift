import Foundation
import ReportingCore

/// Reads the input as a unit file (CSV, or the vietnam-provinces JSON when it
/// starts with "["), then builds the tree as an import does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let units: [ReportingUnit]?
    if bytes.first == UInt8(ascii: "[") {
        units = try? UnitFile.parseProvincesJSON(bytes, root: ReportingUnit(code: "VN", name: "Việt Nam", kind: .other))
    } else {
        units = try? UnitFile.parseCSV(String(decoding: bytes, as: UTF8.self))
    }
    if let units { _ = try? UnitTree(units: units) }
    return 0
}
