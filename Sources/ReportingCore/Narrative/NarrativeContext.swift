/// What the checker may know besides the text; every part is optional, and
/// plain text alone is checked for sums, ratios and duplicate document dates.
public struct NarrativeContext: Sendable {
    /// The report's period: documents dated after its cut-off window are flagged.
    public var period: Period?
    /// The report's form and its values by code: prose figures for its rows are compared with the cells.
    public var form: CompiledForm?
    public var values: [String: ExactNumber]
    /// The plan the report answers (e.g. Kế hoạch 48), the unit's level for its thresholds,
    /// and the results reported per target code ("34,6%", "Sở Tư pháp đang thống kê").
    public var plan: TargetPlan?
    public var unitKind: UnitKind?
    public var targetResults: [String: String]
    /// The register of documents issued (Phụ lục I), to compare with the prose's count.
    /// Nil: read from the text's own Phụ lục I when it has one.
    public var documents: [NarrativeDocument]?
    /// Findings marked "đã kiểm tra": finding id → the officer's note.
    public var acknowledgements: [String: String]

    public init(
        period: Period? = nil, form: CompiledForm? = nil, values: [String: ExactNumber] = [:], plan: TargetPlan? = nil,
        unitKind: UnitKind? = nil, targetResults: [String: String] = [:], documents: [NarrativeDocument]? = nil,
        acknowledgements: [String: String] = [:]
    ) {
        self.period = period
        self.form = form
        self.values = values
        self.plan = plan
        self.unitKind = unitKind
        self.targetResults = targetResults
        self.documents = documents
        self.acknowledgements = acknowledgements
    }

    public static let none = NarrativeContext()
}
