import Foundation
import ReportingCore

let form = (try? FormLibrary.builtIn())?.form("egov-2024")
let date = Date(timeIntervalSince1970: 1_711_960_200)

/// Reads the input as a DHIS2 dataValueSets file for a quarterly and a
/// nine-month report, as an import does; what reads goes back out through every
/// writer and must read back the same. The input is also used as every name and
/// code the writers escape.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard let form else { return 0 }
    for period in [Period.quarter(1, 2024), .nineMonths(2024)] {
        let reader = DataValueSetReader(form: form, orgUnit: "000.00.00.H05", period: period)
        do {
            let imported = try reader.read(bytes)
            _ = imported.entries
            let set = DataValueSet.report(
                form: form, unitCode: "000.00.00.H05", period: period,
                numbers: imported.numbers, comments: imported.comments)
            if let json = try? DHIS2JSONWriter.write(set) {
                guard let again = try? reader.read(Data(json.utf8)), again.numbers == imported.numbers else {
                    fatalError("the DHIS2 JSON of what was read does not read back the same")
                }
            }
            _ = ADXWriter.write(set, exported: date)
            _ = SDMXCSVWriter.write(set, dataflow: SDMXDataflow(formID: form.id))
        } catch {
            _ = error.description
        }
    }
    let text = String(decoding: bytes.prefix(4_096), as: UTF8.self)
    guard SDMXIdentifier.decode(SDMXIdentifier.encode(text)) == text else { fatalError("SDMX id does not decode to its code") }
    let set = DataValueSet(
        dataSet: text,
        values: [
            DataValue(dataElement: text, period: .year(2024), orgUnit: text, value: ExactNumber(1), comment: text)
        ])
    _ = try? DHIS2JSONWriter.write(set)
    _ = ADXWriter.write(set, exported: date)
    let unit = ReportingUnit(code: text, name: text, kind: .commune)
    _ = SDMXStructureWriter.write(form: form.form, units: [unit], dataflow: SDMXDataflow(formID: text), prepared: date)
    return 0
}
