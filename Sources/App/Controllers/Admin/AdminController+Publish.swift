import Fluent
import ReportingCore
import Vapor

/// Publishing open data, and withdrawing it.
extension AdminController {
    struct PublishPage: Encodable {
        struct Row: Encodable {
            let id: String
            let slug: String
            let form: String
            let period: String
            let unit: String
            let publishedOn: String
        }
        struct Input: Encodable {
            var formID = ""
            var periodKey = ""
            var unitCode = ""
        }
        let layout: LayoutContext
        let forms: [SelectOption]
        let periods: [SelectOption]
        let units: [SelectOption]
        let datasets: [Row]
        let input: Input
        let errors: [String]
        let message: String?
    }

    struct PublishForm: Content {
        var formID: String?
        var periodKey: String?
        var unitCode: String?
    }

    func publishPage(req: Request) async throws -> Response {
        var message: String?
        if let slug = req.query[String.self, at: "published"],
            try await PublishedDataset.query(on: req.db).filter(\.$slug == slug).first() != nil
        {
            message = "Đã công bố bộ dữ liệu tại /open-data/\(slug)."
        } else if req.query[String.self, at: "withdrawn"] != nil {
            message = "Đã thu hồi bộ dữ liệu: địa chỉ của nó không còn truy cập được."
        }
        let tree = try await req.unitTree()
        var input = PublishPage.Input()
        input.unitCode = tree.roots.first.map { tree.units[$0].code } ?? ""
        return try await renderPublish(req, input: input, errors: [], message: message)
    }

    func renderPublish(_ req: Request, input: PublishPage.Input, errors: [String], message: String?, status: HTTPStatus? = nil) async throws
        -> Response
    {
        let tree = try await req.unitTree()
        let datasets = try await PublishedDataset.query(on: req.db).sort(\.$publishedAt, .descending).all()
        let page = PublishPage(
            layout: try await .make(req, title: "Công bố dữ liệu mở"),
            forms: Self.formOptions(req.library, selected: input.formID), periods: Self.periodSuggestions(),
            units: Self.unitOptions(tree, selected: input.unitCode),
            datasets: datasets.map { dataset in
                .init(
                    id: dataset.id!.uuidString, slug: dataset.slug,
                    form: req.library.form(dataset.formID)?.form.displayTitle ?? dataset.formID,
                    period: Period(key: dataset.periodKey)?.label ?? dataset.periodKey,
                    unit: tree[dataset.unitCode]?.name ?? dataset.unitCode, publishedOn: VietnameseTime.format(dataset.publishedAt))
            },
            input: input, errors: errors, message: message)
        return try await render(req, "admin-publish", page, status: status ?? (errors.isEmpty ? .ok : .unprocessableEntity))
    }

    func publish(req: Request) async throws -> Response {
        let posted: PublishForm
        do { posted = try req.content.decode(PublishForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của biểu mẫu công bố.")
        }
        let tree = try await req.unitTree()
        var input = PublishPage.Input(
            formID: posted.formID ?? "", periodKey: (posted.periodKey ?? "").trimmingCharacters(in: .whitespaces),
            unitCode: posted.unitCode ?? "")
        var errors: [String] = []
        let form = req.library.form(input.formID)
        if form == nil { errors.append(input.formID.isEmpty ? "Chưa chọn biểu mẫu." : "Không có biểu mẫu “\(input.formID)”.") }
        let period = Period(key: input.periodKey)
        if let period {
            input.periodKey = period.key
        } else {
            errors.append(PeriodKeyError(text: input.periodKey).description)
        }
        let unit = tree[input.unitCode]
        if unit == nil { errors.append(input.unitCode.isEmpty ? "Chưa chọn đơn vị." : "Không có đơn vị mã “\(input.unitCode)”.") }
        guard errors.isEmpty, let form, let period, let unit else {
            return try await renderPublish(req, input: input, errors: errors, message: nil)
        }
        let slug = OpenData.slug(formID: form.id, periodKey: period.key, unitCode: unit.code)
        if try await PublishedDataset.query(on: req.db).filter(\.$slug == slug).first() != nil {
            return try await renderPublish(
                req, input: input,
                errors: ["Bộ dữ liệu “\(form.form.displayTitle)” \(period.label) của \(unit.name) đã được công bố tại /open-data/\(slug)."],
                message: nil, status: .conflict)
        }
        let service = OpenData(database: req.db, library: req.library, tree: tree, cache: req.consolidationCache)
        guard try await !service.acceptedReports(formID: form.id, periodKey: period.key, unitCode: unit.code).isEmpty else {
            return try await renderPublish(
                req, input: input,
                errors: [
                    "Chưa có báo cáo nào “\(form.form.displayTitle)” \(period.label) của \(unit.name) hoặc các đơn vị trực thuộc được tiếp nhận: chưa có số liệu để công bố."
                ], message: nil)
        }
        let admin = try req.requireUser().username
        try await req.db.transaction { db in
            try await PublishedDataset(slug: slug, formID: form.id, periodKey: period.key, unitCode: unit.code, publishedAt: Date()).save(
                on: db)
            try await AdminAuditLog.record(.publishing, "Công bố dữ liệu mở", subject: slug, by: admin, on: db)
        }
        return req.redirect(to: "/admin/publish?published=\(slug)")
    }

    func withdraw(req: Request) async throws -> Response {
        guard let id = req.parameters.get("datasetID").flatMap(UUID.init(uuidString:)),
            let dataset = try await PublishedDataset.find(id, on: req.db)
        else {
            throw Abort(.notFound, reason: "Không tìm thấy bộ dữ liệu đã công bố.")
        }
        let admin = try req.requireUser().username
        try await req.db.transaction { db in
            try await dataset.delete(on: db)
            try await AdminAuditLog.record(.publishing, "Thu hồi dữ liệu mở", subject: dataset.slug, by: admin, on: db)
        }
        return req.redirect(to: "/admin/publish?withdrawn=1")
    }
}
