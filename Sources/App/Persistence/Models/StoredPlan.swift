import Fluent
import Vapor

/// A target plan uploaded by an administrator (another year, another plan),
/// kept as the YAML text it was checked from; built-in plans stay in files.
final class StoredPlan: Model, @unchecked Sendable {
    static let schema = "stored_plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: String
    @Field(key: "yaml") var yaml: String

    init() {}

    init(planID: String, yaml: String) {
        self.planID = planID
        self.yaml = yaml
    }
}
