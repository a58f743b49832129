import Fluent
import Vapor

/// A target's reported result for a unit and period, as the responsible
/// agency states it ("34,6%", "Sở Tư pháp đang thống kê"), for targets that
/// no form row measures.
final class TargetResult: Model, @unchecked Sendable {
    static let schema = "target_results"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: String
    @Field(key: "target_code") var targetCode: String
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "period_key") var periodKey: String
    @Field(key: "value") var value: String

    init() {}

    init(planID: String, targetCode: String, unitCode: String, periodKey: String, value: String) {
        self.planID = planID
        self.targetCode = targetCode
        self.unitCode = unitCode
        self.periodKey = periodKey
        self.value = value
    }
}
