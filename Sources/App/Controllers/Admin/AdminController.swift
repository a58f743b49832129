import Fluent
import ReportingCore
import Vapor

/// Administration, for the `admin` role only: assignments (a form for a
/// period to a set of units, with a deadline), users, the unit tree (CSV
/// import), the forms as loaded, and publishing open data.
struct AdminController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let admin = routes.grouped("admin").grouped(AdminOnlyMiddleware())
        admin.get(use: index)
        admin.get("assignments", use: assignmentsPage)
        admin.post("assignments", use: createAssignment)
        admin.get("users", use: usersPage)
        admin.post("users", use: createUser)
        admin.post("users", ":userID", "password", use: resetPassword)
        admin.get("units", use: unitsPage)
        admin.post("units", "import", use: importUnits)
        admin.get("units", ":code", use: unitPage)
        admin.post("units", ":code", use: updateUnit)
        admin.get("forms", use: formsPage)
        admin.get("publish", use: publishPage)
        admin.post("publish", use: publish)
        admin.post("publish", ":datasetID", "withdraw", use: withdraw)
    }

    // MARK: - Shared pieces

    /// Units in tree order (parents before children) with their depth.
    static func treeOrder(_ tree: UnitTree) -> [(unit: ReportingUnit, depth: Int)] {
        var result: [(ReportingUnit, Int)] = []
        var stack = tree.roots.reversed().map { ($0, 0) }
        while let (index, depth) = stack.popLast() {
            result.append((tree.units[index], depth))
            stack.append(contentsOf: tree.childIndices[index].reversed().map { ($0, depth + 1) })
        }
        return result
    }

    /// Units for a select box, indented by depth.
    static func unitOptions(_ tree: UnitTree, selected: String?) -> [SelectOption] {
        treeOrder(tree).map { unit, depth in
            SelectOption(value: unit.code, label: String(repeating: "\u{00A0}\u{00A0}\u{00A0}", count: depth) + unit.name, selected: unit.code == selected)
        }
    }

    static func formOptions(_ library: FormLibrary, selected: String?) -> [SelectOption] {
        library.sortedForms.map { SelectOption(value: $0.id, label: "\($0.form.displayTitle) (\($0.id))", selected: $0.id == selected) }
    }

    /// Periods to suggest: this year's and last year's quarters, halves, nine months and years.
    static func periodSuggestions() -> [SelectOption] {
        let year = CivilDate.today().year
        return [year, year - 1].flatMap { year in
            [Period.quarter(1, year), .quarter(2, year), .firstHalf(year), .quarter(3, year), .nineMonths(year), .quarter(4, year), .year(year)]
        }.map { SelectOption(value: $0.key, label: $0.label, selected: false) }
    }

    func render(_ req: Request, _ template: String, _ page: some Encodable, status: HTTPStatus = .ok) async throws -> Response {
        let response = try await req.view.render(template, page).encodeResponse(for: req)
        response.status = status
        return response
    }

    // MARK: - Index

    struct IndexPage: Encodable {
        let layout: LayoutContext
        let users: Int
        let units: Int
        let forms: Int
        let assignments: Int
        let datasets: Int
    }

    func index(req: Request) async throws -> View {
        try await req.view.render("admin", IndexPage(
            layout: try await .make(req, title: "Quản trị"), users: try await User.query(on: req.db).count(),
            units: try await UnitRecord.query(on: req.db).count(), forms: req.library.forms.count,
            assignments: try await Assignment.query(on: req.db).count(), datasets: try await PublishedDataset.query(on: req.db).count()))
    }

    // MARK: - Assignments

    struct AssignmentsPage: Encodable {
        struct KindChoice: Encodable {
            let value: String
            let label: String
            let count: Int
            let checked: Bool
        }
        struct UnitChoice: Encodable {
            let code: String
            let name: String
            let kind: String
            let depth: Int
            let checked: Bool
        }
        struct Row: Encodable {
            let id: String
            let title: String
            let form: String
            let period: String
            let deadline: String
            let receiver: String
            let reports: Int
        }
        struct Input: Encodable {
            var formID = ""
            var periodKey = ""
            var periodLabel = ""
            var deadline = ""
            var receiverCode = ""
            var title = ""
        }
        let layout: LayoutContext
        let forms: [SelectOption]
        let periods: [SelectOption]
        let receivers: [SelectOption]
        let kinds: [KindChoice]
        let units: [UnitChoice]
        let assignments: [Row]
        let input: Input
        let errors: [String]
    }

    /// The posted assignment: `kind[department]=1`, `unit[CODE]=1` for the chosen units.
    struct AssignmentForm: Content {
        var formID: String?
        var periodKey: String?
        var deadline: String?
        var receiverCode: String?
        var title: String?
        var kind: [String: String]?
        var unit: [String: String]?
    }

    func assignmentsPage(req: Request) async throws -> Response {
        let tree = try await req.unitTree()
        var input = AssignmentsPage.Input()
        input.receiverCode = tree.roots.first.map { tree.units[$0].code } ?? ""
        return try await renderAssignments(req, tree: tree, input: input, kinds: [], units: [], errors: [])
    }

    func renderAssignments(_ req: Request, tree: UnitTree, input: AssignmentsPage.Input, kinds: Set<String>, units: Set<String>,
                           errors: [String]) async throws -> Response {
        let assignments = try await Assignment.query(on: req.db).sort(\.$periodKey, .descending).all()
        var reportCounts: [UUID: Int] = [:]
        for report in try await Report.query(on: req.db).all() { reportCounts[report.$assignment.id, default: 0] += 1 }
        let present = Set(tree.units.map(\.kind))
        let page = AssignmentsPage(
            layout: try await .make(req, title: "Giao báo cáo"),
            forms: Self.formOptions(req.library, selected: input.formID),
            periods: Self.periodSuggestions(),
            receivers: Self.unitOptions(tree, selected: input.receiverCode),
            kinds: UnitKind.allCases.filter { $0 != .province && present.contains($0) }.map { kind in
                .init(value: kind.rawValue, label: kind.label, count: tree.units.filter { $0.kind == kind }.count, checked: kinds.contains(kind.rawValue))
            },
            units: Self.treeOrder(tree).map { unit, depth in
                .init(code: unit.code, name: unit.name, kind: unit.kind.label, depth: min(depth, 5), checked: units.contains(unit.code))
            },
            assignments: assignments.map { assignment in
                .init(id: assignment.id!.uuidString, title: assignment.title,
                      form: req.library.form(assignment.formID)?.form.displayTitle ?? assignment.formID,
                      period: Period(key: assignment.periodKey)?.label ?? assignment.periodKey,
                      deadline: CivilDate(iso: assignment.deadline)?.vietnamese ?? assignment.deadline,
                      receiver: tree[assignment.receiverCode]?.name ?? assignment.receiverCode,
                      reports: reportCounts[assignment.id!] ?? 0)
            },
            input: input, errors: errors)
        return try await render(req, "admin-assignments", page, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func createAssignment(req: Request) async throws -> Response {
        let tree = try await req.unitTree()
        let posted: AssignmentForm
        do { posted = try req.content.decode(AssignmentForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của biểu mẫu giao báo cáo.")
        }
        let kinds = Set((posted.kind ?? [:]).keys)
        let chosenUnits = Set((posted.unit ?? [:]).keys)
        var input = AssignmentsPage.Input()
        input.formID = posted.formID?.trimmingCharacters(in: .whitespaces) ?? ""
        input.periodKey = posted.periodKey?.trimmingCharacters(in: .whitespaces) ?? ""
        input.deadline = posted.deadline?.trimmingCharacters(in: .whitespaces) ?? ""
        input.receiverCode = posted.receiverCode ?? ""
        input.title = posted.title?.trimmingCharacters(in: .whitespaces) ?? ""

        var errors: [String] = []
        let form = req.library.form(input.formID)
        if form == nil {
            errors.append(input.formID.isEmpty ? "Chưa chọn biểu mẫu." : "Không có biểu mẫu “\(input.formID)” trong thư viện biểu mẫu.")
        }
        let period = Period(key: input.periodKey)
        if let period {
            input.periodKey = period.key
            input.periodLabel = period.label
        } else {
            errors.append(PeriodKeyError(text: input.periodKey).description)
        }
        let deadline = CivilDate(vietnamese: input.deadline)
        if deadline == nil {
            errors.append(input.deadline.isEmpty ? "Chưa nhập hạn gửi (dạng ngày/tháng/năm, ví dụ 20/03/2024)."
                : "Hạn gửi “\(input.deadline)” không hợp lệ (dạng ngày/tháng/năm, ví dụ 20/03/2024).")
        } else if let deadline, let period, deadline < period.cutOff.lowerBound {
            errors.append("Hạn gửi \(deadline.vietnamese) trước khi kỳ \(period.label) bắt đầu (\(period.cutOff.lowerBound.vietnamese)).")
        }
        let receiver = tree[input.receiverCode]
        if receiver == nil { errors.append("Chưa chọn đơn vị nhận báo cáo, hoặc mã “\(input.receiverCode)” không có trong cây đơn vị.") }
        if input.title.count > 300 { errors.append("Tên đợt báo cáo quá dài (tối đa 300 ký tự).") }

        // The units: every active unit of a chosen kind below the receiver, plus those ticked one by one.
        var selected: [ReportingUnit] = []
        if let receiver {
            let below = tree.descendants(of: receiver.code)
            let activeOn = period?.cutOff.upperBound ?? CivilDate.today()
            for kindName in kinds.sorted() {
                guard let kind = UnitKind(rawValue: kindName) else { errors.append("Loại đơn vị “\(kindName)” không hợp lệ."); continue }
                if let form, !form.form.levels.contains(kind) {
                    errors.append("Biểu mẫu “\(form.form.displayTitle)” không áp dụng cho loại đơn vị “\(kind.label)”.")
                }
                selected += below.filter { $0.kind == kind && ($0.retiredOn.map { activeOn < $0 } ?? true) }
            }
            for code in chosenUnits.sorted() {
                guard let unit = tree[code] else { errors.append("Không có đơn vị mã “\(code)”."); continue }
                if unit.code != receiver.code && !tree.isAncestor(receiver.code, of: unit.code) {
                    errors.append("\(unit.name) không thuộc \(receiver.name), đơn vị nhận báo cáo.")
                }
                if let retired = unit.retiredOn, retired <= activeOn {
                    errors.append("\(unit.name) đã thôi hoạt động từ \(retired.vietnamese).")
                }
                if let form, !form.form.levels.contains(unit.kind) {
                    errors.append("Biểu mẫu “\(form.form.displayTitle)” không áp dụng cho \(unit.name) (\(unit.kind.label)).")
                }
                selected.append(unit)
            }
        }
        var seen: Set<String> = []
        selected = selected.filter { seen.insert($0.code).inserted }
        if selected.isEmpty && receiver != nil { errors.append("Chưa chọn đơn vị nào phải báo cáo: đánh dấu loại đơn vị hoặc từng đơn vị.") }

        // One report per unit, form and period: a second assignment would count a unit twice.
        if let form, let period, !selected.isEmpty {
            let existing = try await Report.query(on: req.db).filter(\.$formID == form.id).filter(\.$periodKey == period.key).all()
            let taken = Set(existing.map(\.unitCode))
            let clashes = selected.filter { taken.contains($0.code) }
            if !clashes.isEmpty {
                let names = clashes.prefix(5).map(\.name).joined(separator: ", ") + (clashes.count > 5 ? " và \(clashes.count - 5) đơn vị khác" : "")
                errors.append("Đã giao “\(form.form.displayTitle)” \(period.label) cho \(names). Bỏ chọn các đơn vị này.")
            }
        }
        guard errors.isEmpty, let form, let period, let deadline, let receiver else {
            return try await renderAssignments(req, tree: tree, input: input, kinds: kinds, units: chosenUnits, errors: errors)
        }

        let title = input.title.isEmpty ? "\(form.form.displayTitle) — \(period.label)" : input.title
        let assignment = Assignment(formID: form.id, periodKey: period.key, deadline: deadline.description,
                                    receiverCode: receiver.code, title: title)
        let units = selected
        let admin = try req.requireUser().username
        let assignmentID = UUID()
        assignment.id = assignmentID
        try await req.db.transaction { db in
            try await assignment.save(on: db)
            for unit in units {
                try await Report(assignmentID: assignmentID, unitCode: unit.code, formID: form.id, periodKey: period.key).save(on: db)
            }
            try await AdminAuditLog.record(.assignments, "Giao báo cáo", subject: title, by: admin,
                                           to: "\(form.id) \(period.key), hạn \(deadline.description), \(units.count) đơn vị: "
                                               + units.map(\.code).joined(separator: ", "), on: db)
        }
        return req.redirect(to: "/assignments/\(assignmentID.uuidString)/monitor")
    }

    // MARK: - Users

    struct UsersPage: Encodable {
        struct Row: Encodable {
            let id: String
            let username: String
            let name: String
            let role: String
            let unit: String
        }
        struct Input: Encodable {
            var username = ""
            var name = ""
            var role = Role.reporter.rawValue
            var unitCode = ""
        }
        let layout: LayoutContext
        let users: [Row]
        let roles: [SelectOption]
        let units: [SelectOption]
        let input: Input
        let errors: [String]
        let message: String?
    }

    struct NewUserForm: Content {
        var username: String?
        var name: String?
        var role: String?
        var unitCode: String?
        var password: String?
    }

    struct PasswordForm: Content {
        var password: String?
    }

    func usersPage(req: Request) async throws -> Response {
        var message: String?
        if let username = req.query[String.self, at: "created"],
           try await User.query(on: req.db).filter(\.$username == username).first() != nil {
            message = "Đã tạo người dùng \(username)."
        } else if let username = req.query[String.self, at: "reset"],
                  try await User.query(on: req.db).filter(\.$username == username).first() != nil {
            message = "Đã đặt lại mật khẩu cho \(username)."
        }
        return try await renderUsers(req, input: .init(), errors: [], message: message)
    }

    func renderUsers(_ req: Request, input: UsersPage.Input, errors: [String], message: String?) async throws -> Response {
        let tree = try await req.unitTree()
        let order = Dictionary(Self.treeOrder(tree).enumerated().map { ($1.unit.code, $0) }, uniquingKeysWith: { first, _ in first })
        let users = try await User.query(on: req.db).all()
            .sorted { (order[$0.unitCode] ?? Int.max, $0.username) < (order[$1.unitCode] ?? Int.max, $1.username) }
        let page = UsersPage(
            layout: try await .make(req, title: "Người dùng"),
            users: users.map { .init(id: $0.id!.uuidString, username: $0.username, name: $0.displayName, role: $0.role.label,
                                     unit: tree[$0.unitCode]?.name ?? $0.unitCode) },
            roles: Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.role) },
            units: Self.unitOptions(tree, selected: input.unitCode), input: input, errors: errors, message: message)
        return try await render(req, "admin-users", page, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func createUser(req: Request) async throws -> Response {
        let posted: NewUserForm
        do { posted = try req.content.decode(NewUserForm.self) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của biểu mẫu người dùng.")
        }
        var input = UsersPage.Input()
        input.username = (posted.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        input.name = (posted.name ?? "").trimmingCharacters(in: .whitespaces)
        input.role = posted.role ?? ""
        input.unitCode = posted.unitCode ?? ""
        let password = posted.password ?? ""
        var errors: [String] = []
        if input.username.range(of: #"^[a-z0-9][a-z0-9._-]{2,39}$"#, options: .regularExpression) == nil {
            errors.append("Tên đăng nhập phải dài 3–40 ký tự, chỉ gồm chữ thường không dấu, chữ số và các dấu . _ - (ví dụ xa.nhaplieu).")
        } else if try await User.query(on: req.db).filter(\.$username == input.username).first() != nil {
            errors.append("Tên đăng nhập “\(input.username)” đã có người dùng.")
        }
        if input.name.isEmpty { errors.append("Chưa nhập họ tên.") }
        if input.name.count > 200 { errors.append("Họ tên quá dài (tối đa 200 ký tự).") }
        let role = Role(rawValue: input.role)
        if role == nil { errors.append("Vai trò “\(input.role)” không hợp lệ.") }
        if try await req.unitTree()[input.unitCode] == nil {
            errors.append(input.unitCode.isEmpty ? "Chưa chọn đơn vị." : "Không có đơn vị mã “\(input.unitCode)”.")
        }
        if password.count < 8 { errors.append("Mật khẩu phải có ít nhất 8 ký tự.") }
        if password.count > 200 { errors.append("Mật khẩu quá dài (tối đa 200 ký tự).") }
        guard errors.isEmpty, let role else {
            return try await renderUsers(req, input: input, errors: errors, message: nil)
        }
        let hash = try await req.password.async.hash(password)
        let admin = try req.requireUser().username
        let created = User(username: input.username, displayName: input.name, passwordHash: hash, role: role, unitCode: input.unitCode)
        let summary = "\(input.name), \(role.rawValue), đơn vị \(input.unitCode)"
        try await req.db.transaction { db in
            try await created.save(on: db)
            try await AdminAuditLog.record(.users, "Tạo người dùng", subject: created.username, by: admin, to: summary, on: db)
        }
        return req.redirect(to: "/admin/users?created=\(input.username)")
    }

    func resetPassword(req: Request) async throws -> Response {
        guard let id = req.parameters.get("userID").flatMap(UUID.init(uuidString:)), let user = try await User.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "Không tìm thấy người dùng.")
        }
        let password = (try? req.content.decode(PasswordForm.self))?.password ?? ""
        guard password.count >= 8, password.count <= 200 else {
            return try await renderUsers(req, input: .init(), errors: [
                password.count < 8 ? "Mật khẩu mới cho \(user.username) phải có ít nhất 8 ký tự. Mật khẩu chưa được đổi."
                    : "Mật khẩu mới cho \(user.username) quá dài (tối đa 200 ký tự). Mật khẩu chưa được đổi.",
            ], message: nil)
        }
        let username = user.username
        // A reset also lifts a lock-out from failed logins, signs the user out everywhere and revokes their API tokens.
        try await SignOut.setPassword(user, hash: try await req.password.async.hash(password), keeping: nil,
                                      by: try req.requireUser().username, on: req.db)
        return req.redirect(to: "/admin/users?reset=\(username)")
    }

    // MARK: - Units

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
        return try await renderUnit(req, unit, input: .init(name: unit.name, retiredOn: unit.retiredOn?.vietnamese ?? "",
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
        return try await render(req, "admin-unit", UnitPage(
            layout: try await .make(req, title: "Sửa đơn vị \(unit.name)"), code: unit.code, kind: unit.kind.label,
            parent: unit.parentCode.flatMap { tree[$0]?.name }, input: input, errors: errors),
            status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func updateUnit(req: Request) async throws -> Response {
        let unit = try await editedUnit(req)
        let posted = try req.content.decode(UnitForm.self)
        let input = UnitPage.Input(name: (posted.name ?? "").trimmed, retiredOn: (posted.retiredOn ?? "").trimmed,
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
            if code == unit.code { errors.append("Đơn vị không thể tiếp nhận chính nó (mã \(code)).") }
            else if tree[code] == nil { errors.append("Đơn vị tiếp nhận mã “\(code)” không có trong danh sách đơn vị.") }
        }
        if !successors.isEmpty && input.retiredOn.isEmpty {
            errors.append("Chỉ ghi đơn vị tiếp nhận khi đơn vị đã thôi hoạt động: hãy nhập cả ngày thôi hoạt động.")
        }
        guard errors.isEmpty else { return try await renderUnit(req, unit, input: input, errors: errors) }
        guard let record = try await UnitRecord.query(on: req.db).filter(\.$code == unit.code).first() else {
            throw Abort(.notFound, reason: "Không có đơn vị mã “\(unit.code)”.")
        }
        @Sendable func summary(_ record: UnitRecord) -> String {
            [record.name, record.retiredOn.map { "thôi hoạt động \($0)" }, record.successorCodes.isEmpty ? nil : "tiếp nhận: \(record.successorCodes)"]
                .compactMap { $0 }.joined(separator: "; ")
        }
        let before = summary(record)
        record.name = input.name
        record.retiredOn = retiredOn?.description
        record.successorCodes = successors.joined(separator: ",")
        let admin = try req.requireUser().username
        try await req.db.transaction { db in
            try await record.save(on: db)
            try await AdminAuditLog.record(.units, "Sửa đơn vị", subject: record.code, by: admin, from: before, to: summary(record), on: db)
        }
        // Names and retirements show on cached pages and decide assignments: rebuild the tree.
        req.application.unitDirectory.invalidate()
        let code = unit.code.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? unit.code
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
            return try await renderUnits(req, errors: ["Chưa chọn tệp CSV, hoặc tệp trống. Tệp cần dòng tiêu đề code,name,kind,parent_code."], message: nil)
        }
        guard let text = file.data.getString(at: file.data.readerIndex, length: file.data.readableBytes),
              text.utf8.count == file.data.readableBytes, !text.contains("\u{FFFD}") else {
            return try await renderUnits(req, errors: ["Tệp “\(file.filename)” không phải văn bản UTF-8. Hãy lưu lại dưới dạng CSV UTF-8."], message: nil)
        }
        let added: Int, total: Int
        do {
            let units = try UnitImporter.parseCSV(text)
            total = units.count
            added = try await UnitImporter.save(units, by: try req.requireUser().username, on: req.db)
        } catch let error as UnitImporter.ImportError {
            return try await renderUnits(req, errors: ["Không nhập được tệp “\(file.filename)”: \(error.description) Không có đơn vị nào được thêm."], message: nil)
        }
        // The tree is cached for access checks and consolidation: rebuild it.
        req.application.unitDirectory.invalidate()
        return try await renderUnits(req, errors: [], message: "Đã nhập \(added) đơn vị mới từ “\(file.filename)”" +
            (total > added ? "; \(total - added) đơn vị đã có, giữ nguyên." : "."))
    }

    // MARK: - Forms

    struct FormsPage: Encodable {
        struct IndicatorRow: Encodable {
            let code: String
            let label: String
            let name: String
            let unit: String
            let depth: Int
            let isHeading: Bool
            let formula: String?
            let partOf: String?
            let required: Bool
            let consolidation: String
        }
        struct FormView: Encodable {
            let id: String
            let title: String
            let shortTitle: String
            let source: String?
            let version: String?
            let levels: String
            let rules: Int
            let indicators: [IndicatorRow]
        }
        let layout: LayoutContext
        let forms: [FormView]
    }

    static func consolidationLabel(_ rule: ConsolidationRule) -> String {
        switch rule {
        case .sum: return "Cộng"
        case .recompute: return "Tính lại theo công thức"
        case .shareOfUnits: return "Tỷ lệ đơn vị đạt"
        case .min: return "Thấp nhất"
        case .max: return "Cao nhất"
        case .mode: return "Phổ biến nhất"
        case .none: return "Không cộng dồn"
        }
    }

    func formsPage(req: Request) async throws -> View {
        let forms = req.library.sortedForms.map { compiled in
            FormsPage.FormView(
                id: compiled.id, title: compiled.form.title, shortTitle: compiled.form.displayTitle, source: compiled.form.source,
                version: compiled.form.version, levels: compiled.form.levels.map(\.label).joined(separator: "; "),
                rules: compiled.form.rules.count,
                indicators: compiled.indicators.map { indicator in
                    .init(code: indicator.code, label: indicator.printedLabel, name: indicator.name,
                          unit: indicator.isHeading ? "" : indicator.unitLabel, depth: min(indicator.depth, 3),
                          isHeading: indicator.isHeading, formula: indicator.formula?.replacingOccurrences(of: "*", with: "×"),
                          partOf: indicator.partOf, required: indicator.isRequired,
                          consolidation: indicator.isHeading ? "" : Self.consolidationLabel(indicator.consolidation))
                })
        }
        return try await req.view.render("admin-forms", FormsPage(layout: try await .make(req, title: "Biểu mẫu"), forms: forms))
    }

    // MARK: - Open data

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
           try await PublishedDataset.query(on: req.db).filter(\.$slug == slug).first() != nil {
            message = "Đã công bố bộ dữ liệu tại /open-data/\(slug)."
        } else if req.query[String.self, at: "withdrawn"] != nil {
            message = "Đã thu hồi bộ dữ liệu: địa chỉ của nó không còn truy cập được."
        }
        let tree = try await req.unitTree()
        var input = PublishPage.Input()
        input.unitCode = tree.roots.first.map { tree.units[$0].code } ?? ""
        return try await renderPublish(req, input: input, errors: [], message: message)
    }

    func renderPublish(_ req: Request, input: PublishPage.Input, errors: [String], message: String?, status: HTTPStatus? = nil) async throws -> Response {
        let tree = try await req.unitTree()
        let datasets = try await PublishedDataset.query(on: req.db).sort(\.$publishedAt, .descending).all()
        let page = PublishPage(
            layout: try await .make(req, title: "Công bố dữ liệu mở"),
            forms: Self.formOptions(req.library, selected: input.formID), periods: Self.periodSuggestions(),
            units: Self.unitOptions(tree, selected: input.unitCode),
            datasets: datasets.map { dataset in
                .init(id: dataset.id!.uuidString, slug: dataset.slug,
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
        var input = PublishPage.Input(formID: posted.formID ?? "", periodKey: (posted.periodKey ?? "").trimmingCharacters(in: .whitespaces),
                                      unitCode: posted.unitCode ?? "")
        var errors: [String] = []
        let form = req.library.form(input.formID)
        if form == nil { errors.append(input.formID.isEmpty ? "Chưa chọn biểu mẫu." : "Không có biểu mẫu “\(input.formID)”.") }
        let period = Period(key: input.periodKey)
        if let period { input.periodKey = period.key } else {
            errors.append(PeriodKeyError(text: input.periodKey).description)
        }
        let unit = tree[input.unitCode]
        if unit == nil { errors.append(input.unitCode.isEmpty ? "Chưa chọn đơn vị." : "Không có đơn vị mã “\(input.unitCode)”.") }
        guard errors.isEmpty, let form, let period, let unit else {
            return try await renderPublish(req, input: input, errors: errors, message: nil)
        }
        let slug = OpenData.slug(formID: form.id, periodKey: period.key, unitCode: unit.code)
        if try await PublishedDataset.query(on: req.db).filter(\.$slug == slug).first() != nil {
            return try await renderPublish(req, input: input, errors: ["Bộ dữ liệu “\(form.form.displayTitle)” \(period.label) của \(unit.name) đã được công bố tại /open-data/\(slug)."],
                                           message: nil, status: .conflict)
        }
        let service = OpenData(database: req.db, library: req.library, tree: tree)
        guard try await !service.acceptedReports(formID: form.id, periodKey: period.key, unitCode: unit.code).isEmpty else {
            return try await renderPublish(req, input: input, errors: [
                "Chưa có báo cáo nào “\(form.form.displayTitle)” \(period.label) của \(unit.name) hoặc các đơn vị trực thuộc được tiếp nhận: chưa có số liệu để công bố.",
            ], message: nil)
        }
        let admin = try req.requireUser().username
        try await req.db.transaction { db in
            try await PublishedDataset(slug: slug, formID: form.id, periodKey: period.key, unitCode: unit.code, publishedAt: Date()).save(on: db)
            try await AdminAuditLog.record(.publishing, "Công bố dữ liệu mở", subject: slug, by: admin, on: db)
        }
        return req.redirect(to: "/admin/publish?published=\(slug)")
    }

    func withdraw(req: Request) async throws -> Response {
        guard let id = req.parameters.get("datasetID").flatMap(UUID.init(uuidString:)),
              let dataset = try await PublishedDataset.find(id, on: req.db) else {
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

/// Lets only administrators through; everyone else gets 403.
struct AdminOnlyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard let user = request.auth.get(User.self), user.role == .admin else {
            throw Abort(.forbidden, reason: "Chỉ quản trị hệ thống mới dùng được trang này.")
        }
        return try await next.respond(to: request)
    }
}
