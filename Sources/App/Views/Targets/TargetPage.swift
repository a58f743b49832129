/// A plan's targets in the layout of Phụ lục II "Kết quả thực hiện các chỉ
/// tiêu": STT, Chỉ tiêu, Chủ trì theo dõi, đánh giá, Kết quả, by group I–IV.
struct TargetPage: Encodable {
    struct Row: Encodable {
        let stt: String
        let code: String
        let name: String
        let responsible: String
        let result: String
        let status: String
        let statusKey: String
        let explanation: String
        let onStrictBoundary: Bool
        /// Where a result computed from a form row comes from.
        let source: String?
        let lagging: String?
    }

    struct Group: Encodable {
        let code: String
        let name: String
        let rows: [Row]
    }

    /// "Tỷ lệ … dưới 60% gồm các đơn vị: …", as the province's prose writes it.
    struct Lagging: Encodable {
        let code: String
        let name: String
        let threshold: String
        let sentence: String
    }

    let layout: LayoutContext
    let planID: String
    let planTitle: String
    let isStoredPlan: Bool
    let periodKey: String
    let period: String
    let unitCode: String
    let unitName: String
    let plans: [SelectOption]
    let periods: [SelectOption]
    let units: [SelectOption]
    let groups: [Group]
    let summary: String
    let lagging: [Lagging]
    let message: String?
    let error: String?
    let isAdmin: Bool
    let targetOptions: [SelectOption]
    let entryUnits: [SelectOption]
    let dashboardURL: String
}
