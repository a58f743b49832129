/// Charts with their numbers: each SVG is followed by a table of the same
/// data, so the page reads without the picture (screen readers, copying).
struct DashboardPage: Encodable {
    struct Chart: Encodable {
        let id: String
        let heading: String
        /// The inline SVG, built by `SVGChart` with every text escaped.
        let svg: String?
        let note: String?
        let headers: [String]
        let rows: [[String]]
        let link: String?
        let linkLabel: String?
    }

    let layout: LayoutContext
    let formTitle: String
    let unitName: String
    let period: String
    let code: String
    let indicatorName: String
    let forms: [SelectOption]
    let periods: [SelectOption]
    let units: [SelectOption]
    let codes: [SelectOption]
    let plans: [SelectOption]
    let charts: [Chart]
    let consolidatedURL: String
}
