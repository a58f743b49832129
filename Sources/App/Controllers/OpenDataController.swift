import Fluent
import ReportingCore
import Vapor

/// Public open data, no login: the datasets an administrator has published,
/// as HTML, CSV and JSON at stable addresses (/open-data/SLUG, SLUG.csv,
/// SLUG.json). Only published datasets exist here, and only accepted reports
/// count (see `OpenData`).
struct OpenDataController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let openData = routes.grouped("open-data")
        openData.get(use: list)
        // One route for the three formats: a path component "SLUG.csv" is a single parameter.
        openData.get(":slug", use: dataset)
    }

    struct ListPage: Encodable {
        struct Item: Encodable {
            let slug: String
            let title: String
            let period: String
            let unit: String
            let publishedOn: String
            let acceptedReports: Int
            let chart: OpenData.MiniChart
        }
        let title: String
        let items: [Item]
    }

    func list(req: Request) async throws -> View {
        let service = OpenData(database: req.db, library: req.library, tree: try await req.unitTree(), cache: req.consolidationCache)
        var items: [ListPage.Item] = []
        for dataset in try await PublishedDataset.query(on: req.db).sort(\.$publishedAt, .descending).all() {
            guard let figures = try? await service.figures(formID: dataset.formID, periodKey: dataset.periodKey, unitCode: dataset.unitCode)
            else { continue }
            items.append(
                ListPage.Item(
                    slug: dataset.slug, title: figures.title,
                    period: Period(key: dataset.periodKey)?.label ?? dataset.periodKey,
                    unit: figures.unitName, publishedOn: VietnameseTime.format(dataset.publishedAt),
                    acceptedReports: figures.acceptedReports,
                    chart: OpenData.miniChart(figures.rows, form: figures.form)))
        }
        return try await req.view.render("open-data", ListPage(title: "Dữ liệu mở", items: items))
    }

    struct DatasetPage: Encodable {
        let title: String
        let formTitle: String
        let slug: String
        let period: String
        let unit: String
        let unitCode: String
        let publishedOn: String
        let lastAccepted: String?
        let acceptedReports: Int
        let rows: [OpenData.Row]
        let chart: OpenData.Chart
    }

    /// The dataset as JSON: field names in English, text in Vietnamese.
    struct DatasetJSON: Encodable {
        struct Reference: Encodable {
            let id: String
            let name: String
        }
        struct Indicator: Encodable {
            let code: String
            let label: String
            let name: String
            let unit: String
            let value: Double?
            let display: String
            let source: String
            let method: String
        }
        let slug: String
        let form: Reference
        let period: Reference
        let unit: Reference
        let basis: String
        let publishedAt: Date
        let lastAcceptedAt: Date?
        let acceptedReports: Int
        let indicators: [Indicator]
        let links: [String: String]
    }

    func dataset(req: Request) async throws -> Response {
        let requested = req.parameters.get("slug") ?? ""
        var slug = requested
        var format = "html"
        for suffix in ["csv", "json"] where requested.hasSuffix("." + suffix) {
            slug = String(requested.dropLast(suffix.count + 1))
            format = suffix
        }
        guard let dataset = try await PublishedDataset.query(on: req.db).filter(\.$slug == slug).first() else {
            throw Abort(.notFound, reason: "Không có bộ dữ liệu mở “\(slug)”: bộ dữ liệu chưa được công bố hoặc đã bị thu hồi.")
        }
        let service = OpenData(database: req.db, library: req.library, tree: try await req.unitTree(), cache: req.consolidationCache)
        let figures = try await service.figures(formID: dataset.formID, periodKey: dataset.periodKey, unitCode: dataset.unitCode)
        let periodLabel = Period(key: dataset.periodKey)?.label ?? dataset.periodKey
        switch format {
        case "csv":
            let response = Response(status: .ok, body: .init(string: OpenData.csv(figures.rows)))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(slug).csv\"")
            return response
        case "json":
            let body = DatasetJSON(
                slug: slug, form: .init(id: dataset.formID, name: figures.form.form.title),
                period: .init(id: dataset.periodKey, name: periodLabel),
                unit: .init(id: dataset.unitCode, name: figures.unitName), basis: "accepted",
                publishedAt: dataset.publishedAt, lastAcceptedAt: figures.lastAcceptedAt, acceptedReports: figures.acceptedReports,
                indicators: figures.rows.filter { !$0.isHeading }.map {
                    .init(
                        code: $0.code, label: $0.label, name: $0.name, unit: $0.unit,
                        value: $0.value.flatMap {
                            (ExactNumber(rounding: $0, scale: 4) ?? ExactNumber(rounding: $0, scale: 0))?.normalized.doubleValue
                        },
                        display: $0.display, source: $0.source, method: $0.method)
                },
                links: ["html": "/open-data/\(slug)", "csv": "/open-data/\(slug).csv", "json": "/open-data/\(slug).json"])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let response = Response(status: .ok, body: .init(data: try encoder.encode(body)))
            response.headers.contentType = .json
            return response
        default:
            return try await req.view.render(
                "open-data-dataset",
                DatasetPage(
                    title: "\(figures.title) — \(periodLabel) — \(figures.unitName)", formTitle: figures.form.form.title,
                    slug: slug, period: periodLabel, unit: figures.unitName, unitCode: dataset.unitCode,
                    publishedOn: VietnameseTime.format(dataset.publishedAt),
                    lastAccepted: figures.lastAcceptedAt.map(VietnameseTime.format), acceptedReports: figures.acceptedReports,
                    rows: figures.rows, chart: OpenData.chart(figures.rows, form: figures.form))
            ).encodeResponse(for: req)
        }
    }
}
