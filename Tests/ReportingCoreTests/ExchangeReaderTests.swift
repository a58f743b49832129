import Foundation
import Testing

@testable import ReportingCore

@Suite("Exchange reader")
struct ExchangeReaderTests {
    func reader(period: Period = .quarter(1, 2024)) throws -> DataValueSetReader {
        DataValueSetReader(form: try ExchangeFixture.form(), orgUnit: ExchangeFixture.commune1, period: period)
    }

    func read(_ json: String) throws -> ImportedDataValues { try reader().read(Data(json.utf8)) }

    /// The error a payload gets; nil when it is read.
    func error(_ json: String) throws -> DataValueSetImportError? {
        let reader = try reader()
        do { _ = try reader.read(Data(json.utf8)); return nil } catch { return error }
    }

    @Test func roundTripFromTheWriter() throws {
        let set = try ExchangeFixture.reportSet()
        let imported = try read(try DHIS2JSONWriter.write(set))
        #expect(
            imported.numbers == [
                "1.1": ExactNumber(10), "1.2": ExactNumber(4), "1.3": ExactNumber(40),
                "2": ExchangeFixture.number("1.5")
            ])
        #expect(imported.comments == ["1.2": ExchangeFixture.hostileComment])
        #expect(imported.entries == ["1.1": "10", "1.2": "4", "1.3": "40", "2": "1,5"])
        // Back out again: the same file.
        let again = DataValueSet.report(
            form: try ExchangeFixture.form(), unitCode: ExchangeFixture.commune1,
            period: .quarter(1, 2024), numbers: imported.numbers, comments: imported.comments)
        #expect(again == set)
    }

    @Test func readsWhatDHIS2Writes() throws {
        let imported = try read(
            """
            {"dataSet": "egov-test", "completeDate": "2024-03-20", "dataValues": [
              {"dataElement": "1.1", "period": "2024Q1", "orgUnit": "000.01.31.H05", "categoryOptionCombo": "HllvX50cXC0",
               "value": "1609226", "storedBy": "admin", "followup": false},
              {"dataElement": "1.2", "period": "2024-Q1", "orgUnit": "000.01.31.H05", "value": 12.50},
              {"dataElement": "2", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": "-0.000001", "comment": "tạm tính"},
              {"dataElement": "1.3", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": ""},
              {"dataElement": "3", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": "  Đã triển khai  "}
            ]}
            """)
        #expect(
            imported.numbers == [
                "1.1": ExactNumber(1_609_226), "1.2": ExchangeFixture.number("12.5"),
                "2": ExchangeFixture.number("-0.000001")
            ])
        #expect(imported.texts == ["3": "Đã triển khai"])
        #expect(imported.comments == ["2": "tạm tính"])
        #expect(imported.entries["1.1"] == "1.609.226")
        #expect(imported.entries["1.2"] == "12,5")
        // The entries go through the normal validation like typed cells.
        let validation = Validator(form: try ExchangeFixture.form()).validate(entries: imported.entries)
        #expect(validation.values["1.1"] == .number(ExactNumber(1_609_226)))
    }

    @Test func topLevelPeriodAndUnitApplyToEveryValue() throws {
        let imported = try read(#"{"period": "2024Q1", "orgUnit": "000.01.31.H05", "dataValues": [{"dataElement": "1.1", "value": "3"}]}"#)
        #expect(imported.numbers == ["1.1": ExactNumber(3)])
    }

    @Test func nineMonthReportsTakeBaoCaosKey() throws {
        let nine = try reader(period: .nineMonths(2024))
        let json = #"{"period": "2024-9M", "orgUnit": "000.01.31.H05", "dataValues": [{"dataElement": "1.1", "value": "3"}]}"#
        #expect(try nine.read(Data(json.utf8)).numbers == ["1.1": ExactNumber(3)])
    }

    @Test func eachErrorNamesTheElementAndValue() throws {
        let unit = #""orgUnit": "000.01.31.H05""#, period = #""period": "2024Q1""#
        let cases: [(String, DataValueSetImportError, [String])] = [
            ("{", .notJSON, ["JSON"]),
            ("[1, 2]", .notDataValueSet("nội dung phải là một đối tượng JSON {…}."), ["đối tượng"]),
            ("{}", .notDataValueSet("thiếu danh sách “dataValues”."), ["dataValues"]),
            (
                #"{"dataValues": {"a": 1}}"#,
                .notDataValueSet("trường “dataValues” sai kiểu (dataValues phải là danh sách các đối tượng {…})."),
                ["dataValues"]
            ),
            (
                #"{"dataValues": [1]}"#,
                .notDataValueSet("trường “dataValues[1]” sai kiểu (dataValues phải là danh sách các đối tượng {…})."),
                ["dataValues[1]"]
            ),
            (
                #"{"dataSet": "cchc-bm1", "dataValues": []}"#, .wrongDataSet(found: "cchc-bm1", expected: "egov-test"),
                ["cchc-bm1", "egov-test"]
            ),
            (#"{"dataValues": [{"value": "1"}]}"#, .missingField(position: 1, field: "dataElement"), ["dataElement"]),
            (#"{"dataValues": [{"dataElement": "1.1"}]}"#, .missingField(position: 1, field: "value"), ["value"]),
            (#"{"dataValues": [{"dataElement": "1.1", "value": "1"}]}"#, .missingField(position: 1, field: "orgUnit"), ["orgUnit"]),
            (#"{\#(unit), "dataValues": [{"dataElement": "1.1", "value": "1"}]}"#, .missingField(position: 1, field: "period"), ["period"]),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "9.9", "value": "17"}]}"#,
                .unknownDataElement(code: "9.9", value: "17"), ["9.9", "17"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1", "value": "17"}]}"#,
                .headingDataElement(code: "1", value: "17"), ["1", "17", "tiêu đề"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1"}, {"dataElement": "1.1", "value": "2"}]}"#,
                .duplicateDataElement(code: "1.1"), ["1.1"]
            ),
            (
                #"{"orgUnit": "000.01.32.H05", \#(period), "dataValues": [{"dataElement": "1.1", "value": "5"}]}"#,
                .wrongOrgUnit(code: "1.1", found: "000.01.32.H05", expected: "000.01.31.H05"), ["1.1", "000.01.32.H05", "000.01.31.H05"]
            ),
            (
                #"{\#(unit), "period": "2024Q2", "dataValues": [{"dataElement": "1.1", "value": "5"}]}"#,
                .wrongPeriod(code: "1.1", found: "2024Q2", expected: "2024Q1"), ["1.1", "2024Q2", "2024Q1"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1.609.226"}]}"#,
                .notANumber(code: "1.1", value: "1.609.226"), ["1.1", "1.609.226", "97.45"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "97,45"}]}"#,
                .notANumber(code: "1.1", value: "97,45"), ["97,45"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": true}]}"#,
                .notANumber(code: "1.1", value: "true"), ["true"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1e5"}]}"#,
                .notANumber(code: "1.1", value: "1e5"), ["1e5"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1000000000000"}]}"#,
                .outOfRange(code: "1.1", value: "1000000000000"), ["1.1", "1000000000000", "999.999.999.999"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1.1234567"}]}"#,
                .outOfRange(code: "1.1", value: "1.1234567"), ["1.1234567"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": 1e300}]}"#,
                .notANumber(code: "1.1", value: "(không phải giá trị đơn)"), ["1.1"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1", "comment": 5}]}"#,
                .notDataValueSet("“comment” của chỉ tiêu 1.1 phải là chuỗi."), ["comment", "1.1"]
            ),
            (
                #"{\#(unit), \#(period), "dataValues": [{"dataElement": "1.1", "value": "1", "comment": "\#(String(repeating: "x", count: 1_001))"}]}"#,
                .textTooLong(code: "1.1", field: "comment"), ["1.1", "1.000"]
            )
        ]
        for (json, expected, words) in cases {
            let found = try error(json)
            #expect(found == expected, "\(json.prefix(80))")
            let message = expected.description
            for word in words { #expect(message.contains(word), "\(message) should name \(word)") }
        }
    }

    @Test func refusesOversizedInput() throws {
        let big = Data(repeating: UInt8(ascii: " "), count: DataValueSetReader.maxBytes + 1)
        #expect(throws: DataValueSetImportError.tooLarge(bytes: DataValueSetReader.maxBytes + 1)) { try reader().read(big) }
        let entry = #"{"dataElement":"1.1","value":"1"}"#
        let many = #"{"dataValues":["# + Array(repeating: entry, count: DataValueSetReader.maxValues + 1).joined(separator: ",") + "]}"
        #expect(try error(many) == .tooManyValues(count: DataValueSetReader.maxValues + 1))
        #expect(DataValueSetImportError.tooManyValues(count: 10_001).description.contains("10.001"))
        #expect(DataValueSetImportError.tooLarge(bytes: 3_000_000).description.contains("KB"))
    }

    @Test func deepNestingIsRefusedNotFollowed() throws {
        for depth in [1_000, 100_000] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let nested = #"{"dataValues": [{"dataElement": "1.1", "value": "# + arrays + "}]}"
            #expect(try error(arrays) != nil)
            #expect(try error(nested) != nil)
        }
    }

    @Test func hostileTextsInMessagesAreShortAndPrintable() throws {
        let long = String(repeating: "<b>", count: 100) + "\u{0}\u{1B}"
        let message = DataValueSetImportError.unknownDataElement(code: long, value: "1\u{0}").description
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(message.count < 300)
    }
}
