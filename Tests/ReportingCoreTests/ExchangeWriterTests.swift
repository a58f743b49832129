import Foundation
import Testing

@testable import ReportingCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Exchange writers")
struct ExchangeWriterTests {
    @Test func periodsInEachFormat() {
        let cases: [(Period, String?, String, String)] = [
            (.month(3, 2024), "202403", "2024-03-01/P1M", "2024-03"),
            (.month(11, 2024), "202411", "2024-11-01/P1M", "2024-11"),
            (.quarter(1, 2024), "2024Q1", "2024-01-01/P3M", "2024-Q1"),
            (.quarter(4, 2024), "2024Q4", "2024-10-01/P3M", "2024-Q4"),
            (.firstHalf(2024), "2024S1", "2024-01-01/P6M", "2024-S1"),
            (.nineMonths(2024), nil, "2024-01-01/P9M", "2024-01-01/P9M"),
            (.year(2024), "2024", "2024-01-01/P1Y", "2024")
        ]
        for (period, dhis2, adx, sdmx) in cases {
            #expect(period.dhis2 == dhis2, "\(period)")
            #expect(period.adx == adx, "\(period)")
            #expect(period.sdmx == sdmx, "\(period)")
            if let dhis2 { #expect(Period(dhis2: dhis2) == period) }
        }
        for wrong in ["2024Q5", "2024Q0", "2024S2", "20241", "202413", "202400", "abcd", "", "2024-Q1", "１２３４", "2024W1"] {
            #expect(Period(dhis2: wrong) == nil, "\(wrong)")
        }
    }

    @Test func dhis2JSONOfAReport() throws {
        let json = try DHIS2JSONWriter.write(try ExchangeFixture.reportSet())
        #expect(
            json == #"""
                {
                  "dataSet": "egov-test",
                  "period": "2024Q1",
                  "orgUnit": "000.01.31.H05",
                  "dataValues": [
                    {"dataElement": "1.1", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": "10"},
                    {"dataElement": "1.2", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": "4", "comment": "Số liệu <tạm> & \"chưa\" chốt\u0000"},
                    {"dataElement": "1.3", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": "40"},
                    {"dataElement": "2", "period": "2024Q1", "orgUnit": "000.01.31.H05", "value": "1.5"}
                  ]
                }

                """#)
    }

    @Test func dhis2RefusesNineMonthsInVietnamese() throws {
        #expect(throws: ExchangeError.noDHIS2Period(.nineMonths(2024))) {
            try DHIS2JSONWriter.write(try ExchangeFixture.reportSet(period: .nineMonths(2024)))
        }
        let message = ExchangeError.noDHIS2Period(.nineMonths(2024)).description
        #expect(message.contains("9 tháng đầu năm 2024") && message.contains("2024-01-01/P9M") && message.contains("ADX"))
    }

    @Test func dhis2JSONOfATreeNamesEachUnit() throws {
        let json = try DHIS2JSONWriter.write(try ExchangeFixture.consolidatedSet())
        #expect(
            json == #"""
                {
                  "dataSet": "egov-test",
                  "period": "2024Q1",
                  "orgUnit": "000.00.00.H05",
                  "dataValues": [
                    {"dataElement": "1.1", "period": "2024Q1", "orgUnit": "000.00.00.H05", "value": "30"},
                    {"dataElement": "1.2", "period": "2024Q1", "orgUnit": "000.00.00.H05", "value": "12"},
                    {"dataElement": "1.3", "period": "2024Q1", "orgUnit": "000.00.00.H05", "value": "40"},
                    {"dataElement": "2", "period": "2024Q1", "orgUnit": "000.00.00.H05", "value": "3.75"}
                  ]
                }

                """#)
        let twoUnits = DataValueSet(
            dataSet: "f",
            values: [
                DataValue(dataElement: "1", period: .year(2024), orgUnit: "A", value: ExactNumber(1)),
                DataValue(dataElement: "1", period: .year(2024), orgUnit: "B", value: ExactNumber(-2))
            ])
        #expect(
            try DHIS2JSONWriter.write(twoUnits) == """
                {
                  "dataSet": "f",
                  "period": "2024",
                  "dataValues": [
                    {"dataElement": "1", "period": "2024", "orgUnit": "A", "value": "1"},
                    {"dataElement": "1", "period": "2024", "orgUnit": "B", "value": "-2"}
                  ]
                }

                """)
    }

    @Test func adxOfAReport() throws {
        let xml = ADXWriter.write(try ExchangeFixture.reportSet(), exported: ExchangeFixture.exported)
        #expect(
            xml == """
                <?xml version="1.0" encoding="UTF-8"?>
                <adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-04-01T08:30:00Z">
                  <group dataSet="egov-test" orgUnit="000.01.31.H05" period="2024-01-01/P3M">
                    <dataValue dataElement="1.1" value="10"/>
                    <dataValue dataElement="1.2" value="4"><annotation>Số liệu &lt;tạm&gt; &amp; "chưa" chốt\u{FFFD}</annotation></dataValue>
                    <dataValue dataElement="1.3" value="40"/>
                    <dataValue dataElement="2" value="1.5"/>
                  </group>
                </adx>

                """)
    }

    @Test func timestampsInUTC() {
        let cases: [(Double, String)] = [
            (0, "1970-01-01T00:00:00Z"), (1_711_960_200, "2024-04-01T08:30:00Z"), (1_709_164_799, "2024-02-28T23:59:59Z"),
            (1_709_251_200, "2024-03-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"), (1e300, "9999-12-31T23:59:59Z"), (.nan, "1970-01-01T00:00:00Z")
        ]
        for (seconds, text) in cases { #expect(ADXWriter.timestamp(Date(timeIntervalSince1970: seconds)) == text) }
        let formatter = ISO8601DateFormatter()
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000, by: 86_400 * 37 + 3_671) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(ADXWriter.timestamp(date) == formatter.string(from: date))
        }
    }

    @Test func adxGroupsByUnitAndPeriod() {
        let set = DataValueSet(
            dataSet: "f\"<&",
            values: [
                DataValue(dataElement: "a", period: .quarter(1, 2024), orgUnit: "A", value: ExactNumber(1)),
                DataValue(dataElement: "b", period: .quarter(1, 2024), orgUnit: "A", value: ExactNumber(2)),
                DataValue(dataElement: "a", period: .quarter(2, 2024), orgUnit: "A", value: ExactNumber(3)),
                DataValue(dataElement: "a", period: .quarter(2, 2024), orgUnit: "B&", value: ExactNumber(4))
            ])
        let xml = ADXWriter.write(set, exported: ExchangeFixture.exported)
        #expect(xml.components(separatedBy: "<group ").count - 1 == 3)
        #expect(xml.contains(#"<group dataSet="f&quot;&lt;&amp;" orgUnit="B&amp;" period="2024-04-01/P3M">"#))
    }

    @Test func sdmxCSVOfAReportAndATree() throws {
        let dataflow = SDMXDataflow(formID: "egov-test")
        #expect(dataflow.reference == "VN_BAOCAO:DF_EGOV-TEST(1.0)")
        #expect(
            SDMXCSVWriter.write(try ExchangeFixture.reportSet(), dataflow: dataflow) == """
                STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,1_1,000_01_31_H05,2024-Q1,10\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,1_2,000_01_31_H05,2024-Q1,4\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,1_3,000_01_31_H05,2024-Q1,40\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,2,000_01_31_H05,2024-Q1,1.5\r

                """)
        #expect(
            SDMXCSVWriter.write(try ExchangeFixture.consolidatedSet(), dataflow: dataflow) == """
                STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,1_1,000_00_00_H05,2024-Q1,30\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,1_2,000_00_00_H05,2024-Q1,12\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,1_3,000_00_00_H05,2024-Q1,40\r
                dataflow,VN_BAOCAO:DF_EGOV-TEST(1.0),I,2,000_00_00_H05,2024-Q1,3.75\r

                """)
    }

    @Test func sdmxIdentifiersAreOneToOne() {
        #expect(SDMXIdentifier.encode("6.1.2") == "6_1_2")
        #expect(SDMXIdentifier.encode("000.00.00.H05") == "000_00_00_H05")
        #expect(SDMXIdentifier.encode("a_b$c d") == "a$5Fb$24c$20d")
        #expect(SDMXIdentifier.encode("Xã") == "X$C3$A3")
        for code in ["6.1.2", "a_b", "a.b", "6_1_2", "$5F", "Xã Thái Sơn", "<&\"'>", "-@", ""] {
            let id = SDMXIdentifier.encode(code)
            #expect(
                id.utf8.allSatisfy { byte in
                    (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || "_@$-".utf8.contains(byte)
                }, "\(id)")
            #expect(SDMXIdentifier.decode(id) == code)
        }
        #expect(SDMXIdentifier.encode("a_b") != SDMXIdentifier.encode("a.b"))
        #expect(SDMXIdentifier.decode("a$5") == nil)
        #expect(SDMXIdentifier.decode("a$ZZ") == nil)
    }

    @Test func structureMessageDeclaresCodesAndEscapesNames() throws {
        let form = try ExchangeFixture.form(), tree = try ExchangeFixture.tree()
        let xml = SDMXStructureWriter.write(
            form: form.form, units: tree.units, dataflow: SDMXDataflow(formID: form.id),
            prepared: ExchangeFixture.exported)
        #expect(xml.contains(#"<str:Dataflow id="DF_EGOV-TEST" agencyID="VN_BAOCAO" version="1.0">"#))
        #expect(xml.contains(#"<str:Codelist id="CL_INDICATOR_EGOV-TEST" agencyID="VN_BAOCAO" version="1.0">"#))
        #expect(xml.contains(#"<str:Code id="1_3">"#))
        #expect(xml.contains(#"<str:Parent><Ref id="1"/></str:Parent>"#))
        #expect(xml.contains(#"<str:Parent><Ref id="000_00_00_H05"/></str:Parent>"#))
        #expect(xml.contains(#"<com:Name xml:lang="vi">Số TTHC &lt;toàn trình&gt; &amp; 'một phần'</com:Name>"#))
        #expect(xml.contains(#"<str:TimeDimension id="TIME_PERIOD" position="3">"#))
        #expect(xml.contains(#"<str:PrimaryMeasure id="OBS_VALUE">"#))
        let parsed = try XMLTexts.parse(xml)
        // Every hostile name reads back as written, control characters as U+FFFD.
        #expect(parsed.texts.contains("Hồ sơ\u{FFFD} \"trực tuyến\"\u{FFFD}"))
        #expect(parsed.texts.contains("UBND tỉnh <Bắc Giang> & \"TTTT\""))
        #expect(parsed.texts.contains("Xã 'Hòa'\u{FFFD}"))
        #expect(parsed.texts.contains("Biểu <mẫu> & \"thử\""))
        #expect(parsed.texts.contains("Đơn vị tính: Thủ tục"))
        #expect(parsed.attributes["id"]?.contains("000_01_32_H05") == true)
    }

    @Test func hostileTextsSurviveEveryWriter() throws {
        let nasty = "<x a=\"1\">&amp;' \u{0}\u{8}\u{B}\u{C}\u{1B}\u{7F}\u{2028} \t\r\n]]> -->"
        let set = DataValueSet(
            dataSet: nasty,
            values: [
                DataValue(dataElement: nasty, period: .year(2024), orgUnit: nasty, value: ExactNumber(5), comment: nasty)
            ])
        let json = try DHIS2JSONWriter.write(set)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["dataSet"] as? String == nasty)
        let values = try #require(object["dataValues"] as? [[String: Any]])
        #expect(values.first?["comment"] as? String == nasty)
        #expect(values.first?["dataElement"] as? String == nasty)

        let xml = ADXWriter.write(set, exported: ExchangeFixture.exported)
        let parsed = try XMLTexts.parse(xml)
        let xmlSafe = String(
            String.UnicodeScalarView(
                nasty.unicodeScalars.map {
                    ExchangeText.isXMLCharacter($0) ? $0 : "\u{FFFD}"
                }))
        #expect(parsed.attributes["dataSet"] == [xmlSafe])
        #expect(parsed.attributes["dataElement"] == [xmlSafe])
        #expect(parsed.texts.contains(xmlSafe))
        #expect(
            SDMXCSVWriter.write(set, dataflow: SDMXDataflow(formID: nasty)).split(separator: "\r\n").allSatisfy {
                $0.split(separator: ",", omittingEmptySubsequences: false).count == 7
            })
    }

    @Test func consolidatedFiguresRoundComputedRows() throws {
        let set = try ExchangeFixture.consolidatedSet()
        #expect(set.values.map(\.dataElement) == ["1.1", "1.2", "1.3", "2"])
        #expect(set.values.map(\.value.description) == ["30", "12", "40", "3.75"])
        #expect(DataValueSet.exact(100.0 / 3, decimals: 2)?.description == "33.33")
        #expect(DataValueSet.exact(0.1 + 0.2, decimals: 6)?.description == "0.3")
        #expect(DataValueSet.exact(.nan, decimals: 2) == nil)
        #expect(DataValueSet.exact(.infinity, decimals: 2) == nil)
        #expect(DataValueSet.exact(1e30, decimals: 2) == nil)
        #expect(DataValueSet.exact(5e15, decimals: 6)?.description == "5000000000000000")
    }

    @Test func reportFromValidationUsesEnteredAndComputedRows() throws {
        let form = try ExchangeFixture.form()
        let validation = Validator(form: form).validate(entries: ["1.1": "30", "1.2": "10", "2": "1.609.226,5", "3": "văn bản"])
        let set = DataValueSet.report(form: form, unitCode: "X", period: .year(2024), validation: validation, notes: ["2": "ghi chú"])
        #expect(set.values.map(\.dataElement) == ["1.1", "1.2", "1.3", "2"])
        #expect(set.values.map(\.value.description) == ["30", "10", "33.33", "1609226.5"])
        #expect(set.values.map(\.comment) == [nil, nil, nil, "ghi chú"])
    }
}

/// The attribute values and texts of an XML document, as a real parser reads them.
final class XMLTexts: NSObject, XMLParserDelegate {
    var attributes: [String: [String]] = [:]
    var texts: [String] = []
    var current = ""

    static func parse(_ xml: String) throws -> XMLTexts {
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = XMLTexts()
        parser.delegate = collector
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return collector
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        for (key, value) in attributeDict { attributes[key, default: []].append(value) }
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { texts.append(current) }
        current = ""
    }
}
