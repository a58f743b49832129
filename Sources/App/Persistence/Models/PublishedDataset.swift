import Fluent
import Vapor

/// A period's accepted consolidated figures made public by an administrator.
final class PublishedDataset: Model, @unchecked Sendable {
    static let schema = "published_datasets"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "form_id") var formID: String
    @Field(key: "period_key") var periodKey: String
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "published_at") var publishedAt: Date

    init() {}

    init(slug: String, formID: String, periodKey: String, unitCode: String, publishedAt: Date) {
        self.slug = slug
        self.formID = formID
        self.periodKey = periodKey
        self.unitCode = unitCode
        self.publishedAt = publishedAt
    }
}
