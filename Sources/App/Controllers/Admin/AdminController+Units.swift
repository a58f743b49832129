import Fluent
import ReportingCore
import Vapor

/// The unit tree: import a file, rename a unit, record its retirement.
extension AdminController {
    struct UnitsPage: Encodable {
        struct Row: Encodable {
            let code: String
            let name: String
            let kind: String
            let depth: Int
            let retired: String?
        }
        let layout: LayoutContext
        let units: [Row]
        let errors: [String]
        let message: String?
    }

    struct UnitUpload: Content {
        var file: File?
    }

    func unitsPage(req: Request) async throws -> Response {
        let updated = req.url.query == nil ? nil : req.query[String.self, at: "updated"]
        let tree = try await req.unitTree()
        let name = updated.flatMap { tree[$0]?.name }
        return try await renderUnits(req, errors: [], message: name.map { "Đã cập nhật đơn vị “\($0)”." })
    }

    /// One unit, to rename it or record that it stopped existing (merged into
    /// others on a date: the 2025 reorganisation retired every district).
    struct UnitPage: Encodable {
        struct Input: Encodable {
            var name: String
            var retiredOn: String
            var successors: String
        }
        let layout: LayoutContext
        let code: String
        let kind: String
        let parent: String?
        let input: Input
        let errors: [String]
    }

    struct UnitForm: Content {
        var name: String?
        var retiredOn: String?
        var successors: String?
    }

    func unitPage(req: Request) async throws -> Response {
        let unit = try await editedUnit(req)
        return try await renderUnit(
            req, unit,
            input: .init(
                name: unit.name, retiredOn: unit.retiredOn?.vietnamese ?? "",
                successors: unit.successorCodes.joined(separator: ", ")), errors: [])
    }

    func editedUnit(_ req: Request) async throws -> ReportingUnit {
        guard let code = req.parameters.get("code"), let unit = try await req.unitTree()[code] else {
            throw Abort(.notFound, reason: "Không có đơn vị mã “\(req.parameters.get("code") ?? "")”.")
        }
        return unit
    }

    func renderUnit(_ req: Request, _ unit: ReportingUnit, input: UnitPage.Input, errors: [String]) async throws -> Response {
        let tree = try await req.unitTree()
        return try await render(
            req, "admin-unit",
            UnitPage(
                layout: try await .make(req, title: "Sửa đơn vị \(unit.name)"), code: unit.code, kind: unit.kind.label,
                parent: unit.parentCode.flatMap { tree[$0]?.name }, input: input, errors: errors),
            status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func updateUnit(req: Request) async throws -> Response {
        let unit = try await editedUnit(req)
        let posted = try req.content.decode(UnitForm.self)
        let input = UnitPage.Input(
            name: (posted.name ?? "").trimmed, retiredOn: (posted.retiredOn ?? "").trimmed,
            successors: (posted.successors ?? "").trimmed)
        let tree = try await req.unitTree()
        var errors: [String] = []
        if input.name.isEmpty { errors.append("Chưa nhập tên đơn vị.") }
        if input.name.count > 200 { errors.append("Tên đơn vị dài quá 200 ký tự.") }
        let retiredOn = CivilDate(vietnamese: input.retiredOn)
        if !input.retiredOn.isEmpty && retiredOn == nil {
            errors.append("Ngày thôi hoạt động “\(input.retiredOn)” không hợp lệ (dạng ngày/tháng/năm, ví dụ 01/07/2025).")
        }
        let successors = input.successors.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
        for code in successors {
            if code == unit.code {
                errors.append("Đơn vị không thể tiếp nhận chính nó (mã \(code)).")
            } else if tree[code] == nil {
                errors.append("Đơn vị tiếp nhận mã “\(code)” không có trong danh sách đơn vị.")
            }
        }
        if !successors.isEmpty && input.retiredOn.isEmpty {
            errors.append("Chỉ ghi đơn vị tiếp nhận khi đơn vị đã thôi hoạt động: hãy nhập cả ngày thôi hoạt động.")
        }
        guard errors.isEmpty else { return try await renderUnit(req, unit, input: input, errors: errors) }
        guard let record = try await UnitRecord.query(on: req.db).filter(\.$code == unit.code).first() else {
            throw Abort(.notFound, reason: "Không có đơn vị mã “\(unit.code)”.")
        }
        @Sendable func summary(_ record: UnitRecord) -> String {
            [
                record.name, record.retiredOn.map { "thôi hoạt động \($0)" },
                record.successorCodes.isEmpty ? nil : "tiếp nhận: \(record.successorCodes)"
            ]
            .compactMap { $0 }.joined(separator: "; ")
        }
        let before = summary(record)
        record.name = input.name
        record.retiredOn = retiredOn?.description
        record.successorCodes = successors.joined(separator: ",")
        let admin = try req.requireUser().username
        try await req.db.transaction { db in
            try await record.save(on: db)
            try await ChangeCounters.bump(ChangeCounters.units, on: db)
            try await AdminAuditLog.record(.units, "Sửa đơn vị", subject: record.code, by: admin, from: before, to: summary(record), on: db)
        }
        // Names and retirements show on cached pages and decide assignments: rebuild the tree.
        req.application.unitDirectory.invalidate()
        let code =
            unit.code.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+")))
            ?? unit.code
        return req.redirect(to: "/admin/units?updated=\(code)", redirectType: .normal)
    }

    func renderUnits(_ req: Request, errors: [String], message: String?) async throws -> Response {
        let tree = try await req.unitTree()
        let page = UnitsPage(
            layout: try await .make(req, title: "Đơn vị"),
            units: Self.treeOrder(tree).map { unit, depth in
                .init(code: unit.code, name: unit.name, kind: unit.kind.label, depth: min(depth, 5), retired: unit.retiredOn?.vietnamese)
            },
            errors: errors, message: message)
        return try await render(req, "admin-units", page, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func importUnits(req: Request) async throws -> Response {
        guard let file = (try? req.content.decode(UnitUpload.self))?.file, file.data.readableBytes > 0 else {
            return try await renderUnits(
                req, errors: ["Chưa chọn tệp CSV, hoặc tệp trống. Tệp cần dòng tiêu đề code,name,kind,parent_code."], message: nil)
        }
        guard let text = file.data.getString(at: file.data.readerIndex, length: file.data.readableBytes),
            text.utf8.count == file.data.readableBytes, !text.contains("\u{FFFD}")
        else {
            return try await renderUnits(
                req, errors: ["Tệp “\(file.filename)” không phải văn bản UTF-8. Hãy lưu lại dưới dạng CSV UTF-8."], message: nil)
        }
        let added: Int, total: Int
        do {
            let units = try UnitImporter.parseCSV(text)
            total = units.count
            added = try await UnitImporter.save(units, by: try req.requireUser().username, on: req.db)
        } catch let error as UnitImporter.ImportError {
            return try await renderUnits(
                req, errors: ["Không nhập được tệp “\(file.filename)”: \(error.description) Không có đơn vị nào được thêm."], message: nil)
        }
        // The tree is cached for access checks and consolidation: rebuild it.
        req.application.unitDirectory.invalidate()
        return try await renderUnits(
            req, errors: [],
            message: "Đã nhập \(added) đơn vị mới từ “\(file.filename)”"
                + (total > added ? "; \(total - added) đơn vị đã có, giữ nguyên." : "."))
    }
}
