import Fluent
import ReportingCore
import Vapor

/// Every target plan the system knows: the built-in files plus the plans an
/// administrator uploaded (stored as YAML). Listing and evaluation go through
/// here so an uploaded plan is used exactly like a built-in one.
struct PlanCatalog {
    let database: Database
    let library: FormLibrary

    struct Entry {
        let plan: TargetPlan
        let isBuiltIn: Bool
    }

    /// All plans, sorted by id. A stored plan that no longer decodes (a form it
    /// links to was removed) is left out and logged, not allowed to break the page.
    func all() async throws -> [Entry] {
        var entries = library.plans.values.map { Entry(plan: $0, isBuiltIn: true) }
        for stored in try await StoredPlan.query(on: database).all() where library.plans[stored.planID] == nil {
            do {
                entries.append(
                    Entry(plan: try FormLibrary.decode(TargetPlan.self, yaml: stored.yaml, name: stored.planID), isBuiltIn: false))
            } catch {
                database.logger.warning("Stored plan \(stored.planID) no longer decodes: \(error)")
            }
        }
        return entries.sorted { $0.plan.id < $1.plan.id }
    }

    func plan(_ id: String) async throws -> TargetPlan? {
        if let builtIn = library.plans[id] { return builtIn }
        guard let stored = try await StoredPlan.query(on: database).filter(\.$planID == id).first() else { return nil }
        return try? FormLibrary.decode(TargetPlan.self, yaml: stored.yaml, name: id)
    }

    /// Checks an uploaded plan file and stores it, replacing an earlier upload
    /// with the same id. A bad file or a built-in id is refused with 422 and
    /// nothing is written.
    func store(yaml: String, fileName: String, by username: String) async throws -> TargetPlan {
        let plan: TargetPlan
        do { plan = try PlanCheck.load(yaml: yaml, name: fileName, library: library) } catch {
            throw ServiceError(.unprocessable, "Không lưu kế hoạch. " + error.problems.joined(separator: " "))
        }
        if library.plans[plan.id] != nil {
            throw ServiceError(
                .unprocessable,
                "Không lưu kế hoạch: mã “\(plan.id)” trùng với kế hoạch có sẵn của hệ thống. Hãy đặt mã khác, ví dụ \(plan.id)-bo-sung.")
        }
        try await database.transaction { db in
            if let existing = try await StoredPlan.query(on: db).filter(\.$planID == plan.id).first() {
                existing.yaml = yaml
                try await existing.save(on: db)
                try await AdminAuditLog.record(.plans, "Thay kế hoạch", subject: plan.id, by: username, to: fileName, on: db)
            } else {
                try await StoredPlan(planID: plan.id, yaml: yaml).save(on: db)
                try await AdminAuditLog.record(.plans, "Tải lên kế hoạch", subject: plan.id, by: username, to: fileName, on: db)
            }
        }
        return plan
    }
}
