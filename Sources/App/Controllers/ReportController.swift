import Fluent
import ReportingCore
import Vapor

/// The data-entry page, saving, the workflow buttons and the history page.
struct ReportController: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        let reports = routes.grouped("reports", ":reportID")
        reports.get(use: view)
        reports.post(use: save)
        reports.post("action", use: act)
        reports.get("history", use: history)
    }

    func reportID(_ req: Request) -> UUID? { req.parameters.get("reportID").flatMap(UUID.init(uuidString:)) }

    /// A repeat view is answered on the event loop when it can be; anything
    /// else (a first view, a change, a message to show) goes to `show`.
    func view(req: Request) -> EventLoopFuture<Response> {
        if let page = repeatView(req) { return req.eventLoop.makeSucceededFuture(page) }
        return req.eventLoop.makeFutureWithTask { try await show(req: req) }
    }

    /// The cached page, when the session read brought the report's stamp
    /// (`ReportPrefetch`) and it still matches. Access is checked exactly
    /// as `ReportService.find` does; a refusal is left to `show` to explain.
    func repeatView(_ req: Request) -> Response? {
        let cache = req.application.reportPageCache
        let units = req.application.unitDirectory.current
        guard cache.isEnabled, let prefetched = req.storage[ReportPrefetch.PrefetchedKey.self], let stamp = prefetched.stamp,
            prefetched.reportID == reportID(req), let user = req.auth.get(User.self), let userID = user.id,
            let tree = units.tree, units.version == req.storage[Request.UnitsVersionKey.self],
            Access(user: user, tree: tree).canRead(unitCode: stamp.unitCode)
        else { return nil }
        let fingerprint = ReportPageCache.Fingerprint(stamp: stamp, viewer: user, unitsGeneration: units.generation)
        guard
            let html = cache.page(
                for: .init(reportID: prefetched.reportID, userID: userID), fingerprint: fingerprint,
                csrf: CSRF.token(for: req), onEventLoop: true)
        else { return nil }
        return Self.htmlResponse(html)
    }

    static func htmlResponse(_ html: ByteBuffer) -> Response {
        let response = Response(status: .ok, body: .init(buffer: html))
        response.headers.contentType = .html
        return response
    }

    func show(req: Request) async throws -> Response {
        let service = ReportService(request: req)
        let savedVersion = req.url.query == nil ? nil : req.query[Int.self, at: "saved"]
        let cache = req.application.reportPageCache
        // The page after a save carries a message of its own: rendered, never cached.
        guard savedVersion == nil, cache.isEnabled, let id = reportID(req), let userID = try req.requireUser().id else {
            let report = try await service.find(reportID(req))
            return try await ReportPageRenderer.render(
                req, report: report, message: nil, conflict: [], overrides: nil, savedVersion: savedVersion
            )
            .encodeResponse(for: req)
        }
        let key = ReportPageCache.Key(reportID: id, userID: userID)
        // The fingerprint is read before anything the page shows, so a change
        // made meanwhile can only make the stored page newer than its key.
        let report: Report
        if let known = cache.previousPeriodKey(ofReport: id) {
            report = try await service.find(id, previousPeriodKey: known)
        } else {
            let first = try await service.find(id)
            let previous = Period(key: first.periodKey)?.previous.key
            report = previous == nil ? first : try await service.find(id, previousPeriodKey: previous)
        }
        let fingerprint = ReportPageCache.Fingerprint(
            stamp: report.stamp, viewer: try req.requireUser(),
            unitsGeneration: req.application.unitDirectory.generation)
        let csrf = CSRF.token(for: req)
        if let html = cache.page(for: key, fingerprint: fingerprint, csrf: csrf) { return Self.htmlResponse(html) }
        let view = try await ReportPageRenderer.render(req, report: report, message: nil, conflict: [], overrides: nil)
        cache.store(
            String(buffer: view.data), for: key, fingerprint: fingerprint,
            previousPeriodKey: Period(key: report.periodKey)?.previous.key, csrf: csrf)
        return try await view.encodeResponse(for: req)
    }

    /// The posted form: `v[CODE]` cells, `n[CODE]` notes, the narrative and the version edited.
    struct SaveForm: Content {
        var version: Int
        var v: [String: String]?
        var n: [String: String]?
        var achievements: String?
        var assessment: String?
        var nextTasks: String?
        var proposals: String?
    }

    func save(req: Request) async throws -> Response {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req), prefetched: req.storage[ReportPrefetch.PrefetchedKey.self]?.report)
        let posted: SaveForm
        do { posted = try SaveForm(req) } catch {
            throw Abort(.badRequest, reason: "Dữ liệu gửi lên không đúng định dạng của biểu mẫu.")
        }
        let narrative = posted.achievements.map { _ in
            ReportService.Narrative(
                achievements: posted.achievements ?? "", assessment: posted.assessment ?? "",
                nextTasks: posted.nextTasks ?? "", proposals: posted.proposals ?? "")
        }
        let submission = ReportService.Submission(
            values: posted.v ?? [:], notes: posted.n ?? [:], narrative: narrative, version: posted.version)
        do {
            try await service.store(report, submission, user: try req.requireUser())
            // Post/Redirect/Get: the page after a save is a plain GET, so reloading it never saves twice.
            return req.redirect(to: "/reports/\(try report.requireID().uuidString)?saved=\(report.version)", redirectType: .normal)
        } catch let conflict as ReportService.Conflict {
            let fresh = try await service.find(reportID(req))
            let view = try await ReportPageRenderer.render(
                req, report: fresh,
                message:
                    "Không lưu được: báo cáo đã được người khác lưu (phiên bản \(conflict.currentVersion)) sau khi bạn mở trang. Xem khác biệt bên dưới, kiểm tra rồi lưu lại.",
                conflict: conflict.changes.map { ReportPage.ConflictRow(code: $0.code, theirs: $0.theirs, yours: $0.yours) }, overrides: nil
            )
            let response = try await view.encodeResponse(for: req)
            response.status = .conflict
            return response
        } catch let refusal as ServiceError where refusal.kind == .unprocessable {
            // The page again with what was typed, and why nothing was saved.
            let view = try await ReportPageRenderer.render(
                req, report: report, message: refusal.message, conflict: [],
                overrides: (submission.values, submission.notes))
            let response = try await view.encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct ActionForm: Content {
        var action: String
        var comment: String?
    }

    func act(req: Request) async throws -> Response {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req))
        let form = try req.content.decode(ActionForm.self)
        guard let action = ReportService.Action(rawValue: form.action) else {
            throw Abort(.badRequest, reason: "Thao tác “\(form.action)” không hợp lệ.")
        }
        do {
            try await service.perform(action, on: report, comment: form.comment, user: try req.requireUser())
        } catch let abort as any AbortError where abort.status == .unprocessableEntity {
            let response = try await ReportPageRenderer.render(req, report: report, message: abort.reason, conflict: [], overrides: nil)
                .encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        return req.redirect(to: "/reports/\(try report.requireID().uuidString)")
    }

    struct HistoryPage: Encodable {
        struct Entry: Encodable {
            let at: String
            let user: String
            let action: String
            let code: String?
            let from: String?
            let to: String?
        }
        /// An accepted revision as it was: its cells with their indicators, its narrative, its Phụ lục I.
        struct RevisionView: Encodable {
            struct Cell: Encodable {
                let code: String
                let name: String
                let value: String
            }
            let revision: Int
            let at: String
            let cells: [Cell]
            /// The parts that were written.
            let narrative: [ReportService.Narrative.Section]
            let documents: [String]
            /// False for a revision kept before Phụ lục I was part of it.
            let documentsKept: Bool
        }
        let layout: LayoutContext
        let reportID: String
        let title: String
        let entries: [Entry]
        let revisions: [RevisionView]
    }

    func history(req: Request) async throws -> View {
        let service = ReportService(request: req)
        let report = try await service.find(reportID(req))
        let id = try report.requireID()
        let entries = try await AuditEntry.query(on: req.db).filter(\.$reportID == id).sort(\.$at).all()
        func label(_ status: String?) -> String? { status.flatMap { ReportStatus(rawValue: $0)?.label } ?? status }
        let revisions = try await ReportRevision.query(on: req.db).filter(\.$report.$id == id).sort(\.$revision).all()
        return try await req.view.render(
            "history",
            HistoryPage(
                layout: try await .make(req, title: "Lịch sử báo cáo"), reportID: id.uuidString,
                title:
                    "\(req.library.form(report.formID)?.form.displayTitle ?? report.formID) — \(Period(key: report.periodKey)?.label ?? report.periodKey)",
                entries: entries.map { entry in
                    HistoryPage.Entry(
                        at: VietnameseTime.format(entry.at), user: entry.username,
                        action: AuditEntry.Action(rawValue: entry.action)?.label ?? entry.action,
                        code: entry.code,
                        from: entry.action == "status" ? label(entry.oldValue) : entry.oldValue,
                        to: entry.action == "status" ? label(entry.newValue) : entry.newValue)
                },
                revisions: revisions.map { Self.revisionView($0, form: req.library.form(report.formID), reportID: id) }))
    }

    static func revisionView(_ revision: ReportRevision, form: CompiledForm?, reportID: UUID) -> HistoryPage.RevisionView {
        let snapshot = revision.decodedSnapshot
        let values = snapshot?.values ?? [:]
        // In the form's order; a code the form no longer has goes last, as stored.
        let order = Dictionary(uniqueKeysWithValues: (form?.indicators ?? []).enumerated().map { ($1.code, $0) })
        let cells = values.sorted { (order[$0.key] ?? Int.max, $0.key) < (order[$1.key] ?? Int.max, $1.key) }.map { code, value in
            HistoryPage.RevisionView.Cell(
                code: code, name: form.flatMap { form in form.slotByCode[code].map { form.indicators[$0].name } } ?? "",
                value: value)
        }
        let narrative = snapshot?.narrative.sections.filter { !$0.text.trimmed.isEmpty } ?? []
        let documents = snapshot?.documents?.map {
            DocumentEntry(
                reportID: reportID, kind: $0.kind, number: $0.number, issuedOn: $0.issuedOn, issuer: $0.issuer, summary: $0.summary
            ).citation
        }
        return HistoryPage.RevisionView(
            revision: revision.revision, at: VietnameseTime.format(revision.createdAt),
            cells: cells, narrative: narrative, documents: documents ?? [], documentsKept: documents != nil)
    }
}

extension ReportController.SaveForm {
    struct Malformed: Error {}

    /// A plain form, as browsers post it, is read with `FormBody`; anything
    /// else (multipart) goes through Vapor's decoder. Fields the form does not
    /// know (the CSRF token) are ignored, as the decoder ignores them.
    init(_ req: Request) throws {
        guard let form = FormBody.of(req) else {
            self = try req.content.decode(Self.self)
            return
        }
        guard form.isWellFormed else { throw Malformed() }
        var version: Int?
        var values: [String: String] = [:], notes: [String: String] = [:]
        var narrative: [String: String] = [:]
        for (name, value) in form.fields {
            switch name {
            case "version":
                guard let number = Int(value) else { throw Malformed() }
                version = number
            case "achievements", "assessment", "nextTasks", "proposals": narrative[name] = value
            default:
                guard name.hasSuffix("]"), name.count > 3 else { continue }
                let code = String(name.dropFirst(2).dropLast())
                if name.hasPrefix("v[") { values[code] = value } else if name.hasPrefix("n[") { notes[code] = value }
            }
        }
        guard let version else { throw Malformed() }
        self.init(
            version: version, v: values, n: notes, achievements: narrative["achievements"], assessment: narrative["assessment"],
            nextTasks: narrative["nextTasks"], proposals: narrative["proposals"])
    }
}
