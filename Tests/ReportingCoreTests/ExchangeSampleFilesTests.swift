import Foundation
import Testing

@testable import ReportingCore

/// Writes the exchange files of a real form (egov-2024, seed 000's figures) for
/// the outside clients in Scripts/checks/exchange-clients.sh. The folder is
/// BAOCAO_EXCHANGE_SAMPLES when set, else a temporary one; either way every file
/// is read back here.
@Suite("Exchange sample files")
struct ExchangeSampleFilesTests {
    @Test func writesEveryFormatForAReportAndATree() throws {
        let form = try #require(Fixtures.library.form("egov-2024"))
        let tree = try UnitTree(units: [
            ReportingUnit(code: "000.00.00.H05", name: "UBND tỉnh Bắc Giang <thử> & \"mẫu\"", kind: .province),
            ReportingUnit(code: "000.01.31.H05", name: "Xã Thái Sơn", kind: .commune, parentCode: "000.00.00.H05"),
            ReportingUnit(code: "000.01.32.H05", name: "Xã 'Hòa'\u{7} & <Bình>", kind: .commune, parentCode: "000.00.00.H05")
        ])
        let period = Period.quarter(1, 2024)
        let validation = Validator(form: form).validate(entries: try Fixtures.entries("seed000-egov-2024.csv"))
        let report = DataValueSet.report(
            form: form, unitCode: "000.01.31.H05", period: period, validation: validation,
            notes: ["1": "Ghi chú <có> & \"ký tự\" lạ\u{1}"])
        #expect(report.values.count > 20)

        let consolidator = Consolidator(form: form, tree: tree)
        let numbers = validation.values.compactMapValues { $0.number?.doubleValue }
        let slots = consolidator.slots(numbers)
        let figures = consolidator.consolidateAll(reports: [nil, slots, slots]) { _ in true }
        let consolidated = DataValueSet.consolidated(form: form, tree: tree, period: period, figures: figures)
        #expect(consolidated.values.allSatisfy { $0.orgUnit == "000.00.00.H05" } && !consolidated.values.isEmpty)

        let folder =
            ProcessInfo.processInfo.environment["BAOCAO_EXCHANGE_SAMPLES"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("baocao-exchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dataflow = SDMXDataflow(formID: form.id)
        let date = Date(timeIntervalSince1970: 1_711_960_200)
        var files = ["structure.xml": SDMXStructureWriter.write(form: form.form, units: tree.units, dataflow: dataflow, prepared: date)]
        for (name, set) in [("report", report), ("consolidated", consolidated)] {
            files["\(name).json"] = try DHIS2JSONWriter.write(set)
            files["\(name).adx.xml"] = ADXWriter.write(set, exported: date)
            files["\(name).csv"] = SDMXCSVWriter.write(set, dataflow: dataflow)
        }
        // Nine months: no DHIS2 period, so only ADX and SDMX-CSV.
        let nine = DataValueSet.report(form: form, unitCode: "000.01.32.H05", period: .nineMonths(2024), validation: validation)
        #expect(throws: ExchangeError.noDHIS2Period(.nineMonths(2024))) { try DHIS2JSONWriter.write(nine) }
        files["nine-months.adx.xml"] = ADXWriter.write(nine, exported: date)
        files["nine-months.csv"] = SDMXCSVWriter.write(nine, dataflow: dataflow)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }

        let back = try Data(contentsOf: folder.appendingPathComponent("report.json"))
        let imported = try DataValueSetReader(form: form, orgUnit: "000.01.31.H05", period: period).read(back)
        #expect(imported.numbers.count == report.values.count)
        for value in report.values { #expect(imported.numbers[value.dataElement] == value.value) }
        let csv = try String(contentsOf: folder.appendingPathComponent("consolidated.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\r\n").count == consolidated.values.count + 1)
    }
}
