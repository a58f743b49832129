import Foundation

/// An SDMX-ML 2.1 Structure message for one form: the dataflow, the code lists
/// of indicators (Vietnamese names, xml:lang="vi") and units, the concepts, and
/// a data structure with dimensions INDICATOR, REF_AREA, TIME_PERIOD and the
/// measure OBS_VALUE. Every name is escaped by construction; codes are SDMX ids
/// (`SDMXIdentifier`).
public enum SDMXStructureWriter {
    static let messageNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    static let structureNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
    static let commonNS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"

    /// The concepts, in the order of the data structure, with their Vietnamese names.
    static let concepts = [
        ("INDICATOR", "Chỉ tiêu"), ("REF_AREA", "Đơn vị báo cáo"), ("TIME_PERIOD", "Kỳ báo cáo"),
        ("OBS_VALUE", "Giá trị")
    ]

    /// `units` become the REF_AREA code list, with their parents where the parent is listed too.
    public static func write(form: Form, units: [ReportingUnit], dataflow: SDMXDataflow, prepared: Date) -> String {
        let agency = ExchangeText.xmlAttribute(dataflow.agency)
        let version = ExchangeText.xmlAttribute(dataflow.version)
        let maintained = "agencyID=\"\(agency)\" version=\"\(version)\""
        let title = ExchangeText.xmlText(form.title)
        func name(_ text: String, indent: String) -> String {
            "\(indent)<com:Name xml:lang=\"vi\">\(ExchangeText.xmlText(text))</com:Name>\n"
        }
        func ref(_ id: String, package: String, kind: String, parent: String? = nil) -> String {
            let owner =
                parent.map { " maintainableParentID=\"\($0)\" maintainableParentVersion=\"\(version)\"" }
                ?? " version=\"\(version)\""
            return "<Ref id=\"\(id)\"\(owner) agencyID=\"\(agency)\" package=\"\(package)\" class=\"\(kind)\"/>"
        }

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<mes:Structure xmlns:mes=\"\(messageNS)\" xmlns:str=\"\(structureNS)\" xmlns:com=\"\(commonNS)\">\n"
        out += "  <mes:Header>\n    <mes:ID>\(dataflow.structureID)</mes:ID>\n    <mes:Test>false</mes:Test>\n"
        out += "    <mes:Prepared>\(ADXWriter.timestamp(prepared))</mes:Prepared>\n    <mes:Sender id=\"\(agency)\"/>\n  </mes:Header>\n"
        out += "  <mes:Structures>\n"

        out += "    <str:Dataflows>\n      <str:Dataflow id=\"\(dataflow.dataflowID)\" \(maintained)>\n"
        out += name(form.title, indent: "        ")
        out += "        <str:Structure>\(ref(dataflow.structureID, package: "datastructure", kind: "DataStructure"))</str:Structure>\n"
        out += "      </str:Dataflow>\n    </str:Dataflows>\n"

        out += "    <str:Codelists>\n"
        out += "      <str:Codelist id=\"\(dataflow.indicatorCodelistID)\" \(maintained)>\n"
        out += "        <com:Name xml:lang=\"vi\">Chỉ tiêu: \(title)</com:Name>\n"
        let codes = Set(form.indicators.map(\.code))
        for indicator in form.indicators {
            out += "        <str:Code id=\"\(SDMXIdentifier.encode(indicator.code))\">\n"
            out += name(indicator.name, indent: "          ")
            if !indicator.unitLabel.isEmpty {
                let unit = ExchangeText.xmlText(indicator.unitLabel)
                out += "          <com:Description xml:lang=\"vi\">Đơn vị tính: \(unit)</com:Description>\n"
            }
            if let parent = indicator.parentCode, codes.contains(parent) {
                out += "          <str:Parent><Ref id=\"\(SDMXIdentifier.encode(parent))\"/></str:Parent>\n"
            }
            out += "        </str:Code>\n"
        }
        out += "      </str:Codelist>\n"
        out += "      <str:Codelist id=\"\(SDMXDataflow.unitCodelistID)\" \(maintained)>\n"
        out += "        <com:Name xml:lang=\"vi\">Đơn vị báo cáo</com:Name>\n"
        let listed = Set(units.map(\.code))
        for unit in units {
            out += "        <str:Code id=\"\(SDMXIdentifier.encode(unit.code))\">\n"
            out += name(unit.name, indent: "          ")
            if let parent = unit.parentCode, listed.contains(parent) {
                out += "          <str:Parent><Ref id=\"\(SDMXIdentifier.encode(parent))\"/></str:Parent>\n"
            }
            out += "        </str:Code>\n"
        }
        out += "      </str:Codelist>\n    </str:Codelists>\n"

        out += "    <str:Concepts>\n      <str:ConceptScheme id=\"\(SDMXDataflow.conceptSchemeID)\" \(maintained)>\n"
        out += "        <com:Name xml:lang=\"vi\">Khái niệm số liệu báo cáo</com:Name>\n"
        for (id, label) in concepts {
            out += "        <str:Concept id=\"\(id)\">\n" + name(label, indent: "          ") + "        </str:Concept>\n"
        }
        out += "      </str:ConceptScheme>\n    </str:Concepts>\n"

        func identity(_ id: String) -> String {
            let concept = ref(id, package: "conceptscheme", kind: "Concept", parent: SDMXDataflow.conceptSchemeID)
            return "<str:ConceptIdentity>\(concept)</str:ConceptIdentity>"
        }
        func enumeration(_ id: String) -> String {
            let list = ref(id, package: "codelist", kind: "Codelist")
            return "<str:LocalRepresentation><str:Enumeration>\(list)</str:Enumeration></str:LocalRepresentation>"
        }
        out += "    <str:DataStructures>\n      <str:DataStructure id=\"\(dataflow.structureID)\" \(maintained)>\n"
        out += name(form.title, indent: "        ")
        out += "        <str:DataStructureComponents>\n          <str:DimensionList id=\"DimensionDescriptor\">\n"
        out += "            <str:Dimension id=\"INDICATOR\" position=\"1\">\(identity("INDICATOR"))"
        out += "\(enumeration(dataflow.indicatorCodelistID))</str:Dimension>\n"
        out += "            <str:Dimension id=\"REF_AREA\" position=\"2\">\(identity("REF_AREA"))"
        out += "\(enumeration(SDMXDataflow.unitCodelistID))</str:Dimension>\n"
        out += "            <str:TimeDimension id=\"TIME_PERIOD\" position=\"3\">\(identity("TIME_PERIOD"))"
        out += "<str:LocalRepresentation><str:TextFormat textType=\"ObservationalTimePeriod\"/></str:LocalRepresentation>"
        out += "</str:TimeDimension>\n"
        out += "          </str:DimensionList>\n          <str:MeasureList id=\"MeasureDescriptor\">\n"
        out += "            <str:PrimaryMeasure id=\"OBS_VALUE\">\(identity("OBS_VALUE"))"
        out += "<str:LocalRepresentation><str:TextFormat textType=\"Decimal\"/></str:LocalRepresentation></str:PrimaryMeasure>\n"
        out += "          </str:MeasureList>\n        </str:DataStructureComponents>\n"
        out += "      </str:DataStructure>\n    </str:DataStructures>\n"
        out += "  </mes:Structures>\n</mes:Structure>\n"
        return out
    }
}
