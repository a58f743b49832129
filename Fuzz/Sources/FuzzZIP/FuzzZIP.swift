import Foundation
import OfficeFormats

/// The ZIP layer alone: every part of the input is located and inflated under
/// tighter limits than production (so bombs are found fast). Any outcome but a
/// thrown `OfficeFormatError` (a trap, a leak, a hang) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Data(bytes: data, count: size)
    let reader = OfficePackageReader(
        limits: OfficeReadLimits(
            maxTotalInflatedBytes: 8 << 20, maxEntryInflatedBytes: 4 << 20,
            maxEntries: 1_000))
    do {
        _ = try reader.parts(input)
    } catch is OfficeFormatError {
    } catch {
        fatalError("not an OfficeFormatError: \(error)")
    }
    return 0
}
