import Foundation

@testable import ReportingCore

/// A small form and tree with hostile names (<, &, quotes, control characters),
/// shared by the exchange tests.
enum ExchangeFixture {
    static let province = "000.00.00.H05", commune1 = "000.01.31.H05", commune2 = "000.01.32.H05"
    /// 2024-04-01T08:30:00Z.
    static let exported = Date(timeIntervalSince1970: 1_711_960_200)
    static let hostileComment = "Số liệu <tạm> & \"chưa\" chốt\u{0}"

    static func form() throws -> CompiledForm {
        try CompiledForm(
            Form(
                id: "egov-test", title: "Biểu <mẫu> & \"thử\"", levels: [.province, .commune],
                indicators: [
                    Indicator(code: "1", name: "Thủ tục hành chính", unit: .heading),
                    Indicator(code: "1.1", name: "Số TTHC <toàn trình> & 'một phần'", unit: .count, unitWord: "Thủ tục"),
                    Indicator(code: "1.2", name: "Hồ sơ\u{1} \"trực tuyến\"\u{1F}", unit: .count, unitWord: "Hồ sơ"),
                    Indicator(code: "1.3", name: "Tỷ lệ hồ sơ trực tuyến", unit: .percent, formula: "[1.2] / [1.1] * 100"),
                    Indicator(code: "2", name: "Kinh phí", unit: .money),
                    Indicator(code: "3", name: "Ghi chú", unit: .text)
                ]))
    }

    static func tree() throws -> UnitTree {
        try UnitTree(units: [
            ReportingUnit(code: province, name: "UBND tỉnh <Bắc Giang> & \"TTTT\"", kind: .province),
            ReportingUnit(code: commune1, name: "Xã Thái Sơn", kind: .commune, parentCode: province),
            ReportingUnit(code: commune2, name: "Xã 'Hòa'\u{7}", kind: .commune, parentCode: province)
        ])
    }

    static func number(_ text: String) -> ExactNumber { ExactNumber(machine: text) ?? .zero }

    /// Commune 1's report for Q1 2024.
    static func reportSet(period: Period = .quarter(1, 2024)) throws -> DataValueSet {
        DataValueSet.report(
            form: try form(), unitCode: commune1, period: period,
            numbers: [
                "1.1": number("10"), "1.2": number("4"), "1.3": number("40"), "2": number("1.5"),
                "9.9": number("7")
            ],
            comments: ["1.2": hostileComment, "1.1": "  "])
    }

    /// The province's consolidated figures from both communes.
    static func consolidatedSet() throws -> DataValueSet {
        let form = try form(), tree = try tree()
        let consolidator = Consolidator(form: form, tree: tree)
        var reports = [[Double?]?](repeating: nil, count: tree.units.count)
        reports[1] = consolidator.slots(["1.1": 10, "1.2": 4, "1.3": 40, "2": 1.5])
        reports[2] = consolidator.slots(["1.1": 20, "1.2": 8, "1.3": 40, "2": 2.25])
        let figures = consolidator.consolidateAll(reports: reports) { _ in true }
        return DataValueSet.consolidated(form: form, tree: tree, period: .quarter(1, 2024), figures: figures)
    }
}
