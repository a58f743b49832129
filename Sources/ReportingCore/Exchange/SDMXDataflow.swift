/// The SDMX identity of one form's figures: agency, dataflow, data structure and
/// code lists, with the ids every SDMX file BaoCao writes refers to.
public struct SDMXDataflow: Sendable, Hashable {
    /// BaoCao's maintenance agency id in the SDMX files.
    public static let defaultAgency = "VN_BAOCAO"

    public var agency: String
    public var formID: String
    public var version: String

    public init(formID: String, agency: String = SDMXDataflow.defaultAgency, version: String = "1.0") {
        self.formID = formID
        self.agency = agency
        self.version = version
    }

    /// The form id as an SDMX id, in capitals (form ids differ by more than case).
    var formPart: String { SDMXIdentifier.encode(formID).uppercased() }

    public var dataflowID: String { "DF_" + formPart }
    public var structureID: String { "DSD_" + formPart }
    public var indicatorCodelistID: String { "CL_INDICATOR_" + formPart }
    public static let unitCodelistID = "CL_REF_AREA"
    public static let conceptSchemeID = "CS_BAOCAO"

    /// SDMX-CSV's STRUCTURE_ID: `VN_BAOCAO:DF_EGOV-2024(1.0)`.
    public var reference: String { "\(agency):\(dataflowID)(\(version))" }
}
